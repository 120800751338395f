/**
 * The in-process cache store: an LRU bounded both in entries and in bytes (lru-cache),
 * each entry with its own TTL. Not shared between replicas; use Redis for that.
 */
import { LRUCache } from 'lru-cache';
import type { ResponseCache } from './responseCache.js';

export interface LruLimits {
  maxEntries: number;
  /** Sum of keys' and values' sizes, counted as 2 bytes per UTF-16 unit. */
  maxBytes: number;
}

export function createLruCache({ maxEntries, maxBytes }: LruLimits): ResponseCache {
  const lru = new LRUCache<string, string>({
    max: maxEntries,
    maxSize: maxBytes,
    sizeCalculation: (value, key) => 2 * (value.length + key.length),
  });
  return {
    backend: 'memory',
    get: async (key) => lru.get(key),
    set: async (key, value, ttlMs) => {
      lru.set(key, value, { ttl: ttlMs });
    },
    // One process has no one to share a lease with.
    lease: async () => true,
    close: async () => lru.clear(),
  };
}
