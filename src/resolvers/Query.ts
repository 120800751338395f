/**
 * Root fields stay thin: validate the arguments (before any upstream call), turn them
 * into a `TokenKey`, and hand it to the request's loaders. List fields return one promise
 * per position, so one bad entry is `null` with its error at its own path.
 */
import type { QueryResolvers } from '../generated/resolvers-types.js';
import { fromGlobalId } from '../security/globalId.js';
import { assertIdentifier } from '../security/identifiers.js';
import { assertListLength } from '../security/operationLimits.js';
import { keyFromRef } from '../security/tokenRefs.js';
import { pageQuery } from '../inventory/inventoryPage.js';

export const Query: QueryResolvers = {
  node: (_, { id }, context) => context.load(fromGlobalId(id)),
  nodes: (_, { ids }, context) => perPosition(assertListLength('nodes', 'ids', ids, context.maxListLength).map(async (id) => context.load(fromGlobalId(id)))),
  token: (_, { ref }, context) => context.load(keyFromRef(ref)),
  tokens: (_, { refs }, context) => perPosition(assertListLength('tokens', 'refs', refs, context.maxListLength).map(async (ref) => context.load(keyFromRef(ref)))),
  crafterTicket: (_, { id }, context) => context.load({ source: 'CRAFTER_TICKET', tokenId: assertIdentifier('id', id) }),
  crafterAccessToken: (_, { id }, context) => context.load({ source: 'CRAFTER_ACCESS_TOKEN', tokenId: assertIdentifier('id', id) }),
  crafterAccessTokens: (_, __, context) => context.crafterAccessTokens(),
  astraToken: (_, args, context) =>
    context.load({
      source: 'ASTRA',
      accountId: assertIdentifier('accountId', args.accountId),
      userId: assertIdentifier('userId', args.userId),
      tokenId: assertIdentifier('tokenId', args.tokenId),
    }),
  netbirdToken: (_, args, context) =>
    context.load({ source: 'NETBIRD', userId: assertIdentifier('userId', args.userId), tokenId: assertIdentifier('tokenId', args.tokenId) }),
  gameToken: (_, { id }, context) => context.load({ source: 'GAME', tokenId: assertIdentifier('id', id) }),
  sources: (_, __, context) => context.sources(),
  inventory: async (_, args, context) => {
    // Arguments are checked before anything is read: a bad one costs no upstream call.
    const query = pageQuery({ filter: args.filter, orderBy: args.orderBy ?? 'EXPIRES_AT_ASC', first: args.first ?? 50, after: args.after });
    return (await context.inventory(args.refresh ?? false)).page(query, context.findingSettings);
  },
  tokenEvents: (_, args, context) => context.tokenEvents(args),
};

/**
 * graphql-js completes each list item on its own: a promise that resolves to `null` is
 * `null` at that position, and one that rejects is `null` there with the error at that
 * position's path. The generated types cannot say "promise of a nullable item", hence
 * this one cast.
 */
function perPosition<T>(items: Array<Promise<T | null>>): Array<Promise<T>> {
  return items as Array<Promise<T>>;
}
