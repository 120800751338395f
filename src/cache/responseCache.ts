/**
 * The store behind tokengraph's cross-request cache: string values with a TTL, in this
 * process (createLruCache.ts) or in Redis (createRedisCache.ts), shared by replicas. sourceCache.ts
 * decides what is stored and under which key; a store only keeps it. What a revocation leaves
 * behind is not the store's business: its tombstones say which entries not to serve (tombstones.ts).
 */
export interface ResponseCache {
  /** `memory` or `redis`: the metrics' and warnings' name for it. */
  readonly backend: 'memory' | 'redis';
  get(key: string): Promise<string | undefined>;
  /** Stores `value` for `ttlMs` (> 0) milliseconds. */
  set(key: string, value: string, ttlMs: number): Promise<void>;
  /**
   * Takes the lease `key` for `owner` for `ttlMs`, unless another owner holds it: true when `owner`
   * holds it now. In one process (memory) every lease is its own.
   */
  lease(key: string, owner: string, ttlMs: number): Promise<boolean>;
  close(): Promise<void>;
}
