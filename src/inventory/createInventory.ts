/**
 * The inventory's snapshots (contract §7), one per set of credentials the reads use (forwarded
 * credentials make their own snapshots), each read at most once per `TOKENGRAPH_INVENTORY_TTL_MS`:
 *
 * - in flight: concurrent requests for the same snapshot share one read;
 * - in this process: a bounded LRU of prepared snapshots, for the TTL;
 * - across replicas: with the cross-request cache on, the snapshot at rest (no credential in it,
 *   snapshot.ts) is stored under `tokengraph:v1:inventory:<fingerprint of the credential set>` for
 *   the TTL, so a replica reads what another has read. A store failure only costs the sharing.
 *
 * `refresh` reads anew. A request waits for the read up to its own deadline; the read goes on for
 * the next request. The read itself uses no request's signal: one client leaving must not cancel a
 * read others wait for; `close` stops it.
 *
 * The background refresh (monitoring/) asks for a snapshot no older than its period (`maxAgeMs`),
 * so with Redis one replica reads and the others take its snapshot: snapshots are stored for the
 * longer of the TTL and the refresh period, and each caller checks their age against its own bound.
 *
 * Revoked tokens (cache/tombstones.ts): every snapshot carries `since`, when its read started on
 * the tombstones' clock, and every request is served its snapshot without the tokens revoked from
 * then until the request arrived. So no snapshot read before a revocation shows its token, however
 * it is kept (this process's LRU, a read in flight, Redis) and whichever replica kept or put it
 * back; nothing is invalidated or deleted. A request that arrived before the revocation may still
 * be answered as read then (its read overlapped the revocation).
 */
import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { Cache } from '../cache/createCache.js';
import { CACHE_KEY_PREFIX } from '../cache/cacheKey.js';
import type { Tombstones } from '../cache/tombstones.js';
import type { InventoryConfig } from '../config/readConfig.js';
import type { DataSources } from '../datasources/createDataSources.js';
import type { TokenModel } from '../datasources/models.js';
import type { CallOptions } from '../datasources/upstreamClient.js';
import type { Logger } from '../observability/createLogger.js';
import type { RequestTelemetry } from '../observability/requestTelemetry.js';
import { restingRef } from '../security/secretIds.js';
import { TokengraphError } from '../shared/errors.js';
import type { UpstreamName } from '../sources.js';
import { InventoryView } from './inventoryPage.js';
import { readInventory } from './readInventory.js';
import { restoreSnapshot, storeSnapshot, type Snapshot, type StoredSnapshot } from './snapshot.js';

export interface InventoryRequest {
  /** The request's forwarded credentials, by upstream. */
  credentials?: Partial<Record<UpstreamName, string>>;
  /** The request's signal: it stops waiting (not the read) at its deadline or when its client leaves. */
  signal?: AbortSignal;
  /** Counts the read's upstream calls in the request that started it. */
  telemetry?: RequestTelemetry;
  /** Read anew, whatever is kept. */
  refresh?: boolean;
  /** Accept a kept snapshot at most this old, ms; default the TTL. */
  maxAgeMs?: number;
}

export interface Inventory {
  /** The prepared snapshot for the request's credentials, without the tokens revoked since it was read. */
  view(request: InventoryRequest): Promise<InventoryView>;
  /** Stops the reads in flight (at shutdown). */
  close(): void;
}

export interface InventoryParts {
  dataSources: DataSources;
  settings: InventoryConfig;
  /** Longest time one read may take, ms. */
  deadlineMs: number;
  /** The cross-request cache, when on: snapshots are shared through its store. */
  cache?: Cache;
  /** The revoked tokens: no snapshot shows one it was read before (the cache's, or this process's when it is off). */
  tombstones: Tombstones;
  /** How often the background refresh reads, ms (0: no refresh): snapshots are kept at least this long. */
  refreshMs?: number;
  logger?: Logger;
}

/** Snapshots kept in this process: one per credential set, so forwarded credentials are bounded too. */
const MAX_SNAPSHOTS = 100;
const SNAPSHOT_KEY_PREFIX = `${CACHE_KEY_PREFIX}:inventory:`;

/**
 * A snapshot with when its read started on the tombstones' clock (`since`; unknown, -Infinity,
 * when that clock could not be read: every token revoked within the retention is then hidden).
 */
interface Kept {
  view: InventoryView;
  since: number;
  /** Each token's `restingRef`, in the snapshot's order: worked out at the first revocation that concerns it. */
  refs?: string[];
  /** The view without the tokens revoked since, for the last set of them asked for. */
  without?: { revoked: string; view: InventoryView };
}

/** A snapshot at rest with its `since` (absent: unknown). */
type SharedSnapshot = StoredSnapshot & { since?: number };

export function createInventory(parts: InventoryParts): Inventory {
  const { dataSources, settings, cache, tombstones } = parts;
  const ttl = settings.ttlMs;
  /** How long a snapshot is kept: a request wants it within the TTL, the refresh within its period. */
  const keepMs = Math.max(ttl, parts.refreshMs ?? 0);
  const kept = new LRUCache<string, Kept>({ max: MAX_SNAPSHOTS, ttl: Math.max(keepMs, 1) });
  const inFlight = new Map<string, Promise<Kept>>();
  const reads = new AbortController();
  const fresh = (collectedAt: number, maxAgeMs: number) => Date.now() - collectedAt < maxAgeMs;
  const reportError = (error: unknown) => void cache?.reporter.error(cache.store.backend, error);

  const read = async (key: string, request: InventoryRequest, maxAgeMs: number): Promise<Kept> => {
    const shared = `${SNAPSHOT_KEY_PREFIX}${key}`;
    if (!request.refresh && cache && maxAgeMs > 0) {
      const stored = await cache.store.get(shared).catch(reportError);
      const snapshot = stored === undefined ? undefined : (JSON.parse(stored) as SharedSnapshot);
      if (snapshot && fresh(snapshot.collectedAt, maxAgeMs)) {
        const found: Kept = { view: new InventoryView(restoreSnapshot(snapshot, settings.watch)), since: snapshot.since ?? Number.NEGATIVE_INFINITY };
        kept.set(key, found);
        return found;
      }
    }
    // Taken before anything is read: a token revoked from now on may be in what is read.
    const since = await tombstones.now().catch((error: unknown) => (reportError(error), Number.NEGATIVE_INFINITY));
    const options: CallOptions = {
      credentials: request.credentials,
      telemetry: request.telemetry,
      signal: reads.signal,
      deadline: Date.now() + parts.deadlineMs,
      bypassCache: true,
    };
    const snapshot = await readInventory(dataSources, settings, options, parts.logger);
    const done: Kept = { view: new InventoryView(snapshot), since };
    // Kept and shared even when a revocation happened meanwhile: served, it hides that token.
    if (keepMs > 0) {
      kept.set(key, done);
      if (cache) await cache.store.set(shared, JSON.stringify(atRest(snapshot, since)), keepMs).catch(reportError);
    }
    return done;
  };

  /** The snapshot kept for `key` if it is fresh enough. */
  const keptFor = (key: string, maxAgeMs: number): Kept | undefined => {
    const entry = kept.get(key);
    return entry && fresh(entry.view.snapshot.collectedAt, maxAgeMs) ? entry : undefined;
  };

  /**
   * Joins a read in flight only if it answers what this request asks: one that reads anew when
   * this request must (`refresh`), and that takes a shared snapshot only within this request's own
   * age bound. A read that started before a revocation is joined too: what it returns is served
   * without the tokens revoked since it started.
   */
  const readOnce = (key: string, request: InventoryRequest, maxAgeMs: number): Promise<Kept> => {
    const anew = request.refresh === true || maxAgeMs <= 0;
    const flightKey = `${anew ? 'anew' : maxAgeMs}\0${key}`;
    let reading = inFlight.get(flightKey);
    if (!reading) {
      reading = read(key, { ...request, refresh: anew }, maxAgeMs).finally(() => inFlight.delete(flightKey));
      inFlight.set(flightKey, reading);
    }
    return reading;
  };

  /** `found`'s view without the tokens revoked from its read's start until `asOf` (when the request arrived). */
  const withoutRevoked = async (found: Kept, asOf: number): Promise<InventoryView> => {
    const revoked = await tombstones.revokedBetween(found.since, asOf);
    if (revoked.size === 0) return found.view;
    const { tokens } = found.view.snapshot;
    const refs = (found.refs ??= tokens.map(restingRefOf));
    const gone = refs.filter((ref) => revoked.has(ref));
    if (gone.length === 0) return found.view;
    // Worked out once per set of revoked tokens it holds, not per request.
    const signature = gone.sort().join('\n');
    if (found.without?.revoked !== signature) {
      const snapshot: Snapshot = { ...found.view.snapshot, tokens: tokens.filter((_, i) => !revoked.has(refs[i]!)) };
      found.without = { revoked: signature, view: new InventoryView(snapshot) };
    }
    return found.without.view;
  };

  return {
    view(request) {
      const key = credentialSetKey(dataSources, request);
      const maxAgeMs = request.maxAgeMs ?? ttl;
      // When this request arrived on the tombstones' clock: every revocation until then applies to it.
      const asOf = tombstones.now().catch((error: unknown) => (reportError(error), Number.POSITIVE_INFINITY));
      const keptNow = request.refresh || maxAgeMs <= 0 ? undefined : keptFor(key, maxAgeMs);
      const found = (keptNow ? Promise.resolve(keptNow) : readOnce(key, request, maxAgeMs)).then(async (snapshot) => withoutRevoked(snapshot, await asOf));
      return untilAborted(found, request.signal);
    },
    close() {
      reads.abort(new Error('tokengraph is shutting down'));
    },
  };
}

/** A snapshot at rest, with when its read started. */
function atRest(snapshot: Snapshot, since: number): SharedSnapshot {
  const stored: SharedSnapshot = storeSnapshot(snapshot);
  if (Number.isFinite(since)) stored.since = since;
  return stored;
}

/** A listed or watched token as tombstones name it. */
function restingRefOf(token: TokenModel): string {
  return restingRef(token.source === 'CRAFTER_ACCESS_TOKEN' ? { source: token.source, fingerprint: token.fingerprint } : token.key);
}

/**
 * A fingerprint of the credentials an inventory read with this request's options would send, one
 * per configured source: two requests share a snapshot exactly when they would read the same.
 */
function credentialSetKey(dataSources: DataSources, request: InventoryRequest): string {
  const options: CallOptions = { credentials: request.credentials };
  const hash = createHash('sha256').update('tokengraph inventory credentials\0');
  for (const [source, client] of Object.entries(dataSources.clients)) hash.update(`${source}\0${client.credentialOf(options) ?? ''}\0`);
  return hash.digest('hex').slice(0, 32);
}

/** `promise`, or a rejection as soon as `signal` aborts: at the request's deadline, or when its client left. */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => {
      const timedOut = (signal.reason as Error | undefined)?.name === 'TimeoutError';
      reject(new TokengraphError(timedOut ? 'UPSTREAM_TIMEOUT' : 'UPSTREAM_UNAVAILABLE', timedOut ? "the inventory was not read before the request's deadline; it is still being read" : 'the client went away'));
    };
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
