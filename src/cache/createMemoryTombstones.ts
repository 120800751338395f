/**
 * Tombstones kept in this process (tombstones.ts): with the in-process cache, or no cache at all
 * (the inventory's snapshots are still kept in memory). Other replicas never see them: with
 * `TOKENGRAPH_CACHE=memory`, a revocation is immediate only on the replica that made it.
 *
 * Never evicted (unlike the LRU's entries, a dropped mark would bring a revoked token back), but
 * dropped after the retention: they cost a map entry per revoked token and per resource of it.
 * Stamps come from a monotonic clock, so a step of the wall clock cannot reorder them.
 */
import { markKey } from './cacheKey.js';
import { TOMBSTONE_RETENTION_MS, type Tombstones } from './tombstones.js';

export function createMemoryTombstones(retentionMs = TOMBSTONE_RETENTION_MS, clock: () => number = monotonicNow): Tombstones {
  /** Mark → when it was laid; both maps in the order laid (a mark laid again moves to the end). */
  const marks = new Map<string, number>();
  const tokens = new Map<string, number>();
  const prune = (now: number) => {
    for (const map of [marks, tokens]) {
      for (const [key, stamp] of map) {
        if (stamp + retentionMs > now) break;
        map.delete(key);
      }
    }
  };
  const lay = (map: Map<string, number>, key: string, stamp: number) => {
    map.delete(key);
    map.set(key, stamp);
  };
  return {
    backend: 'memory',
    async bury(tombstones) {
      const now = clock();
      prune(now);
      for (const tombstone of tombstones) {
        lay(tokens, tombstone.token, now);
        for (const resource of tombstone.resources) lay(marks, markKey(resource), now);
      }
    },
    async isMarked(resource) {
      const stamp = marks.get(markKey(resource));
      return stamp !== undefined && stamp + retentionMs > clock();
    },
    async now() {
      return clock();
    },
    async revokedBetween(from, to) {
      prune(clock());
      const found = new Set<string>();
      for (const [token, stamp] of tokens) if (stamp >= from && stamp <= to) found.add(token);
      return { tokens: found, known: true };
    },
    close() {},
  };
}

/** Milliseconds that only go forward. */
function monotonicNow(): number {
  return performance.timeOrigin + performance.now();
}
