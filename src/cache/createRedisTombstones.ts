/**
 * Tombstones in Redis (tombstones.ts), so a revocation on one replica is seen by every replica
 * that shares the Redis, at once:
 *
 * - `tokengraph:v1:revoked:<source>:<resource>`: a mark per cache resource, a string with a TTL
 *   of the retention; a cache lookup reads it beside its entry (two commands sent together, one
 *   round trip).
 * - `tokengraph:v1:revoked-tokens`: a sorted set of revoked tokens scored by when they were
 *   revoked, pruned of those past the retention at each revocation.
 *
 * One revocation is one script (its writes together, stamped by Redis's own clock, which the
 * snapshots' reads are placed by too, so replicas' clocks never have to agree). A write that fails
 * (Redis slow or away) is tried again a few times within the request, then every second until it
 * is stored; meanwhile this process hides the token itself, and reports the failure.
 *
 * Redis must not evict these keys (`maxmemory-policy noeviction`, or a policy that only evicts
 * keys tokengraph does not own): an evicted mark would let an entry cached before the revocation
 * be served again until its own TTL ends.
 */
import type { Redis } from 'ioredis';
import { markKey, REVOKED_TOKENS_KEY } from './cacheKey.js';
import { createMemoryTombstones } from './createMemoryTombstones.js';
import { TOMBSTONE_RETENTION_MS, type Tombstone, type Tombstones } from './tombstones.js';

/**
 * KEYS[1] the revoked tokens' sorted set, KEYS[2..] the marks; ARGV[1] the retention (ms),
 * ARGV[2..] the tokens. Returns the stamp (Redis's clock, ms).
 */
const BURY = `
if redis.replicate_commands then pcall(redis.replicate_commands) end
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)
local retention = tonumber(ARGV[1])
local stamp = string.format('%d', now)
for i = 2, #KEYS do redis.call('SET', KEYS[i], stamp, 'PX', retention) end
for i = 2, #ARGV do redis.call('ZADD', KEYS[1], stamp, ARGV[i]) end
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', string.format('%d', now - retention))
redis.call('PEXPIRE', KEYS[1], retention)
return now`;

/** Waits between the attempts made within the revoking request, ms (each attempt: one command timeout at most). */
const RETRY_DELAYS_MS = [50, 200, 500];
/** How often tombstones that could not be stored are written again, ms. */
const REWRITE_INTERVAL_MS = 1000;

interface WithBury {
  tokengraphBury(numberOfKeys: number, ...keysAndArgs: string[]): Promise<number>;
}

export interface RedisTombstoneReports {
  /** A command failed (counted and warned about like any cache failure). */
  error(error: unknown): void;
  /** Tombstones are still not stored after the attempts within their request: other replicas do not know of them yet. */
  unwritten(count: number): void;
}

export function createRedisTombstones(redis: Redis, reports: RedisTombstoneReports, retentionMs = TOMBSTONE_RETENTION_MS): Tombstones {
  redis.defineCommand('tokengraphBury', { lua: BURY });
  /** What this process laid: it hides them itself whatever Redis says, or when Redis cannot be read. */
  const local = createMemoryTombstones(retentionMs);
  /** Tombstones not yet stored in Redis, by token. */
  const unwritten = new Map<string, Tombstone>();
  let timer: NodeJS.Timeout | undefined;
  let closed = false;

  const write = async (tombstones: readonly Tombstone[]) => {
    const marks = [...new Set(tombstones.flatMap((tombstone) => tombstone.resources.map(markKey)))];
    await (redis as unknown as WithBury).tokengraphBury(1 + marks.length, REVOKED_TOKENS_KEY, ...marks, String(retentionMs), ...tombstones.map((tombstone) => tombstone.token));
    for (const tombstone of tombstones) if (unwritten.get(tombstone.token) === tombstone) unwritten.delete(tombstone.token);
  };
  const writeAgainLater = () => {
    if (timer || closed) return;
    timer = setTimeout(() => {
      timer = undefined;
      write([...unwritten.values()])
        .catch(reports.error)
        .finally(() => {
          if (unwritten.size > 0) writeAgainLater();
        });
    }, REWRITE_INTERVAL_MS);
    timer.unref();
  };

  return {
    backend: 'redis',
    async bury(tombstones) {
      if (tombstones.length === 0) return;
      await local.bury(tombstones);
      for (const tombstone of tombstones) unwritten.set(tombstone.token, tombstone);
      for (const delay of [...RETRY_DELAYS_MS, undefined]) {
        try {
          return await write(tombstones);
        } catch (error) {
          reports.error(error);
          if (delay === undefined) break;
          await new Promise((resolve) => setTimeout(resolve, delay));
        }
      }
      reports.unwritten(unwritten.size);
      writeAgainLater();
    },
    async isMarked(resource) {
      if (await local.isMarked(resource)) return true;
      return (await redis.exists(markKey(resource))) === 1;
    },
    async now() {
      const [seconds, micros] = await redis.time();
      return Number(seconds) * 1000 + Math.floor(Number(micros) / 1000);
    },
    async revokedBetween(from, to) {
      let members: string[];
      try {
        members = await redis.zrangebyscore(REVOKED_TOKENS_KEY, bound(from), bound(to));
      } catch (error) {
        reports.error(error);
        // Redis cannot say: every token this process revoked within the retention is hidden, and
        // the caller is told that other replicas' revocations are unknown.
        const mine = await local.revokedBetween(Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY);
        return { tokens: mine.tokens, known: false };
      }
      // Not in Redis yet, so not stamped there: hidden from every snapshot until they are.
      return { tokens: new Set([...members, ...unwritten.keys()]), known: true };
    },
    close() {
      closed = true;
      clearTimeout(timer);
    },
  };
}

function bound(stamp: number): string {
  if (stamp === Number.NEGATIVE_INFINITY) return '-inf';
  if (stamp === Number.POSITIVE_INFINITY) return '+inf';
  return String(Math.floor(stamp));
}
