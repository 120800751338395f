/**
 * The NetBird fake's API rate limiter (rate_limiter.go): a bucket per PAT, kept by the PAT's SHA-256
 * (as NetBird stores a PAT, never the PAT itself: in demo mode the fake lives in tokengraph's
 * process), and idle buckets dropped, as NetBird's cleanup drops limiters unused past their TTL.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { netbirdPat } from '../../../src/demo/netbirdPats.js';
import { createPatRateLimiter } from '../../../src/demo/netbirdRateLimiter.js';

const pat = (i: number) => netbirdPat(`RateLimiterTestSecret${String(i).padStart(9, '0')}`);
const hashed = (value: string) => createHash('sha256').update(value).digest('base64');
const T0 = 1_700_000_000_000;

describe('the NetBird fake rate limiter', () => {
  it('keeps each bucket by the PAT\'s SHA-256, never by the PAT', () => {
    const limiter = createPatRateLimiter({ burst: 2, perMinute: 6 });
    const pats = [pat(1), pat(2)];
    for (const p of pats) limiter.allow(p, T0);
    expect(limiter.keys().sort()).toEqual(pats.map(hashed).sort());
    for (const key of limiter.keys()) expect(pats).not.toContain(key);
  });

  it('a burst, then refused until the bucket refills; a bucket per PAT', () => {
    const limiter = createPatRateLimiter({ burst: 2, perMinute: 6 });
    expect([limiter.allow(pat(1), T0), limiter.allow(pat(1), T0), limiter.allow(pat(1), T0)]).toEqual([true, true, false]);
    expect(limiter.allow(pat(2), T0)).toBe(true);
    // 6 a minute: one token every 10 s.
    expect(limiter.allow(pat(1), T0 + 9_999)).toBe(false);
    expect(limiter.allow(pat(1), T0 + 10_000)).toBe(true);
  });

  it('drops a bucket left idle until it is full again (nothing a caller can tell from a new one)', () => {
    const limiter = createPatRateLimiter({ burst: 2, perMinute: 6 });
    limiter.allow(pat(1), T0);
    limiter.allow(pat(1), T0);
    // Two tokens at 6 a minute refill in 20 s.
    limiter.allow(pat(2), T0 + 19_999);
    expect(limiter.keys()).toContain(hashed(pat(1)));
    limiter.allow(pat(2), T0 + 40_000);
    expect(limiter.keys()).toEqual([hashed(pat(2))]);
    // A full burst again, as an idle bucket would have had.
    expect([limiter.allow(pat(1), T0 + 40_000), limiter.allow(pat(1), T0 + 40_000), limiter.allow(pat(1), T0 + 40_000)]).toEqual([true, true, false]);
  });

  it('keeps at most maxBuckets buckets however many PATs call at once, dropping the least recently used', () => {
    const limiter = createPatRateLimiter({ burst: 500, perMinute: 6 }, 100);
    limiter.allow(pat(0), T0);
    for (let i = 1; i < 1_000; i++) {
      limiter.allow(pat(i), T0);
      // The first PAT stays in use: it is never the one dropped.
      limiter.allow(pat(0), T0);
    }
    expect(limiter.keys()).toHaveLength(100);
    expect(limiter.keys()).toContain(hashed(pat(0)));
    expect(limiter.keys()).not.toContain(hashed(pat(1)));
  });
});
