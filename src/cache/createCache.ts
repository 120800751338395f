/**
 * tokengraph's opt-in cross-request cache, built from configuration: nothing when it is
 * off, an in-process LRU (`memory`), or Redis (`redis`) shared by replicas. The reporter
 * counts hits, misses and store failures (observability/metrics.ts) and warns about failures at most
 * once every 10 seconds per backend.
 */
import type { CacheConfig } from '../config/readConfig.js';
import type { Logger } from '../observability/createLogger.js';
import type { Metrics } from '../observability/metrics.js';
import { createLruCache } from './createLruCache.js';
import { createRedisCache } from './createRedisCache.js';
import type { ResponseCache } from './responseCache.js';
import type { CacheReporter } from './sourceCache.js';

const WARNING_INTERVAL_MS = 10_000;

export interface Cache {
  store: ResponseCache;
  reporter: CacheReporter;
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
  const store =
    config.mode === 'redis'
      ? createRedisCache(config.redisUrl!, (error) => warn('redis', error))
      : createLruCache({ maxEntries: config.maxEntries, maxBytes: config.maxBytes });
  return { store, reporter };
}
