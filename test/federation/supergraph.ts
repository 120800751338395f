/**
 * The test supergraph: tokengraph (its `_service { sdl }` fetched over HTTP, as a
 * gateway's introspection or `rover subgraph introspect` would) composed with the people
 * and reviews subgraphs by Apollo's own composition library.
 */
import { composeServices, type CompositionResult } from '@apollo/composition';
import { Kind, parse, print } from 'graphql';
import type { Stack } from '../harness.js';
import { PEOPLE_SDL } from './peopleSubgraph.js';
import { REVIEWS_SDL } from './reviewsSubgraph.js';

export async function composeSupergraph(stack: Stack, urls: { people: string; reviews: string }): Promise<CompositionResult> {
  const response = await stack.query('{ _service { sdl } }');
  const tokengraphSdl: string = response.body.data!._service.sdl;
  return composeServices([
    { name: 'tokengraph', url: stack.url, typeDefs: parse(tokengraphSdl) },
    { name: 'people', url: urls.people, typeDefs: parse(PEOPLE_SDL) },
    { name: 'reviews', url: urls.reviews, typeDefs: parse(REVIEWS_SDL) },
  ]);
}

/**
 * Every entity of a supergraph and how each subgraph keys it, read from its
 * `@join__type(graph:, key:)` directives: `{ NetbirdPAT: ['PEOPLE id', 'TOKENGRAPH id'] }`,
 * marked `(not resolvable)` for `resolvable: false` and `(interface object)` for `@interfaceObject`.
 */
export function entitiesOf(supergraphSdl: string): Record<string, string[]> {
  const entities: Record<string, string[]> = {};
  for (const definition of parse(supergraphSdl).definitions) {
    if (definition.kind !== Kind.OBJECT_TYPE_DEFINITION && definition.kind !== Kind.INTERFACE_TYPE_DEFINITION) continue;
    for (const directive of definition.directives ?? []) {
      if (directive.name.value !== 'join__type') continue;
      const args = Object.fromEntries((directive.arguments ?? []).map((a) => [a.name.value, print(a.value)]));
      if (args.key === undefined) continue;
      const marks = `${args.resolvable === 'false' ? ' (not resolvable)' : ''}${args.isInterfaceObject === 'true' ? ' (interface object)' : ''}`;
      (entities[definition.name.value] ??= []).push(`${args.graph} ${JSON.parse(args.key)}${marks}`);
    }
  }
  for (const list of Object.values(entities)) list.sort();
  return entities;
}
