/**
 * Schema stitching: tokengraph as an in-process subschema of a `@graphql-tools/stitch`
 * gateway. `createTokengraphSubschema` returns tokengraph's executable schema (the one
 * `createSchema` builds, without the Federation plumbing) and a subschema configuration
 * ready for `stitchSchemas({ subschemas: [subschemaConfig, ...] })`:
 *
 * - `merge`: every concrete token type merges by its global `id`, through `nodes(ids:)`,
 *   so another subschema that returns `{ id }` of a token gets all of tokengraph's fields.
 * - `executor`: runs each delegated operation against tokengraph's schema with a tokengraph
 *   `Context`. That context (the per-request loaders) is made once per gateway request,
 *   keyed by the gateway's own context object, so every delegation of one gateway request
 *   shares one set of loaders: one upstream call per distinct resource, as over HTTP.
 *   The gateway's context needs nothing from tokengraph; it only has to be an object
 *   (without one, each delegation gets fresh loaders).
 *
 * This module needs no stitching package at run time; the shapes below are the parts of
 * `SubschemaConfig` it fills in. The caller owns `dataSources` and closes them.
 */
import {
  execute,
  GraphQLObjectType,
  GraphQLSchema,
  isSpecifiedDirective,
  type DocumentNode,
  type ExecutionResult,
} from 'graphql';
import type { Inventory } from '../inventory/createInventory.js';
import { createContext } from './createContext.js';
import type { Context } from '../resolvers/context.js';
import type { DataSources } from '../datasources/createDataSources.js';
import { SOURCES, type TokenTypeName } from '../sources.js';
import { createSchema } from './createSchema.js';

/** The parts of `@graphql-tools/delegate`'s `ExecutionRequest` the executor reads. */
export interface StitchingRequest {
  document: DocumentNode;
  variables?: Record<string, unknown>;
  operationName?: string;
  context?: unknown;
  rootValue?: unknown;
  signal?: AbortSignal;
}

/** A merged-type entry point keyed by the global id (`MergedTypeConfig` in `@graphql-tools/delegate`). */
export interface TokenMergeConfig {
  selectionSet: string;
  fieldName: string;
  key: (token: { id: string }) => string;
  argsFromKeys: (ids: readonly string[]) => { ids: string[] };
}

export interface TokengraphSubschema {
  /** tokengraph's executable schema, without `_service`, `_entities` and the Federation directives. */
  schema: GraphQLSchema;
  /** Pass to `stitchSchemas({ subschemas: [...] })`. */
  subschemaConfig: {
    name: string;
    schema: GraphQLSchema;
    executor: <TData>(request: StitchingRequest) => Promise<ExecutionResult<TData>>;
    batch: boolean;
    merge: Record<TokenTypeName, TokenMergeConfig>;
  };
}

export interface TokengraphSubschemaOptions {
  /** The upstream APIs (`createDataSources(config)`); the caller closes them on shutdown. */
  dataSources: DataSources;
  /** The inventory's snapshots (`createInventory`); without it, `inventory` is not available. */
  inventory?: Inventory;
}

export function createTokengraphSubschema({ dataSources, inventory }: TokengraphSubschemaOptions): TokengraphSubschema {
  const schema = withoutFederation(createSchema());
  const contexts = new WeakMap<object, Context>();

  const contextFor = (request: StitchingRequest): Context => {
    const outer = request.context;
    if (typeof outer !== 'object' || outer === null) return createContext({ dataSources, inventory }, { signal: request.signal });
    let context = contexts.get(outer);
    if (!context) {
      context = createContext({ dataSources, inventory }, { signal: request.signal });
      contexts.set(outer, context);
    }
    return context;
  };

  const byId: TokenMergeConfig = {
    selectionSet: '{ id }',
    fieldName: 'nodes',
    key: ({ id }) => id,
    argsFromKeys: (ids) => ({ ids: [...ids] }),
  };

  return {
    schema,
    subschemaConfig: {
      name: 'tokengraph',
      schema,
      executor: async <TData>(request: StitchingRequest) =>
        (await execute({
          schema,
          document: request.document,
          variableValues: request.variables,
          operationName: request.operationName,
          rootValue: request.rootValue,
          contextValue: contextFor(request),
        })) as ExecutionResult<TData>,
      // Merge lookups of one tick go out as one `nodes` call.
      batch: true,
      merge: Object.fromEntries(SOURCES.map((row) => [row.type, byId])) as Record<TokenTypeName, TokenMergeConfig>,
    },
  };
}

/**
 * The same types and resolvers, minus what only a Federation gateway uses: the
 * `_service` and `_entities` root fields, their types, and the `@link`/`@key` directives.
 */
function withoutFederation(subgraph: GraphQLSchema): GraphQLSchema {
  const config = subgraph.toConfig();
  const queryConfig = subgraph.getQueryType()!.toConfig();
  const { _entities, _service, ...fields } = queryConfig.fields;
  const query = new GraphQLObjectType({ ...queryConfig, fields });
  const federationOnly = (name: string) =>
    ['_Service', '_Any', '_Entity', queryConfig.name].includes(name) || name.startsWith('link__') || name.startsWith('federation__');
  return new GraphQLSchema({
    ...config,
    query,
    types: config.types.filter((type) => !federationOnly(type.name)),
    directives: config.directives.filter(isSpecifiedDirective),
    astNode: undefined,
    extensionASTNodes: [],
  });
}
