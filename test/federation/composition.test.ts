/**
 * Composition, by Apollo's own library: tokengraph's subgraph SDL with two other teams'
 * subgraphs (people, which references `NetbirdPAT` and `CrafterTicket` by key and adds
 * `NetbirdPAT.holder`; reviews, which adds `Token.reviewNote` through the interface entity)
 * composes without errors, and the supergraph has the entities tokengraph declares.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../harness.js';
import { startPeopleSubgraph, type RunningSubgraph } from './peopleSubgraph.js';
import { startReviewsSubgraph } from './reviewsSubgraph.js';
import { composeSupergraph, entitiesOf } from './supergraph.js';

let stack: Stack;
let people: RunningSubgraph;
let reviews: RunningSubgraph;
beforeAll(async () => {
  [stack, people, reviews] = await Promise.all([startStack(), startPeopleSubgraph(), startReviewsSubgraph()]);
});
afterAll(async () => {
  await Promise.all([stack.close(), people.close(), reviews.close()]);
});

describe('composition', () => {
  it('composes tokengraph with the people and reviews subgraphs without errors', async () => {
    const result = await composeSupergraph(stack, { people: people.url, reviews: reviews.url });
    expect(result.errors).toBeUndefined();
    expect(result.hints?.map(String)).toEqual([]);
    expect(entitiesOf(result.supergraphSdl!)).toEqual({
      AstraToken: ['TOKENGRAPH id'],
      CrafterAccessToken: ['TOKENGRAPH id'],
      CrafterTicket: ['PEOPLE id (not resolvable)', 'TOKENGRAPH id'],
      GameToken: ['TOKENGRAPH id'],
      NetbirdPAT: ['PEOPLE id', 'TOKENGRAPH id'],
      Person: ['PEOPLE id'],
      Token: ['REVIEWS id (interface object)', 'TOKENGRAPH id'],
    });
  });
});
