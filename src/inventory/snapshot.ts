/**
 * One inventory snapshot: every token that could be found at one time (listed upstream, or
 * watched by reference), read in parts (datasources/tokenListing.ts: one user's tokens, one
 * account's users, the access-token list, one watched reference), each part read or not, and a gap
 * for every part that could not be read, grouped by source and code.
 *
 * What is kept across requests (in memory, or in the shared cache for the replicas) holds no
 * credential: Crafter access tokens are fingerprints and masks already, and watched Crafter tickets
 * (session credentials, and read only for a request: contract §7) are never part of a kept
 * snapshot at all (`storeSnapshot` drops them should one slip in).
 */
import type { TokenModel } from '../datasources/models.js';
import { sourceRow, type SourceName } from '../sources.js';

/**
 * The code of a gap tokengraph was not told how to read (Astra without ASTRA_ACCOUNT_IDS, contract
 * §7): a setting that stays until it is changed, not a failure of the upstream.
 */
export const NOT_CONFIGURED = 'INVENTORY_NOT_CONFIGURED';

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

/** One part of a read: what it holds if it was read, why not if it was not. */
export interface PartResult {
  /** Nested by `/` (datasources/tokenListing.ts `partId`): a failure covers the parts inside it. */
  id: string;
  source: SourceName;
  /** How a gap names it: `user u-17`. */
  scope: string;
  /** The global ids of the tokens it holds; empty for a part that failed or lists no token itself. */
  tokens: string[];
  /** Absent when the part was read. */
  error?: { code: string; message: string };
}

export interface Snapshot {
  /** When the read started (epoch ms): every part is read anew by one read. */
  collectedAt: number;
  /** Every token found, once each, whichever parts hold it. */
  tokens: TokenModel[];
  parts: PartResult[];
  gaps: InventoryGap[];
  /** Tokens of earlier reads in parts this one could not read, at their last known values (carryForward.ts). */
  carried?: CarriedToken[];
}

/** A token an earlier read found in `part`, which the latest read could not read. */
export interface CarriedToken {
  part: string;
  token: TokenModel;
}

/**
 * A snapshot as kept across requests and replicas: no token whose id is a session credential, nor
 * a part or gap of its source (a failed ticket part holds no token, but is no part of a kept snapshot either).
 */
export function storeSnapshot(snapshot: Snapshot): Snapshot {
  const atRest = ({ source }: { source: SourceName }) => sourceRow(source).id !== 'credential';
  if (snapshot.tokens.every(atRest) && snapshot.parts.every(atRest) && snapshot.gaps.every(atRest)) return snapshot;
  return { ...snapshot, tokens: snapshot.tokens.filter(atRest), parts: snapshot.parts.filter(atRest), gaps: snapshot.gaps.filter(atRest) };
}
