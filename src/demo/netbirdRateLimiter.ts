/**
 * NetBird's API rate limiting (management/server/http/middleware/rate_limiter.go, off unless
 * NB_API_RATE_LIMITING_ENABLED): a token bucket per PAT, `burst` calls and then `perMinute` a
 * minute (golang.org/x/time/rate).
 */

export interface PatRateLimit {
  burst: number;
  perMinute: number;
}

export interface PatRateLimiter {
  /** Whether a call with `pat` may go through now (and, if so, takes its token). */
  allow(pat: string, now?: number): boolean;
  /** What the buckets are kept by, for its test. */
  keys(): string[];
}

export function createPatRateLimiter(limit: PatRateLimit): PatRateLimiter {
  const buckets = new Map<string, { tokens: number; at: number }>();
  return {
    allow(pat, now = Date.now()) {
      const bucket = buckets.get(pat) ?? { tokens: limit.burst, at: now };
      bucket.tokens = Math.min(limit.burst, bucket.tokens + ((now - bucket.at) * limit.perMinute) / 60_000);
      bucket.at = now;
      buckets.set(pat, bucket);
      if (bucket.tokens < 1) return false;
      bucket.tokens -= 1;
      return true;
    },
    keys: () => [...buckets.keys()],
  };
}
