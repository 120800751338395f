/**
 * tokengraph's opt-in cross-request cache, built from configuration: nothing when it is
 * off, an in-process LRU (`memory`), or Redis (`redis`) shared by replicas; with it, the
 * tombstones of revoked tokens, kept where the entries are (tombstones.ts). The reporter
 * counts hits, misses and store failures (observability/metrics.ts) and warns about failures at most
 * once every 10 seconds per backend.
 */
import type { CacheConfig } from '../config/readConfig.js';
import type { Logger } from '../observability/createLogger.js';
import type { Metrics } from '../observability/metrics.js';
import { connectRedis } from './connectRedis.js';
import { createLruCache } from './createLruCache.js';
import { createMemoryTombstones } from './createMemoryTombstones.js';
import { createRedisCache } from './createRedisCache.js';
import { createRedisTombstones } from './createRedisTombstones.js';
import type { ResponseCache } from './responseCache.js';
import type { CacheReporter } from './sourceCache.js';
import type { Tombstones } from './tombstones.js';

const WARNING_INTERVAL_MS = 10_000;

export interface Cache {
  store: ResponseCache;
  reporter: CacheReporter;
  /** What is remembered of revoked tokens, beside the entries. */
  tombstones: Tombstones;
  /**
   * Resolves once the store can be used (Redis connected), or after `CONNECT_WAIT_MS` whatever
   * happened: tokengraph starts serving then, and a Redis still away only costs cache hits.
   */
  ready(): Promise<void>;
}

/** How long start-up waits for Redis: its connect timeout. */
const CONNECT_WAIT_MS = 2000;

export function createCache(config: CacheConfig | undefined, logger: Logger, metrics: Metrics): Cache | undefined {
  if (!config || config.mode === 'off') return undefined;
  const lastWarning = new Map<string, number>();
  const suppressed = new Map<string, number>();
  const warn = (backend: string, error: unknown) => {
    const now = Date.now();
    if (now - (lastWarning.get(backend) ?? -Infinity) < WARNING_INTERVAL_MS) {
      suppressed.set(backend, (suppressed.get(backend) ?? 0) + 1);
      return;
    }
    lastWarning.set(backend, now);
    const message = error instanceof Error ? error.message : String(error);
    logger.warn({ backend, error: message, suppressedSinceLast: suppressed.get(backend) ?? 0 }, 'cache unavailable: serving from the upstreams');
    suppressed.set(backend, 0);
  };
  const reporter: CacheReporter = {
    hit: (source) => metrics.cacheHit(source),
    miss: (source) => metrics.cacheMiss(source),
    error: (backend, error) => {
      metrics.cacheError(backend);
      warn(backend, error);
    },
  };
  if (config.mode === 'memory') {
    return { store: createLruCache({ maxEntries: config.maxEntries, maxBytes: config.maxBytes }), reporter, tombstones: createMemoryTombstones(), ready: async () => {} };
  }
  const redis = connectRedis(config.redisUrl!, (error) => warn('redis', error));
  const tombstones = createRedisTombstones(redis, {
    error: (error) => reporter.error('redis', error),
    unwritten: (count) =>
      logger.error({ backend: 'redis', tombstones: count }, 'revoked tokens could not be recorded in Redis: other replicas may serve them from the cache until they are (retrying every second)'),
  });
  // Without it, a replica's first requests would miss the shared cache (no offline queue) and
  // read the upstreams that another replica has just read.
  const ready = () =>
    new Promise<void>((resolve) => {
      if (redis.status === 'ready') return resolve();
      const done = () => {
        clearTimeout(timer);
        redis.off('ready', done);
        resolve();
      };
      const timer = setTimeout(() => {
        logger.warn({ backend: 'redis' }, `Redis did not connect within ${CONNECT_WAIT_MS} ms: serving from the upstreams until it does`);
        done();
      }, CONNECT_WAIT_MS);
      redis.once('ready', done);
    });
  return { store: createRedisCache(redis), reporter, tombstones, ready };
}
