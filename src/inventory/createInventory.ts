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
 * `invalidate` (after a revocation) forgets every snapshot: this process's, and in the shared
 * store every credential set's. With Redis it also renews a shared generation, which every replica
 * reads (one GET) before serving a snapshot it keeps in memory, so none serves a snapshot older
 * than the revocation.
 */
import { createHash, randomUUID } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { Cache } from '../cache/createCache.js';
import { CACHE_KEY_PREFIX } from '../cache/cacheKey.js';
import type { InventoryConfig } from '../config/readConfig.js';
import type { DataSources } from '../datasources/createDataSources.js';
import type { CallOptions } from '../datasources/upstreamClient.js';
import type { Logger } from '../observability/createLogger.js';
import type { RequestTelemetry } from '../observability/requestTelemetry.js';
import { TokengraphError } from '../shared/errors.js';
import type { UpstreamName } from '../sources.js';
import { InventoryView } from './inventoryPage.js';
import { readInventory } from './readInventory.js';
import { restoreSnapshot, storeSnapshot, type StoredSnapshot } from './snapshot.js';

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
  /** The prepared snapshot for the request's credentials. */
  view(request: InventoryRequest): Promise<InventoryView>;
  /** Forgets every snapshot kept, here and in the shared store (after a revocation). */
  invalidate(): Promise<void>;
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
  /** How often the background refresh reads, ms (0: no refresh): snapshots are kept at least this long. */
  refreshMs?: number;
  logger?: Logger;
}

/** Snapshots kept in this process: one per credential set, so forwarded credentials are bounded too. */
const MAX_SNAPSHOTS = 100;
const SNAPSHOT_KEY_PREFIX = `${CACHE_KEY_PREFIX}:inventory:`;
/** Renewed by every invalidation; outside the snapshots' prefix, so forgetting them keeps it. */
const GENERATION_KEY = `${CACHE_KEY_PREFIX}:inventory-generation`;
/** The generation outlives every snapshot kept (a day, or longer if they are kept longer). */
const GENERATION_TTL_MS = 86_400_000;

/** A prepared snapshot kept in this process, with the shared generation it was read under. */
interface Kept {
  view: InventoryView;
  shared: string | undefined;
}

export function createInventory(parts: InventoryParts): Inventory {
  const { dataSources, settings, cache } = parts;
  const ttl = settings.ttlMs;
  /** How long a snapshot is kept: a request wants it within the TTL, the refresh within its period. */
  const keepMs = Math.max(ttl, parts.refreshMs ?? 0);
  const kept = new LRUCache<string, Kept>({ max: MAX_SNAPSHOTS, ttl: Math.max(keepMs, 1) });
  const inFlight = new Map<string, Promise<InventoryView>>();
  /** Bumped by `invalidate`: a read that started before it is not kept. */
  let generation = 0;
  const reads = new AbortController();
  const fresh = (collectedAt: number, maxAgeMs: number) => Date.now() - collectedAt < maxAgeMs;
  const reportError = (error: unknown) => void cache?.reporter.error(cache.store.backend, error);
  /** Only a store other processes share has a generation to check; unreadable, it is taken as unchanged. */
  const sharedGeneration = async (): Promise<string | undefined> => (cache?.store.backend === 'redis' ? cache.store.get(GENERATION_KEY).catch(reportError) : undefined);

  const read = async (key: string, request: InventoryRequest, maxAgeMs: number): Promise<InventoryView> => {
    const started = generation;
    const shared = `${SNAPSHOT_KEY_PREFIX}${key}`;
    const sharedAtStart = await sharedGeneration();
    const keep = (view: InventoryView) => {
      if (started === generation) kept.set(key, { view, shared: sharedAtStart });
    };
    if (!request.refresh && cache && maxAgeMs > 0) {
      const stored = await cache.store.get(shared).catch(reportError);
      const snapshot = stored === undefined ? undefined : (JSON.parse(stored) as StoredSnapshot);
      if (snapshot && fresh(snapshot.collectedAt, maxAgeMs)) {
        const view = new InventoryView(restoreSnapshot(snapshot, settings.watch));
        keep(view);
        return view;
      }
    }
    const options: CallOptions = {
      credentials: request.credentials,
      telemetry: request.telemetry,
      signal: reads.signal,
      deadline: Date.now() + parts.deadlineMs,
      bypassCache: true,
    };
    const snapshot = await readInventory(dataSources, settings, options, parts.logger);
    const view = new InventoryView(snapshot);
    // A replica invalidated while this read was on: what it read may predate the revocation.
    if (cache?.store.backend === 'redis' && (await sharedGeneration()) !== sharedAtStart) return view;
    if (keepMs > 0 && started === generation) {
      keep(view);
      if (cache) await cache.store.set(shared, JSON.stringify(storeSnapshot(snapshot)), keepMs).catch(reportError);
    }
    return view;
  };

  /** The view kept for `key` if it is fresh enough and no replica invalidated snapshots since it was read. */
  const keptView = async (key: string, maxAgeMs: number): Promise<InventoryView | undefined> => {
    const entry = kept.get(key);
    if (!entry || !fresh(entry.view.snapshot.collectedAt, maxAgeMs)) return undefined;
    if (cache?.store.backend !== 'redis') return entry.view;
    return (await sharedGeneration()) === entry.shared ? entry.view : undefined;
  };

  /**
   * Joins a read in flight only if it answers what this request asks: one started since the last
   * invalidation (an older one may still show a revoked token), that reads anew when this request
   * must (`refresh`), and that takes a shared snapshot only within this request's own age bound.
   */
  const readOnce = (key: string, request: InventoryRequest, maxAgeMs: number): Promise<InventoryView> => {
    const anew = request.refresh === true || maxAgeMs <= 0;
    const flightKey = `${generation}\0${anew ? 'anew' : maxAgeMs}\0${key}`;
    let reading = inFlight.get(flightKey);
    if (!reading) {
      reading = read(key, { ...request, refresh: anew }, maxAgeMs).finally(() => inFlight.delete(flightKey));
      inFlight.set(flightKey, reading);
    }
    return reading;
  };

  return {
    view(request) {
      const key = credentialSetKey(dataSources, request);
      const maxAgeMs = request.maxAgeMs ?? ttl;
      if (request.refresh || maxAgeMs <= 0) return untilAborted(readOnce(key, request, maxAgeMs), request.signal);
      const found = keptView(key, maxAgeMs).then((view) => view ?? readOnce(key, request, maxAgeMs));
      return untilAborted(found, request.signal);
    },
    close() {
      reads.abort(new Error('tokengraph is shutting down'));
    },
    async invalidate() {
      generation += 1;
      kept.clear();
      if (!cache) return;
      // Every credential set's snapshot, read here or by another replica.
      await cache.store.deletePrefix(SNAPSHOT_KEY_PREFIX).catch(reportError);
      if (cache.store.backend === 'redis') await cache.store.set(GENERATION_KEY, randomUUID(), Math.max(GENERATION_TTL_MS, keepMs)).catch(reportError);
    },
  };
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
