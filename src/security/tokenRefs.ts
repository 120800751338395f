/**
 * A `TokenKey` names one upstream token: everything needed to fetch it, and nothing else.
 * `TokenRef` inputs and global ids both become keys, so `token`, `tokens`, `node` and
 * `nodes` share one dispatch and one set of per-request loaders.
 */
import { badUserInput, type SourceName } from '../shared/errors.js';
import { assertIdentifier } from './identifiers.js';

export type TokenKey =
  | { source: 'CRAFTER_TICKET'; ticketId: string }
  /** By the real access-token id, as a caller who knows it asks (`crafterAccessToken`, `TokenRef`). */
  | { source: 'CRAFTER_ACCESS_TOKEN'; id: string }
  /** By the SHA-256 fingerprint of the id, as a global id carries it. */
  | { source: 'CRAFTER_ACCESS_TOKEN'; fingerprint: string }
  | { source: 'ASTRA'; accountId: string; userId: string; tokenId: string }
  | { source: 'NETBIRD'; userId: string; tokenId: string }
  | { source: 'GAME'; tokenId: string };

/** The `TokenRef` input type of the schema. */
export interface TokenRefInput {
  source: SourceName;
  tokenId: string;
  accountId?: string | null;
  userId?: string | null;
}

/**
 * Validates a `TokenRef` and turns it into a key. Throws `BAD_USER_INPUT` for a bad
 * identifier or missing context; context a source does not use is ignored.
 */
export function keyFromRef(ref: TokenRefInput): TokenKey {
  const tokenId = assertIdentifier('tokenId', ref.tokenId);
  switch (ref.source) {
    case 'CRAFTER_TICKET':
      return { source: ref.source, ticketId: tokenId };
    case 'CRAFTER_ACCESS_TOKEN':
      return { source: ref.source, id: tokenId };
    case 'ASTRA':
      return {
        source: ref.source,
        accountId: assertIdentifier('accountId', required(ref.accountId, 'accountId', ref.source)),
        userId: assertIdentifier('userId', required(ref.userId, 'userId', ref.source)),
        tokenId,
      };
    case 'NETBIRD':
      return { source: ref.source, userId: assertIdentifier('userId', required(ref.userId, 'userId', ref.source)), tokenId };
    case 'GAME':
      return { source: ref.source, tokenId };
  }
}

function required(value: string | null | undefined, field: string, source: SourceName): string {
  if (value === undefined || value === null) throw badUserInput(`${field} is required for ${source} tokens`);
  return value;
}
