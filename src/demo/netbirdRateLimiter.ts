/**
 * NetBird's API rate limiting (management/server/http/middleware/rate_limiter.go, off unless
 * NB_API_RATE_LIMITING_ENABLED): a token bucket per PAT, `burst` calls and then `perMinute` a
 * minute (golang.org/x/time/rate).
 *
 * Unlike NetBird, which keys its limiters by the raw PAT, each bucket is kept by the PAT's hash
 * (`hashedPat`, as NetBird stores a PAT): in demo mode this fake lives in tokengraph's process,
 * which holds no credential longer than a request. And as NetBird's cleanup loop drops a limiter
 * unused for its TTL, a bucket idle until it is full again is dropped (a new one is the same
 * full bucket), at most once per that refill time; past `maxBuckets` buckets the least recently
 * used goes, so a flood of distinct PATs cannot grow the map (such a PAT later starts full).
 */
import { hashedPat } from './netbirdPats.js';

export interface PatRateLimit {
  burst: number;
  perMinute: number;
}

export interface PatRateLimiter {
  /** Whether a call with `pat` may go through at `now` (and, if so, takes its token). */
  allow(pat: string, now?: number): boolean;
  /** What the buckets are kept by (PAT hashes), least recently used first: for its test. */
  keys(): string[];
}

/** Most buckets kept; far more PATs than a demo or a test calls with. */
export const MAX_BUCKETS = 10_000;

export function createPatRateLimiter(limit: PatRateLimit, maxBuckets = MAX_BUCKETS): PatRateLimiter {
  /** By PAT hash, in order of last use (a used bucket is put last). */
  const buckets = new Map<string, { tokens: number; at: number }>();
  /** How long an emptied bucket takes to fill: one idle as long is the same as a new one. */
  const refillMs = (limit.burst * 60_000) / limit.perMinute;
  let sweptAt = Number.NEGATIVE_INFINITY;
  const sweep = (now: number) => {
    if (now - sweptAt < refillMs) return;
    sweptAt = now;
    for (const [key, bucket] of buckets) if (now - bucket.at >= refillMs) buckets.delete(key);
  };
  return {
    allow(pat, now = Date.now()) {
      sweep(now);
      const key = hashedPat(pat);
      const bucket = buckets.get(key) ?? { tokens: limit.burst, at: now };
      bucket.tokens = Math.min(limit.burst, bucket.tokens + ((now - bucket.at) * limit.perMinute) / 60_000);
      bucket.at = now;
      buckets.delete(key);
      buckets.set(key, bucket);
      if (buckets.size > maxBuckets) buckets.delete(buckets.keys().next().value!);
      if (bucket.tokens < 1) return false;
      bucket.tokens -= 1;
      return true;
    },
    keys: () => [...buckets.keys()],
  };
}
