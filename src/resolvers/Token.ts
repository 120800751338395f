import type { NodeResolvers, TokenResolvers } from '../generated/resolvers-types.js';
import type { TokenModel } from '../datasources/models.js';
import { sourceRow } from '../sources.js';
import { resolveReference } from './resolveReference.js';

/** The concrete type of a token is its source's (src/sources.ts). */
const resolveType = (parent: TokenModel) => sourceRow(parent.source).type;

/** `Token` is an interface entity: a subgraph that holds only a global id can reference any token. */
export const Token: TokenResolvers = {
  __resolveType: resolveType,
  __resolveReference: (ref, context) => resolveReference(context, 'Token', ref.id),
};
export const Node: NodeResolvers = { __resolveType: resolveType };
