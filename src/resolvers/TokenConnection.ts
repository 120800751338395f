import type { TokenConnectionResolvers } from '../generated/resolvers-types.js';

/** An inventory page (inventory/inventoryPage.ts); its finding counts are worked out only when asked for. */
export const TokenConnection: TokenConnectionResolvers = {
  findingCounts: (page) => page.findingCounts(),
};
