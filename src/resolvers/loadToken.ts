import type { Context } from '../graph/createContext.js';
import type { TokenModel } from '../datasources/models.js';
import type { TokenKey } from '../security/tokenRefs.js';

/** The one dispatch from a key to its source's per-request loader, shared by every root field. */
export function loadToken(context: Context, key: TokenKey): Promise<TokenModel | null> {
  switch (key.source) {
    case 'CRAFTER_TICKET':
      return context.crafterProfile.ticket.load(key.ticketId);
    case 'CRAFTER_ACCESS_TOKEN':
      return 'id' in key
        ? context.crafterProfile.accessTokenById(key.id)
        : context.crafterProfile.accessTokenByFingerprint(key.fingerprint);
    case 'ASTRA':
      return context.astra.load({ accountId: key.accountId, userId: key.userId, tokenId: key.tokenId });
    case 'NETBIRD':
      return context.netbird.load({ userId: key.userId, tokenId: key.tokenId });
    case 'GAME':
      return context.games.load(key.tokenId);
  }
}
