/**
 * The inventory's snapshots (contract §7), one per set of credentials the reads use (forwarded
 * credentials make their own snapshots), each read at most once per `TOKENGRAPH_INVENTORY_TTL_MS`:
 *
 * - in flight: concurrent requests for the same snapshot share one read;
 * - in this process: a bounded LRU of prepared snapshots, for the TTL;
 * - across replicas: with the cross-request cache on, the snapshot at rest (no credential in it,
 *   snapshot.ts) is stored under `tokengraph:v1:inventory:<fingerprint of the credential set>`, so a
 *   replica reads what another has read. A store failure only costs the sharing.
 *
 * A request waits for a read up to its own deadline. A read that has not finished by then answers
 * from the newest earlier snapshot when there is one (its `collectedAt` shows its age), else from
 * what was read by then, every unread part a gap with code `UPSTREAM_TIMEOUT`; the read goes on and
 * its snapshot serves the next request. The read itself uses no request's signal: one client leaving
 * must not cancel a read others wait for; `close` stops it.
 *
 * `refresh: true` reads anew, but at most once per `TOKENGRAPH_INVENTORY_MIN_REFRESH_MS` per set of
 * credentials: within that time it gets the read in flight or the newest snapshot, so no caller can
 * make tokengraph hammer the upstreams.
 *
 * Two kinds of read. A kept snapshot holds the listings and the watched references whose reads
 * change nothing upstream; the watched references of sources whose every read extends a token's life
 * (Crafter tickets: reading one renews its session) are read only for a request, kept in this process
 * only, and joined to the kept snapshot in the view a request gets. The background refresh
 * (monitoring/) never reads them (`background`), so tokengraph does not keep sessions alive.
 *
 * The background refresh asks for a snapshot no older than its period (`maxAgeMs`). With Redis the
 * replicas share that work through a lease (`tokengraph:v1:inventory-lease:<credential set>`, held
 * for one period): the replica that takes it reads, the others wait for its snapshot; a holder that
 * dies lets its lease lapse, so another replica reads within a period. Each read's snapshot carries
 * the last known tokens of the parts it could not read from the snapshot before it (carryForward.ts),
 * so every replica exports the same series, and a failure never resolves an alert.
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
import { carryForward } from './carryForward.js';
import { InventoryView } from './inventoryPage.js';
import { PartLog } from './partLog.js';
import { extendsLife, readInventory, type InventoryPlan } from './readInventory.js';
import { storeSnapshot, type Snapshot } from './snapshot.js';

export interface InventoryRequest {
  /** The request's forwarded credentials, by upstream. */
  credentials?: Partial<Record<UpstreamName, string>>;
  /** The request's signal: it stops waiting (not the read) at its deadline or when its client leaves. */
  signal?: AbortSignal;
  /** Counts the read's upstream calls in the request that started it. */
  telemetry?: RequestTelemetry;
  /** Read anew, whatever is kept (at most once per TOKENGRAPH_INVENTORY_MIN_REFRESH_MS). */
  refresh?: boolean;
  /** Accept a kept snapshot at most this old, ms; default the TTL. */
  maxAgeMs?: number;
  /**
   * The background refresh: only the kept snapshot (no read that extends a token's life), read by one
   * replica per period (the lease), waiting for the whole read rather than a request's deadline.
   */
  background?: boolean;
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
  /**
   * Told of every read that completes, with its own parts only (before carry-forward: carried
   * tokens were not read), kept or request-only, and whether the caller's forwarded credentials
   * made it: the history (contract §12). Called synchronously; it must not throw.
   */
  onRead?: (snapshot: Snapshot, read: { forwarded: boolean }) => void;
}

/** Snapshots kept in this process: one per credential set, so forwarded credentials are bounded too. */
const MAX_SNAPSHOTS = 100;
const SNAPSHOT_KEY_PREFIX = `${CACHE_KEY_PREFIX}:inventory:`;
/** The snapshots' shape, in their keys: a replica never reads a snapshot another version wrote. */
const SNAPSHOT_VERSION = 'v2:';
const LEASE_KEY_PREFIX = `${CACHE_KEY_PREFIX}:inventory-lease:`;
/** Renewed by every invalidation; outside the snapshots' prefix, so forgetting them keeps it. */
const GENERATION_KEY = `${CACHE_KEY_PREFIX}:inventory-generation`;
/** The generation outlives every snapshot kept (a day, or longer if they are kept longer). */
const GENERATION_TTL_MS = 86_400_000;
/** How often a replica without the lease looks for the holder's snapshot, ms. */
const LEASE_POLL_MS = 250;

/** A prepared snapshot kept in this process, with the shared generation it was read under. */
interface Kept {
  view: InventoryView;
  shared: string | undefined;
}

/** A read in flight: its result, and its parts so far (what a request that cannot wait is shown). */
interface Reading {
  done: Promise<InventoryView>;
  log: PartLog;
}

export function createInventory(parts: InventoryParts): Inventory {
  const { dataSources, settings, cache } = parts;
  const ttl = settings.ttlMs;
  /** How long a snapshot is kept: a request wants it within the TTL, the refresh within its period. */
  const keepMs = Math.max(ttl, parts.refreshMs ?? 0);
  const kept = new LRUCache<string, Kept>({ max: MAX_SNAPSHOTS, ttl: Math.max(keepMs, 1) });
  /** The newest snapshot of each credential set, whatever its age: what a request answers from when a read is slow. */
  const newest = new LRUCache<string, InventoryView>({ max: MAX_SNAPSHOTS });
  /** The request-only part (watched tickets) of each credential set, for the TTL; never at rest. */
  const requestOnly = new LRUCache<string, InventoryView>({ max: MAX_SNAPSHOTS, ttl: Math.max(ttl, 1) });
  /** When each credential set was last read anew on request (`refresh: true`). */
  const lastAnew = new LRUCache<string, number>({ max: MAX_SNAPSHOTS });
  const inFlight = new Map<string, Reading>();
  /** Each kept view joined with a request-only part, made once per pair. */
  const joined = new WeakMap<InventoryView, WeakMap<InventoryView, InventoryView>>();
  /** Bumped by `invalidate`: a read that started before it is not kept. */
  let generation = 0;
  const reads = new AbortController();
  const leaseOwner = randomUUID();
  const fresh = (collectedAt: number, maxAgeMs: number) => Date.now() - collectedAt < maxAgeMs;
  const reportError = (error: unknown) => void cache?.reporter.error(cache.store.backend, error);
  const shares = cache?.store.backend === 'redis';
  /** Only a store other processes share has a generation to check; unreadable, it is taken as unchanged. */
  const sharedGeneration = async (): Promise<string | undefined> => (shares ? cache!.store.get(GENERATION_KEY).catch(reportError) : undefined);
  const watchKept = settings.watch.filter((key) => !extendsLife(key.source));
  const watchRequestOnly = settings.watch.filter((key) => extendsLife(key.source));

  /** The shared snapshot of `key`, if the store has one. */
  const storedSnapshot = async (key: string): Promise<Snapshot | undefined> => {
    if (!cache) return undefined;
    const stored = await cache.store.get(`${SNAPSHOT_KEY_PREFIX}${SNAPSHOT_VERSION}${key}`).catch(reportError);
    return stored === undefined ? undefined : (JSON.parse(stored) as Snapshot);
  };

  /** Starts one read of `plan` for `key`; `keep` decides what becomes of its snapshot. */
  const startRead = (request: InventoryRequest, plan: InventoryPlan, finish: (snapshot: Snapshot) => Promise<InventoryView>): Reading => {
    const log = new PartLog(Date.now(), parts.logger);
    const options: CallOptions = {
      credentials: request.credentials,
      telemetry: request.telemetry,
      signal: reads.signal,
      deadline: Date.now() + parts.deadlineMs,
      bypassCache: true,
    };
    const forwarded = Object.values(request.credentials ?? {}).some(Boolean);
    const done = readInventory(dataSources, plan, options, log).then(() => {
      const snapshot = log.snapshot();
      parts.onRead?.(snapshot, { forwarded });
      return finish(snapshot);
    });
    return { done, log };
  };

  /** Reads the kept snapshot of `key` anew: it is then kept here and shared, unless invalidated meanwhile. */
  const readKept = async (key: string, request: InventoryRequest): Promise<Reading> => {
    const started = generation;
    const sharedAtStart = await sharedGeneration();
    return startRead(request, { list: true, watch: watchKept, settings }, async (read) => {
      const snapshot = carryForward(newest.get(key)?.snapshot ?? (await storedSnapshot(key)), read);
      const view = new InventoryView(snapshot);
      // A replica invalidated while this read was on: what it read may predate the revocation.
      if (shares && (await sharedGeneration()) !== sharedAtStart) return view;
      if (started !== generation) return view;
      newest.set(key, view);
      if (keepMs > 0) {
        kept.set(key, { view, shared: sharedAtStart });
        if (cache) await cache.store.set(`${SNAPSHOT_KEY_PREFIX}${SNAPSHOT_VERSION}${key}`, JSON.stringify(storeSnapshot(snapshot)), keepMs).catch(reportError);
      }
      return view;
    });
  };

  /** The view kept for `key` if it is fresh enough and no replica invalidated snapshots since it was read. */
  const keptView = async (key: string, maxAgeMs: number): Promise<InventoryView | undefined> => {
    const entry = kept.get(key);
    if (!entry || !fresh(entry.view.snapshot.collectedAt, maxAgeMs)) return undefined;
    if (!shares) return entry.view;
    return (await sharedGeneration()) === entry.shared ? entry.view : undefined;
  };

  /** Another replica's snapshot of `key`, if the store has one fresh enough: kept here too. */
  const sharedView = async (key: string, maxAgeMs: number): Promise<InventoryView | undefined> => {
    if (!cache || maxAgeMs <= 0) return undefined;
    const sharedAtStart = await sharedGeneration();
    const snapshot = await storedSnapshot(key);
    if (!snapshot || !fresh(snapshot.collectedAt, maxAgeMs)) return undefined;
    const view = new InventoryView(snapshot);
    kept.set(key, { view, shared: sharedAtStart });
    newest.set(key, view);
    return view;
  };

  /**
   * The read of `key` to wait for: one in flight that answers what this request asks (started since
   * the last invalidation, and reading anew when this request must), or a new one.
   */
  const readingOf = async (key: string, request: InventoryRequest, anew: boolean): Promise<Reading> => {
    const flightKey = `${generation}\0${anew ? 'anew' : 'any'}\0${key}`;
    const joinable = inFlight.get(flightKey) ?? (anew ? undefined : inFlight.get(`${generation}\0anew\0${key}`));
    if (joinable) return joinable;
    const reading = await readKept(key, request);
    inFlight.set(flightKey, reading);
    void reading.done.finally(() => inFlight.delete(flightKey)).catch(() => {});
    return reading;
  };

  /**
   * Whether a request's `refresh: true` may read anew: at most once per MIN_REFRESH_MS per credential
   * set. Inside that time it gets the read in flight or the newest snapshot instead.
   */
  const mayRefresh = (key: string): boolean => {
    const last = lastAnew.get(key);
    if (last !== undefined && Date.now() - last < settings.minRefreshMs) return false;
    lastAnew.set(key, Date.now());
    return true;
  };

  /** The kept snapshot's view for a request: kept, shared, or read (waiting at most until the request's deadline). */
  const requestView = async (key: string, request: InventoryRequest, refresh: boolean): Promise<InventoryView> => {
    const maxAgeMs = request.maxAgeMs ?? ttl;
    const anew = refresh || maxAgeMs <= 0;
    if (request.refresh && !refresh) {
      const flying = inFlight.get(`${generation}\0anew\0${key}`) ?? inFlight.get(`${generation}\0any\0${key}`);
      if (flying) return waitFor(flying, request, newest.get(key));
      const newer = newest.get(key);
      if (newer) return newer;
    }
    if (!anew) {
      const found = (await keptView(key, maxAgeMs)) ?? (await sharedView(key, maxAgeMs));
      if (found) return found;
    }
    return waitFor(await readingOf(key, request, anew), request, newest.get(key));
  };

  /**
   * `reading`'s view, or, if the request's deadline comes first, the newest earlier snapshot or what
   * was read by then. A request whose client went away gets a rejection (nobody reads it).
   */
  const waitFor = (reading: Reading, request: InventoryRequest, earlier?: InventoryView): Promise<InventoryView> => {
    const { signal } = request;
    if (!signal) return reading.done;
    return new Promise<InventoryView>((resolve, reject) => {
      const onAbort = () => {
        const timedOut = (signal.reason as Error | undefined)?.name === 'TimeoutError';
        if (!timedOut) return reject(new TokengraphError('UPSTREAM_UNAVAILABLE', 'the client went away'));
        resolve(earlier ?? new InventoryView(reading.log.snapshot()));
      };
      if (signal.aborted) return onAbort();
      signal.addEventListener('abort', onAbort, { once: true });
      reading.done.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
    });
  };

  /**
   * The background refresh's view: a snapshot no older than `maxAgeMs`, read by this process, or with
   * Redis by whichever replica holds the period's lease (the others wait for its snapshot).
   */
  const backgroundView = async (key: string, request: InventoryRequest): Promise<InventoryView> => {
    const maxAgeMs = request.maxAgeMs ?? ttl;
    const found = (await keptView(key, maxAgeMs)) ?? (await sharedView(key, maxAgeMs));
    if (found) return found;
    if (!shares) return (await readingOf(key, request, true)).done;
    const giveUp = Date.now() + Math.max(maxAgeMs, LEASE_POLL_MS);
    for (;;) {
      const leased = await cache!.store.lease(`${LEASE_KEY_PREFIX}${key}`, leaseOwner, Math.max(maxAgeMs, LEASE_POLL_MS)).catch((error: unknown) => {
        // Without Redis there is no telling who reads: this replica does, as it would alone.
        reportError(error);
        return true;
      });
      if (leased) return (await readingOf(key, request, true)).done;
      await sleep(LEASE_POLL_MS, reads.signal);
      const shared = await sharedView(key, maxAgeMs);
      if (shared) return shared;
      if (Date.now() >= giveUp) throw new TokengraphError('UPSTREAM_TIMEOUT', 'the replica holding the inventory lease stored no snapshot within a period');
    }
  };

  /**
   * The request-only part of `key` (watched tickets), read for this request unless kept within the
   * TTL; with `notBefore` (a refresh), only a part read since then will do.
   */
  const requestOnlyView = async (key: string, request: InventoryRequest, notBefore?: number): Promise<InventoryView | undefined> => {
    if (watchRequestOnly.length === 0) return undefined;
    const found = requestOnly.get(key);
    if (found && (notBefore === undefined || found.snapshot.collectedAt >= notBefore)) return found;
    const flightKey = `${generation}\0request-only\0${key}`;
    let reading = inFlight.get(flightKey);
    if (reading && notBefore !== undefined && reading.log.collectedAt < notBefore) reading = undefined;
    if (!reading) {
      const started = generation;
      reading = startRead(request, { list: false, watch: watchRequestOnly, settings }, async (snapshot) => {
        const view = new InventoryView(snapshot);
        if (started === generation && ttl > 0) requestOnly.set(key, view);
        return view;
      });
      inFlight.set(flightKey, reading);
      void reading.done.finally(() => inFlight.delete(flightKey)).catch(() => {});
    }
    return waitFor(reading, request);
  };

  /** A kept view and a request-only part as one view, joined once per pair. */
  const join = (main: InventoryView, extra: InventoryView | undefined): InventoryView => {
    if (!extra) return main;
    let byExtra = joined.get(main);
    if (!byExtra) joined.set(main, (byExtra = new WeakMap()));
    let view = byExtra.get(extra);
    if (!view) {
      const [a, b] = [main.snapshot, extra.snapshot];
      const snapshot: Snapshot = {
        collectedAt: Math.min(a.collectedAt, b.collectedAt),
        tokens: [...a.tokens, ...b.tokens],
        parts: [...a.parts, ...b.parts],
        gaps: [...a.gaps, ...b.gaps],
        ...(a.carried && { carried: a.carried }),
      };
      byExtra.set(extra, (view = new InventoryView(snapshot)));
    }
    return view;
  };

  return {
    async view(request) {
      const key = credentialSetKey(dataSources, request);
      if (request.background) return backgroundView(key, request);
      const refresh = request.refresh === true && mayRefresh(key);
      if (!refresh) {
        const [main, extra] = await Promise.all([requestView(key, request, false), requestOnlyView(key, request)]);
        return join(main, extra);
      }
      // A refresh: the request-only part read since the kept part's read began, so concurrent
      // refreshes share both reads, and no part is older than the other.
      const main = await requestView(key, request, true);
      return join(main, await requestOnlyView(key, request, main.snapshot.collectedAt));
    },
    close() {
      reads.abort(new Error('tokengraph is shutting down'));
    },
    async invalidate() {
      generation += 1;
      kept.clear();
      newest.clear();
      requestOnly.clear();
      if (!cache) return;
      // Every credential set's snapshot, read here or by another replica.
      await cache.store.deletePrefix(SNAPSHOT_KEY_PREFIX).catch(reportError);
      if (shares) await cache.store.set(GENERATION_KEY, randomUUID(), Math.max(GENERATION_TTL_MS, keepMs)).catch(reportError);
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

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const aborted = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', aborted);
      resolve();
    }, ms);
    signal.addEventListener('abort', aborted, { once: true });
  });
}
