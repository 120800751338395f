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
}

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
    return { store: createLruCache({ maxEntries: config.maxEntries, maxBytes: config.maxBytes }), reporter, tombstones: createMemoryTombstones() };
  }
  const redis = connectRedis(config.redisUrl!, (error) => warn('redis', error));
  const tombstones = createRedisTombstones(redis, {
    error: (error) => reporter.error('redis', error),
    unwritten: (count) =>
      logger.error({ backend: 'redis', tombstones: count }, 'revoked tokens could not be recorded in Redis: other replicas may serve them from the cache until they are (retrying every second)'),
  });
  return { store: createRedisCache(redis), reporter, tombstones };
}
