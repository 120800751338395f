import { resolveReference } from './resolveReference.js';
import type { TokenTypeName } from '../security/globalId.js';
import type { NodeResolvers, TokenResolvers } from '../generated/resolvers-types.js';
import type { TokenModel } from '../datasources/models.js';

/** The concrete type of each source's records. */
export const TYPE_BY_SOURCE: Record<TokenModel['source'], TokenTypeName> = {
  CRAFTER_TICKET: 'CrafterTicket',
  CRAFTER_ACCESS_TOKEN: 'CrafterAccessToken',
  ASTRA: 'AstraToken',
  NETBIRD: 'NetbirdPAT',
  GAME: 'GameToken',
};

const resolveType = (parent: TokenModel) => TYPE_BY_SOURCE[parent.source];

/** `Token` is an interface entity: a subgraph that holds only a global id can reference any token. */
export const Token: TokenResolvers = {
  __resolveType: resolveType,
  __resolveReference: (ref, context) => resolveReference(context, 'Token', ref.id),
};
export const Node: NodeResolvers = { __resolveType: resolveType };
