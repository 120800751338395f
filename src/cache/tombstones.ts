/**
 * Tombstones: what tokengraph remembers of the tokens it revoked (contract §9), so that nothing
 * cached shows them afterwards, whichever replica cached it and whenever the write landed.
 *
 * A tombstone is laid when a revocation call may have acted (it did, the token was gone already,
 * or the outcome is unknown) and is kept for `TOMBSTONE_RETENTION_MS`: longer than any cache entry
 * or inventory snapshot can live (24 h at most, however configured) plus the longest read that can
 * write one (an hour), so every copy made before the revocation has expired before it is dropped.
 * It has two parts, each read by one kind of cached read:
 *
 * - a mark per cross-request cache resource that holds the token (its own path; for a Crafter
 *   access token, the access-token list): while it is there, no entry of that resource is served
 *   or stored, whoever read it and whenever (sourceCache.ts). A read in flight during the
 *   revocation may still write its entry; nobody reads it. Reads of a marked resource go to the
 *   upstream, which is the truth: a revoked token is not found there, and one whose revocation
 *   did not act after all is shown as it is.
 * - the token, stamped with when it was revoked: every inventory snapshot records when its read
 *   started (`now()`), and hides the tokens revoked at or after that (inventory/createInventory.ts),
 *   so a snapshot read before a revocation never shows its token, wherever it is kept or whoever
 *   put it back into Redis; a snapshot read after it shows what the upstreams said.
 *
 * Laying one costs a few writes (no scan, whatever else the store holds). No credential is in
 * either: marks are cache resources (ids that are credentials fingerprinted), tokens are
 * `restingRef`s (security/secretIds.ts). With `memory` (or no cache) they live in this process
 * (createMemoryTombstones.ts), with `redis` in Redis for every replica (createRedisTombstones.ts).
 */
import type { SourceName } from '../sources.js';

/** How long a tombstone is kept: the longest cache TTL or snapshot lifetime (24 h) plus the longest read (1 h). */
export const TOMBSTONE_RETENTION_MS = 25 * 3_600_000;

/** One of a source's cross-request cache resources: what its entries' keys are made from (cacheKey.ts). */
export interface CacheResource {
  source: SourceName;
  resource: readonly string[];
}

/** One revoked token. */
export interface Tombstone {
  /** The token as inventory snapshots know it: its `restingRef`. */
  token: string;
  /** The cache resources that may hold it. */
  resources: readonly CacheResource[];
}

/** Revoked tokens, and whether that is all of them (false: the shared store did not answer). */
export interface Revoked {
  tokens: ReadonlySet<string>;
  known: boolean;
}

export interface Tombstones {
  /** `memory` or `redis`: the metrics' and warnings' name for where they are kept. */
  readonly backend: 'memory' | 'redis';
  /**
   * Lays `tombstones`, stamped now. Resolves once they are stored; never rejects: what could not be
   * stored is reported, kept in this process (which goes on hiding it) and written again later.
   */
  bury(tombstones: readonly Tombstone[]): Promise<void>;
  /** Whether a tombstone marks `resource`; rejects when that cannot be known (the cache then serves none of its entries). */
  isMarked(resource: CacheResource): Promise<boolean>;
  /** Now, on the clock tombstones are stamped by (ms): when a snapshot's read starts, or a request. */
  now(): Promise<number>;
  /**
   * The `token`s of the tombstones stamped from `from` to `to`, both included (either may be
   * infinite); `known` false when the shared store could not be read: then only this process's.
   */
  revokedBetween(from: number, to: number): Promise<Revoked>;
  /** Stops writing again what could not be stored (at shutdown). */
  close(): void;
}
