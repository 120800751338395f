/**
 * The shared cache store: Redis (ioredis), so every replica pointed at the same Redis
 * serves from, and fills, one cache. Commands fail fast rather than queue while Redis is
 * unreachable (no offline queue, a short command timeout): the caller then falls back to
 * the upstream, so a Redis outage costs cache hits, never requests.
 */
import { Redis } from 'ioredis';
import type { ResponseCache } from './responseCache.js';

/** Takes the lease KEYS[1] for ARGV[1] for ARGV[2] ms, or renews it when ARGV[1] holds it: 1 when it does now. */
const LEASE_SCRIPT = `
if redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2], 'NX') then return 1 end
if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('PEXPIRE', KEYS[1], ARGV[2]) return 1 end
return 0`;

/** Longest wait for one Redis command, in ms, before the upstream is called instead. */
export const REDIS_COMMAND_TIMEOUT_MS = 250;

export function createRedisCache(url: string, onError: (error: Error) => void): ResponseCache {
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
  return {
    backend: 'redis',
    get: async (key) => (await redis.get(key)) ?? undefined,
    set: async (key, value, ttlMs) => {
      await redis.set(key, value, 'PX', ttlMs);
    },
    // The first replica to ask takes the lease for its TTL; its holder renews it whenever it asks
    // again, in one step, so it cannot lapse between the check and the renewal.
    lease: async (key, owner, ttlMs) => (await redis.eval(LEASE_SCRIPT, 1, key, owner, String(ttlMs))) === 1,
    deletePrefix: async (prefix) => {
      // SCAN walks the keyspace in steps without blocking Redis; only a revocation asks. Glob
      // characters in the prefix are escaped so that it matches only itself.
      const match = `${prefix.replace(/[*?[\]\\]/g, '\\$&')}*`;
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', match, 'COUNT', 1000);
        if (keys.length > 0) await redis.unlink(...keys);
        cursor = next;
      } while (cursor !== '0');
    },
    close: async () => {
      redis.disconnect();
    },
  };
}
