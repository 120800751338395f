/**
 * The shared cache store: Redis, so every replica pointed at the same Redis serves from, and
 * fills, one cache (connectRedis.ts makes the connection and says how it fails).
 */
import type { Redis } from 'ioredis';
import type { ResponseCache } from './responseCache.js';

/** Takes the lease KEYS[1] for ARGV[1] for ARGV[2] ms, or renews it when ARGV[1] holds it: 1 when it does now. */
const LEASE_SCRIPT = `
if redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2], 'NX') then return 1 end
if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('PEXPIRE', KEYS[1], ARGV[2]) return 1 end
return 0`;

export function createRedisCache(redis: Redis): ResponseCache {
  return {
    backend: 'redis',
    get: async (key) => (await redis.get(key)) ?? undefined,
    set: async (key, value, ttlMs) => {
      await redis.set(key, value, 'PX', ttlMs);
    },
    // The first replica to ask takes the lease for its TTL; its holder renews it whenever it asks
    // again, in one step, so it cannot lapse between the check and the renewal.
    lease: async (key, owner, ttlMs) => (await redis.eval(LEASE_SCRIPT, 1, key, owner, String(ttlMs))) === 1,
    close: async () => {
      redis.disconnect();
    },
  };
}
