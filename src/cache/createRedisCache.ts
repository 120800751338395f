/**
 * The shared cache store: Redis, so every replica pointed at the same Redis serves from, and
 * fills, one cache (connectRedis.ts makes the connection and says how it fails).
 */
import type { Redis } from 'ioredis';
import type { ResponseCache } from './responseCache.js';

export function createRedisCache(redis: Redis): ResponseCache {
  return {
    backend: 'redis',
    get: async (key) => (await redis.get(key)) ?? undefined,
    set: async (key, value, ttlMs) => {
      await redis.set(key, value, 'PX', ttlMs);
    },
    close: async () => {
      redis.disconnect();
    },
  };
}
