/**
 * The store behind tokengraph's cross-request cache: string values with a TTL, in this
 * process (createLruCache.ts) or in Redis (createRedisCache.ts), shared by replicas. sourceCache.ts
 * decides what is stored and under which key; a store only keeps it.
 */
export interface ResponseCache {
  /** `memory` or `redis`: the metrics' and warnings' name for it. */
  readonly backend: 'memory' | 'redis';
  get(key: string): Promise<string | undefined>;
  /** Stores `value` for `ttlMs` (> 0) milliseconds. */
  set(key: string, value: string, ttlMs: number): Promise<void>;
  /** Forgets every key that starts with `prefix`: a revoked token's entries, whatever credential read them. */
  deletePrefix(prefix: string): Promise<void>;
  close(): Promise<void>;
}
