/**
 * The one Redis connection of a process (ioredis), shared by the cache's entries
 * (createRedisCache.ts) and the tombstones of revoked tokens (createRedisTombstones.ts).
 * Commands fail fast rather than queue while Redis is unreachable (no offline queue, a short
 * command timeout): the caller then falls back to the upstream, so a Redis outage costs cache
 * hits, never requests.
 */
import { Redis } from 'ioredis';

/** Longest wait for one Redis command, in ms, before the upstream is called instead. */
const REDIS_COMMAND_TIMEOUT_MS = 250;

export function connectRedis(url: string, onError: (error: Error) => void): Redis {
  const redis = new Redis(url, {
    enableOfflineQueue: false,
    commandTimeout: REDIS_COMMAND_TIMEOUT_MS,
    connectTimeout: 2000,
    maxRetriesPerRequest: 0,
    // Keep reconnecting, at most every 2 s, for as long as the process lives.
    retryStrategy: (times) => Math.min(times * 100, 2000),
  });
  // Connection errors are reported through the commands that fail; this keeps ioredis from
  // printing them as unhandled.
  redis.on('error', onError);
  return redis;
}
