/**
 * One inventory snapshot: every token that could be found at one time (listed upstream, or
 * watched by reference), and a gap for every part that could not be read, grouped by source and
 * code. What is kept across requests (in memory, or in the shared cache for the replicas) is the
 * `StoredSnapshot`, which holds no credential: Crafter access tokens are fingerprints and masks
 * already, and a watched Crafter ticket (its id a session credential) is kept by its fingerprint
 * and given its id back from the watch list as the snapshot is read.
 */
import type { CrafterTicketModel, TokenModel } from '../datasources/models.js';
import { fingerprintSecretId } from '../security/secretIds.js';
import type { SourceName, TokenKey } from '../sources.js';

/** What could not be read, by source and code (contract §7's `InventoryGap`). */
export interface InventoryGap {
  source: SourceName;
  /** A contract §4 code, or INVENTORY_NOT_CONFIGURED. */
  code: string;
  /** How many parts failed this way. */
  count: number;
  /** Up to ten of them (`user u-17`, `account acme`). */
  scopes: string[];
  message: string;
}

export interface Snapshot {
  /** When it was read (epoch ms): every part is read anew by one read. */
  collectedAt: number;
  tokens: TokenModel[];
  gaps: InventoryGap[];
}

/** A snapshot at rest: tickets by fingerprint, no other change. */
export interface StoredSnapshot {
  collectedAt: number;
  tokens: Array<Exclude<TokenModel, CrafterTicketModel> | StoredTicket>;
  gaps: InventoryGap[];
}

interface StoredTicket {
  source: 'CRAFTER_TICKET';
  fingerprint: string;
  record: CrafterTicketModel['record'];
}

export function storeSnapshot(snapshot: Snapshot): StoredSnapshot {
  return {
    ...snapshot,
    tokens: snapshot.tokens.map((token) =>
      token.source === 'CRAFTER_TICKET' ? { source: token.source, fingerprint: fingerprintSecretId(token.key.tokenId), record: token.record } : token,
    ),
  };
}

/** The snapshot again, each ticket given its id from `watch`; a ticket no longer watched is left out. */
export function restoreSnapshot(stored: StoredSnapshot, watch: readonly TokenKey[]): Snapshot {
  const tickets = new Map<string, string>();
  for (const key of watch) if (key.source === 'CRAFTER_TICKET') tickets.set(fingerprintSecretId(key.tokenId), key.tokenId);
  const tokens: TokenModel[] = [];
  for (const token of stored.tokens) {
    if (token.source !== 'CRAFTER_TICKET') tokens.push(token);
    else if ('fingerprint' in token) {
      const tokenId = tickets.get(token.fingerprint);
      if (tokenId !== undefined) tokens.push({ source: 'CRAFTER_TICKET', key: { source: 'CRAFTER_TICKET', tokenId }, record: token.record });
    }
  }
  return { ...stored, tokens };
}
