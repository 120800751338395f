/**
 * The inventory's snapshots (contract §7), one per set of credentials the reads use (forwarded
 * credentials make their own snapshots), each read at most once per `TOKENGRAPH_INVENTORY_TTL_MS`:
 *
 * - in flight: concurrent requests for the same snapshot share one read;
 * - in this process: a bounded LRU of prepared snapshots, for the TTL;
 * - across replicas: with the cross-request cache on, the snapshot at rest (no credential in it,
 *   snapshot.ts) is stored under `tokengraph:v1:inventory:v2:<fingerprint of the credential set>`, so a
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
 * replicas share that work through a lease (`tokengraph:v1:inventory-lease:<credential set>`): the
 * replica that takes it reads, the others wait for its next snapshot, however long its read takes
 * (a snapshot is as old as its read's start, so one that took longer than a period is taken too:
 * it is newer than what they have). The holder renews the lease for a period every third of one,
 * on a timer, reading or not, so it never lapses while the holder lives (renewed only as reads
 * started and ended, it lapsed in the middle of reads longer than it, and between reads whenever a
 * replica was slow); a holder that dies lets it lapse within a period, and the next replica to
 * refresh takes it. Each read's snapshot carries
 * the last known tokens of the parts it could not read from the snapshot before it (carryForward.ts),
 * so every replica exports the same series, and a failure never resolves an alert.
 *
 * Revoked tokens (cache/tombstones.ts): every snapshot carries `since`, when its read started on
 * the tombstones' clock, and every request is served its snapshot without the tokens revoked from
 * then until the request arrived (the snapshot's carried tokens too). So no snapshot read before a
 * revocation shows its token, however it is kept (this process's LRU, a read in flight, Redis) and
 * whichever replica kept or put it back; nothing is invalidated or deleted. A request that arrived
 * before the revocation may still be answered as read then (its read overlapped the revocation).
 */
import { createHash, randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
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
import { carryForward } from './carryForward.js';
import { InventoryView } from './inventoryPage.js';
import { PartLog, withGaps } from './partLog.js';
import { extendsLife, readInventory, readLimits, type InventoryPlan } from './readInventory.js';
import { storeSnapshot, type InventoryGap, type Snapshot } from './snapshot.js';

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
/** Renewals per lease period: a holder renews well before its lease lapses. */
const LEASE_RENEWALS = 3;
/** The gap each source of a view shows while the revocations of other replicas cannot be read. */
const REVOCATIONS_UNKNOWN = 'the tokens revoked through other replicas cannot be read (the shared cache does not answer): a token revoked there may still be shown';
/** How often a replica without the lease looks for the holder's snapshot, ms. */
const LEASE_POLL_MS = 250;

/**
 * A prepared snapshot with when its read started on the tombstones' clock (`since`; unknown,
 * -Infinity, when that clock could not be read: every token revoked within the retention is then hidden).
 */
interface Kept {
  view: InventoryView;
  since: number;
  /**
   * When it was kept in this process (performance.now(): the wall clock may step), to serve requests
   * for `keepMs`; absent, it is only the newest snapshot, which a slow read answers from.
   */
  keptAt?: number;
  /** Each token's `restingRef`, in the snapshot's order: worked out at the first revocation that concerns it. */
  refs?: string[];
  /** The view without the tokens revoked since, for the last set of them asked for. */
  without?: { revoked: string; view: InventoryView };
}

/** A snapshot at rest with its `since` (absent: unknown). */
type SharedSnapshot = Snapshot & { since?: number };

/** A read in flight: its result, and its parts so far (what a request that cannot wait is shown). */
interface Reading {
  done: Promise<Kept>;
  log: PartLog;
  since: number;
}

export function createInventory(parts: InventoryParts): Inventory {
  const { dataSources, settings, cache, tombstones } = parts;
  const ttl = settings.ttlMs;
  /** How long a snapshot is kept: a request wants it within the TTL, the refresh within its period. */
  const keepMs = Math.max(ttl, parts.refreshMs ?? 0);
  /**
   * The newest snapshot of each credential set, whatever its age: what a request answers from when a
   * read is slow, and, kept within `keepMs` (`keptAt`) and fresh enough, what it is served (`keptFor`).
   */
  const newest = new LRUCache<string, Kept>({ max: MAX_SNAPSHOTS });
  /** The request-only part (watched tickets) of each credential set, for the TTL; never at rest. */
  const requestOnly = new LRUCache<string, Kept>({ max: MAX_SNAPSHOTS, ttl: Math.max(ttl, 1) });
  /** When each credential set was last read anew on request (`refresh: true`). */
  const lastAnew = new LRUCache<string, number>({ max: MAX_SNAPSHOTS });
  /** Reads in flight, registered as they start (before their first await), so that concurrent requests join them. */
  const inFlight = new Map<string, { reading: Promise<Reading>; startedAt: number }>();
  /** Each kept view joined with a request-only part, made once per pair. */
  const joined = new WeakMap<InventoryView, WeakMap<InventoryView, InventoryView>>();
  const reads = new AbortController();
  /** The inventory reads' share of each source's bulkhead, for all of this process's reads together. */
  const limitOf = readLimits();
  const leaseOwner = randomUUID();
  /** Whether this replica took the lease at its last try: a change is logged, not every period. */
  let holdsLease = false;
  /** The timer renewing each lease this replica holds, by credential set. */
  const renewals = new Map<string, NodeJS.Timeout>();
  const fresh = (collectedAt: number, maxAgeMs: number) => Date.now() - collectedAt < maxAgeMs;
  const reportError = (error: unknown) => void cache?.reporter.error(cache.store.backend, error);
  const shares = cache?.store.backend === 'redis';
  const watchKept = settings.watch.filter((key) => !extendsLife(key.source));
  const watchRequestOnly = settings.watch.filter((key) => extendsLife(key.source));
  /** Now on the tombstones' clock; `fallback` when it cannot be read. */
  const clock = (fallback: number) => tombstones.now().catch((error: unknown) => (reportError(error), fallback));

  /** The shared snapshot of `key`, if the store has one. */
  const storedSnapshot = async (key: string): Promise<SharedSnapshot | undefined> => {
    if (!cache) return undefined;
    const stored = await cache.store.get(`${SNAPSHOT_KEY_PREFIX}${SNAPSHOT_VERSION}${key}`).catch(reportError);
    return stored === undefined ? undefined : (JSON.parse(stored) as SharedSnapshot);
  };

  /** Starts one read of `plan`; `finish` decides what becomes of its snapshot. */
  const startRead = async (request: InventoryRequest, plan: InventoryPlan, finish: (snapshot: Snapshot, since: number) => Promise<Kept>): Promise<Reading> => {
    // Taken before anything is read: a token revoked from now on may be in what is read.
    const since = await clock(Number.NEGATIVE_INFINITY);
    const log = new PartLog(Date.now(), parts.logger);
    const options: CallOptions = {
      credentials: request.credentials,
      telemetry: request.telemetry,
      signal: reads.signal,
      deadline: Date.now() + parts.deadlineMs,
      bypassCache: true,
    };
    const forwarded = Object.values(request.credentials ?? {}).some(Boolean);
    const done = readInventory(dataSources, plan, options, log, limitOf).then(() => {
      const snapshot = log.snapshot();
      parts.onRead?.(snapshot, { forwarded });
      return finish(snapshot, since);
    });
    return { done, log, since };
  };

  /** Reads the kept snapshot of `key` anew: it is then kept here and shared. */
  const readKept = (key: string, request: InventoryRequest): Promise<Reading> =>
    startRead(request, { list: true, watch: watchKept, settings }, async (read, since) => {
      // What failed parts held, as the previous snapshot knew it, less every token revoked since
      // that snapshot's read began: a revoked token whose part fails now is not carried back.
      const previous = newest.get(key) ?? sharedKept(await storedSnapshot(key));
      const snapshot = carryForward(previous && (await withoutRevoked(previous, Number.POSITIVE_INFINITY)).snapshot, read);
      // Kept and shared even when a revocation happened meanwhile: served, it hides that token.
      const done: Kept = { view: new InventoryView(snapshot), since };
      newest.set(key, done);
      if (keepMs > 0) {
        done.keptAt = performance.now();
        if (cache) await cache.store.set(`${SNAPSHOT_KEY_PREFIX}${SNAPSHOT_VERSION}${key}`, JSON.stringify(atRest(snapshot, since)), keepMs).catch(reportError);
      }
      return done;
    });

  /** The snapshot kept for `key` (within `keepMs` of when it was kept) if it is fresh enough. */
  const keptFor = (key: string, maxAgeMs: number): Kept | undefined => {
    const entry = newest.get(key);
    const kept = entry?.keptAt !== undefined && performance.now() - entry.keptAt <= Math.max(keepMs, 1);
    return kept && fresh(entry.view.snapshot.collectedAt, maxAgeMs) ? entry : undefined;
  };

  /** Another replica's snapshot of `key`, if the store has one that `wanted` accepts: kept here too. */
  const sharedFor = async (key: string, wanted: (snapshot: Snapshot) => boolean): Promise<Kept | undefined> => {
    if (!cache) return undefined;
    const found = sharedKept(await storedSnapshot(key));
    if (!found || !wanted(found.view.snapshot)) return undefined;
    found.keptAt = performance.now();
    newest.set(key, found);
    return found;
  };
  /** One no older than `maxAgeMs`. */
  const freshFor = (maxAgeMs: number) => (snapshot: Snapshot) => maxAgeMs > 0 && fresh(snapshot.collectedAt, maxAgeMs);

  /**
   * The read of `key` to wait for: one in flight that answers what this request asks (reading anew
   * when this request must), or a new one. A read that started before a revocation is joined too:
   * what it returns is served without the tokens revoked since it started.
   */
  const readingOf = (key: string, request: InventoryRequest, anew: boolean): Promise<Reading> => {
    const flightKey = `${anew ? 'anew' : 'any'}\0${key}`;
    const joinable = inFlight.get(flightKey) ?? (anew ? undefined : inFlight.get(`anew\0${key}`));
    return joinable?.reading ?? flying(flightKey, readKept(key, request));
  };

  /** `reading`, in flight under `flightKey` until it ends. */
  const flying = (flightKey: string, reading: Promise<Reading>): Promise<Reading> => {
    inFlight.set(flightKey, { reading, startedAt: Date.now() });
    const forget = () => {
      if (inFlight.get(flightKey)?.reading === reading) inFlight.delete(flightKey);
    };
    reading.then((started) => started.done).then(forget, forget);
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

  /** The kept snapshot for a request: kept, shared, or read (waiting at most until the request's deadline). */
  const requestSnapshot = async (key: string, request: InventoryRequest, refresh: boolean): Promise<Kept> => {
    const maxAgeMs = request.maxAgeMs ?? ttl;
    const anew = refresh || maxAgeMs <= 0;
    if (request.refresh && !refresh) {
      const flight = inFlight.get(`anew\0${key}`) ?? inFlight.get(`any\0${key}`);
      if (flight) return waitFor(await flight.reading, request, newest.get(key));
      const newer = newest.get(key);
      if (newer) return newer;
    }
    if (!anew) {
      const found = keptFor(key, maxAgeMs) ?? (await sharedFor(key, freshFor(maxAgeMs)));
      if (found) return found;
    }
    return waitFor(await readingOf(key, request, anew), request, newest.get(key));
  };

  /**
   * `reading`'s snapshot, or, if the request's deadline comes first, the newest earlier snapshot or
   * what was read by then. A request whose client went away gets a rejection (nobody reads it).
   */
  const waitFor = (reading: Reading, request: InventoryRequest, earlier?: Kept): Promise<Kept> => {
    const { signal } = request;
    if (!signal) return reading.done;
    return new Promise<Kept>((resolve, reject) => {
      const onAbort = () => {
        const timedOut = (signal.reason as Error | undefined)?.name === 'TimeoutError';
        if (!timedOut) return reject(new TokengraphError('UPSTREAM_UNAVAILABLE', 'the client went away'));
        resolve(earlier ?? { view: new InventoryView(reading.log.snapshot()), since: reading.since });
      };
      if (signal.aborted) return onAbort();
      signal.addEventListener('abort', onAbort, { once: true });
      reading.done.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
    });
  };

  /**
   * The background refresh's snapshot: one no older than `maxAgeMs`, read by this process, or with
   * Redis by whichever replica holds the lease (the others wait for its next snapshot).
   */
  const backgroundSnapshot = async (key: string, request: InventoryRequest): Promise<Kept> => {
    const maxAgeMs = request.maxAgeMs ?? ttl;
    const found = keptFor(key, maxAgeMs) ?? (await sharedFor(key, freshFor(maxAgeMs)));
    if (found) return found;
    if (!shares) return (await readingOf(key, request, true)).done;
    const periodMs = Math.max(maxAgeMs, LEASE_POLL_MS);
    /** What this replica has: the holder's next snapshot is newer, however long its read took. */
    const known = newest.get(key)?.view.snapshot.collectedAt ?? Number.NEGATIVE_INFINITY;
    // The holder's read may take up to the read deadline; past that (and a period), it is gone.
    const giveUp = Date.now() + periodMs + parts.deadlineMs;
    for (;;) {
      if (await takeLease(key, periodMs)) return (await readingOf(key, request, true)).done;
      await sleep(LEASE_POLL_MS, undefined, { signal: reads.signal });
      const shared = await sharedFor(key, (snapshot) => snapshot.collectedAt > known);
      if (shared) return shared;
      if (Date.now() >= giveUp) throw new TokengraphError('UPSTREAM_TIMEOUT', 'the replica holding the inventory lease stored no snapshot within a period and the read deadline');
    }
  };

  /**
   * Takes (or renews) the lease of `key` for a period: true when this replica holds it. Once held,
   * a timer renews it every third of a period until another replica has it or tokengraph closes.
   */
  const takeLease = async (key: string, periodMs: number): Promise<boolean> => {
    const lease = () =>
      cache!.store.lease(`${LEASE_KEY_PREFIX}${key}`, leaseOwner, periodMs).catch((error: unknown) => {
        // Without Redis there is no telling who reads: this replica does, as it would alone.
        reportError(error);
        return true;
      });
    const held = await lease();
    if (held !== holdsLease) {
      holdsLease = held;
      parts.logger?.info({ lease: held ? 'taken' : 'held elsewhere' }, held ? 'inventory lease taken: this replica reads the upstreams for every replica' : 'inventory lease held by another replica: taking its snapshots');
    }
    if (held && !renewals.has(key) && !reads.signal.aborted) {
      const timer = setInterval(async () => {
        if (await lease()) return;
        clearInterval(timer);
        renewals.delete(key);
      }, periodMs / LEASE_RENEWALS);
      timer.unref();
      renewals.set(key, timer);
    }
    return held;
  };

  /**
   * The request-only part of `key` (watched tickets), read for this request unless kept within the
   * TTL; with `notBefore` (a refresh), only a part read since then will do.
   */
  const requestOnlySnapshot = async (key: string, request: InventoryRequest, notBefore?: number): Promise<Kept | undefined> => {
    if (watchRequestOnly.length === 0) return undefined;
    const found = requestOnly.get(key);
    if (found && (notBefore === undefined || found.view.snapshot.collectedAt >= notBefore)) return found;
    const flightKey = `request-only\0${key}`;
    // Decided before any await: requests that reach here together share one read.
    const flight = inFlight.get(flightKey);
    const joinable = flight && (notBefore === undefined || flight.startedAt >= notBefore) ? flight.reading : undefined;
    const reading = await (joinable ??
      flying(
      flightKey,
      startRead(request, { list: false, watch: watchRequestOnly, settings }, async (snapshot, since) => {
        const done: Kept = { view: new InventoryView(snapshot), since };
        if (ttl > 0) requestOnly.set(key, done);
        return done;
      }),
    ));
    return waitFor(reading, request);
  };

  /**
   * `found`'s view without the tokens revoked from its read's start until `asOf` (when the request
   * arrived). When the shared tombstones cannot be read, the tokens this process revoked are hidden
   * and every source of the view shows a gap saying that others' revocations are unknown: never a
   * silent answer that may show a token another replica revoked.
   */
  const withoutRevoked = async (found: Kept, asOf: number): Promise<InventoryView> => {
    const { tokens: revoked, known } = await tombstones.revokedBetween(found.since, asOf);
    if (revoked.size === 0 && known) return found.view;
    const { tokens, carried } = found.view.snapshot;
    const refs = (found.refs ??= tokens.map(restingRefOf));
    const gone = refs.filter((ref) => revoked.has(ref));
    const carriedGone = (carried ?? []).filter(({ token }) => revoked.has(restingRefOf(token)));
    if (gone.length === 0 && carriedGone.length === 0 && known) return found.view;
    // Worked out once per set of revoked tokens it holds, not per request.
    const signature = [known ? 'known' : 'unknown', ...gone, ...carriedGone.map(({ token }) => restingRefOf(token))].sort().join('\n');
    if (found.without?.revoked !== signature) {
      const snapshot: Snapshot = { ...found.view.snapshot, tokens: tokens.filter((_, i) => !revoked.has(refs[i]!)) };
      if (carried) snapshot.carried = carried.filter(({ token }) => !revoked.has(restingRefOf(token)));
      // Grouped with the gaps the read had: a source whose part failed as UPSTREAM_UNAVAILABLE has one gap of that code.
      if (!known) snapshot.gaps = withGaps(snapshot.gaps, revocationGaps(snapshot));
      found.without = { revoked: signature, view: new InventoryView(snapshot) };
    }
    return found.without.view;
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
      // When this request arrived on the tombstones' clock: every revocation until then applies to it.
      const asOf = clock(Number.POSITIVE_INFINITY);
      if (request.background) return withoutRevoked(await backgroundSnapshot(key, request), await asOf);
      const refresh = request.refresh === true && mayRefresh(key);
      let main: Kept;
      let extra: Kept | undefined;
      if (!refresh) {
        [main, extra] = await Promise.all([requestSnapshot(key, request, false), requestOnlySnapshot(key, request)]);
      } else {
        // A refresh: the request-only part read since the kept part's read began, so concurrent
        // refreshes share both reads, and no part is older than the other.
        main = await requestSnapshot(key, request, true);
        extra = await requestOnlySnapshot(key, request, main.view.snapshot.collectedAt);
      }
      const when = await asOf;
      return join(await withoutRevoked(main, when), extra && (await withoutRevoked(extra, when)));
    },
    close() {
      reads.abort(new Error('tokengraph is shutting down'));
      for (const timer of renewals.values()) clearInterval(timer);
      renewals.clear();
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

/** A snapshot at rest as a kept one: its `since` unknown (-Infinity) when it has none. */
function sharedKept(snapshot: SharedSnapshot | undefined): Kept | undefined {
  return snapshot && { view: new InventoryView(snapshot), since: snapshot.since ?? Number.NEGATIVE_INFINITY };
}

/** One gap per source of `snapshot`: the revocations of other replicas are unknown (grouped into its gaps by `withGaps`). */
function revocationGaps(snapshot: Snapshot): InventoryGap[] {
  const sources = new Set([...snapshot.parts.map((part) => part.source), ...snapshot.tokens.map((token) => token.source)]);
  return [...sources].map((source) => ({ source, code: 'UPSTREAM_UNAVAILABLE', count: 1, scopes: ['revoked tokens'], message: REVOCATIONS_UNKNOWN }));
}
