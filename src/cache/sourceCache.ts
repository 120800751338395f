/**
 * The cross-request cache of one source, in front of its resilience policies: a record is
 * looked up by `cacheKey(source, resource, fingerprint of the credential used)` and, on a
 * miss, fetched and stored for the source's TTL, but never past the expiry of the token it
 * holds (a token already expired is not stored at all). Only successful records are stored:
 * every failure (401, 403, 429, 5xx, timeouts, unreadable bodies) is thrown past the cache,
 * and not-found (`null`) is not stored either, so a token created a moment later shows up.
 *
 * A resource a tombstone marks (a revoked token's, tombstones.ts) is neither served nor stored
 * while the mark lasts: the mark is read beside the entry, so an entry written by a read that was
 * in flight during the revocation, by any replica, is never served.
 *
 * The store failing (Redis down) never fails a request: the lookup counts as a miss, the
 * upstream is called, and the reporter logs a rate-limited warning.
 */
import type { SourceName } from '../sources.js';
import { dateMillis } from '../shared/dates.js';
import type { RequestTelemetry } from '../observability/requestTelemetry.js';
import { cacheKey, credentialFingerprint } from './cacheKey.js';
import type { ResponseCache } from './responseCache.js';
import type { Tombstones } from './tombstones.js';

export interface CacheReporter {
  hit(source: SourceName): void;
  miss(source: SourceName): void;
  error(backend: string, error: unknown): void;
}

export interface ThroughOptions<T> {
  /**
   * The credential this call is made with (static or forwarded): entries are keyed by its
   * fingerprint, hashed per call so that no caller's credential is kept in memory.
   */
  credential: string;
  telemetry?: RequestTelemetry;
  /** Epoch ms at which `value` stops being true (its token's expiry); undefined: no bound. */
  expiresAt?: (value: T) => number | undefined;
}

export class SourceCache {
  constructor(
    private readonly store: ResponseCache,
    readonly source: SourceName,
    /** At most this long, ms (> 0). */
    private readonly ttlMs: number,
    private readonly reporter: CacheReporter,
    private readonly tombstones: Tombstones,
  ) {}

  /** `load()`'s value, from the cache when an entry for this resource and credential is there and no tombstone marks it. */
  async through<T>(resource: readonly string[], load: () => Promise<T>, options: ThroughOptions<T>): Promise<T> {
    const key = cacheKey(this.source, resource, credentialFingerprint(options.credential));
    // Sent together: with Redis, two commands on one connection, one round trip.
    const [cached, marked] = await Promise.all([this.read<T>(key), this.marked(resource)]);
    if (cached !== undefined && marked === false) {
      this.reporter.hit(this.source);
      options.telemetry?.countCacheHit(this.source);
      return cached;
    }
    this.reporter.miss(this.source);
    const value = await load();
    // Stored even when the mark could not be read: every reader checks the mark before serving.
    if (value === null || value === undefined || marked === true) return value;
    const bound = options.expiresAt?.(value);
    const ttlMs = Math.floor(bound === undefined ? this.ttlMs : Math.min(this.ttlMs, bound - Date.now()));
    if (ttlMs > 0) await this.write(key, JSON.stringify(value), ttlMs);
    return value;
  }

  /** Whether a tombstone marks `resource`: undefined when that cannot be known (nothing is served then). */
  private async marked(resource: readonly string[]): Promise<boolean | undefined> {
    try {
      return await this.tombstones.isMarked({ source: this.source, resource });
    } catch (error) {
      this.reporter.error(this.tombstones.backend, error);
      return undefined;
    }
  }

  private async read<T>(key: string): Promise<T | undefined> {
    try {
      const text = await this.store.get(key);
      return text === undefined ? undefined : (JSON.parse(text) as T);
    } catch (error) {
      this.reporter.error(this.store.backend, error);
      return undefined;
    }
  }

  private async write(key: string, value: string, ttlMs: number): Promise<void> {
    try {
      await this.store.set(key, value, ttlMs);
    } catch (error) {
      this.reporter.error(this.store.backend, error);
    }
  }
}

/**
 * The earliest expiry among `raws` still in the future: what bounds an entry holding many
 * tokens (the Crafter access-token list). Tokens already expired stay expired, so they do
 * not bound it.
 */
export function earliestFutureExpiry(raws: Iterable<unknown>, now = Date.now()): number | undefined {
  let earliest: number | undefined;
  for (const raw of raws) {
    const at = dateMillis(raw);
    if (at !== undefined && at > now && (earliest === undefined || at < earliest)) earliest = at;
  }
  return earliest;
}

/** `load()` through `cache` when there is one (the source's cache is on), else `load()`. */
export function cached<T>(cache: SourceCache | undefined, resource: readonly string[], load: () => Promise<T>, options: ThroughOptions<T>): Promise<T> {
  return cache ? cache.through(resource, load, options) : load();
}
