/**
 * The cross-request cache's rules, against an in-memory store that records every write:
 * keys are per source, resource and credential fingerprint (never the credential); callers
 * with different credentials never share an entry; only successful records are stored, for
 * at most the source's TTL and never past their token's expiry; a failing store never fails
 * a call.
 */
import { describe, expect, it, vi } from 'vitest';
import { cacheKey, credentialFingerprint } from '../../../src/cache/cacheKey.js';
import { createLruCache } from '../../../src/cache/createLruCache.js';
import { createMemoryTombstones } from '../../../src/cache/createMemoryTombstones.js';
import type { ResponseCache } from '../../../src/cache/responseCache.js';
import { SourceCache, earliestFutureExpiry, type CacheReporter } from '../../../src/cache/sourceCache.js';
import { upstreamError } from '../../../src/shared/errors.js';

const HOUR = 3_600_000;

function recordingStore(inner: ResponseCache = createLruCache({ maxEntries: 100, maxBytes: 1_000_000 })) {
  const writes: Array<{ key: string; value: string; ttlMs: number }> = [];
  const store: ResponseCache = {
    backend: 'memory',
    get: (key) => inner.get(key),
    set: (key, value, ttlMs) => {
      writes.push({ key, value, ttlMs });
      return inner.set(key, value, ttlMs);
    },
    lease: (key, owner, ttlMs) => inner.lease(key, owner, ttlMs),
    close: () => inner.close(),
  };
  return { store, writes };
}

function reporter() {
  return { hit: vi.fn(), miss: vi.fn(), error: vi.fn() } satisfies CacheReporter;
}

describe('cache keys', () => {
  it('differ by credential and never contain it', () => {
    const a = cacheKey('NETBIRD', ['api', 'users', 'alice'], credentialFingerprint('secret-one'));
    const b = cacheKey('NETBIRD', ['api', 'users', 'alice'], credentialFingerprint('secret-two'));
    expect(a).not.toBe(b);
    expect(a).not.toContain('secret-one');
    expect(a).toMatch(/^tokengraph:v1:NETBIRD:api\/users\/alice:[0-9a-f]{32}$/);
  });

  it('are stable for one credential, across calls and processes', () => {
    expect(credentialFingerprint('secret-one')).toBe(credentialFingerprint('secret-one'));
  });

  it('differ by source, and a value with a slash cannot pose as two segments', () => {
    const f = credentialFingerprint('c');
    expect(cacheKey('GAME', ['v1', 'tokens', 'a/b'], f)).not.toBe(cacheKey('GAME', ['v1', 'tokens', 'a', 'b'], f));
    expect(cacheKey('GAME', ['x'], f)).not.toBe(cacheKey('ASTRA', ['x'], f));
  });
});

describe('SourceCache', () => {
  it('serves the second call for the same resource and credential from the store', async () => {
    const { store } = recordingStore();
    const events = reporter();
    const cache = new SourceCache(store, 'NETBIRD', 60_000, events, createMemoryTombstones());
    const load = vi.fn(async () => ({ id: 'nb-1', name: 'one' }));
    expect(await cache.through(['t', 'nb-1'], load, { credential: 'c' })).toEqual({ id: 'nb-1', name: 'one' });
    expect(await cache.through(['t', 'nb-1'], load, { credential: 'c' })).toEqual({ id: 'nb-1', name: 'one' });
    expect(load).toHaveBeenCalledTimes(1);
    expect(events.miss).toHaveBeenCalledTimes(1);
    expect(events.hit).toHaveBeenCalledTimes(1);
  });

  it('never shares an entry between different credentials', async () => {
    const { store, writes } = recordingStore();
    const cache = new SourceCache(store, 'NETBIRD', 60_000, reporter(), createMemoryTombstones());
    const load = vi.fn(async () => ({ seenBy: load.mock.calls.length }));
    await cache.through(['t', 'nb-1'], load, { credential: 'static-credential' });
    const forwarded = await cache.through(['t', 'nb-1'], load, { credential: 'someone-else' });
    const again = await cache.through(['t', 'nb-1'], load, { credential: 'someone-else' });
    expect(load).toHaveBeenCalledTimes(2);
    expect(forwarded).toEqual({ seenBy: 2 });
    expect(again).toEqual({ seenBy: 2 });
    expect(new Set(writes.map((w) => w.key)).size).toBe(2);
    for (const write of writes) {
      expect(write.key).not.toContain('static-credential');
      expect(write.key).not.toContain('someone-else');
      expect(write.value).not.toContain('someone-else');
    }
  });

  it.each([
    ['401', 'UPSTREAM_UNAUTHORIZED', 401],
    ['403', 'UPSTREAM_FORBIDDEN', 403],
    ['429', 'UPSTREAM_UNAVAILABLE', 429],
    ['500', 'UPSTREAM_ERROR', 500],
  ] as const)('never stores a failure (%s)', async (_, code, status) => {
    const { store, writes } = recordingStore();
    const cache = new SourceCache(store, 'GAME', 60_000, reporter(), createMemoryTombstones());
    const failing = vi.fn(async () => {
      throw upstreamError(code, { source: 'GAME', status });
    });
    await expect(cache.through(['g'], failing, { credential: 'c' })).rejects.toMatchObject({ code });
    await expect(cache.through(['g'], failing, { credential: 'c' })).rejects.toMatchObject({ code });
    expect(failing).toHaveBeenCalledTimes(2);
    expect(writes).toHaveLength(0);
  });

  it('does not store not-found (null)', async () => {
    const { store, writes } = recordingStore();
    const cache = new SourceCache(store, 'GAME', 60_000, reporter(), createMemoryTombstones());
    const load = vi.fn(async () => null);
    expect(await cache.through(['g'], load, { credential: 'c' })).toBeNull();
    expect(await cache.through(['g'], load, { credential: 'c' })).toBeNull();
    expect(load).toHaveBeenCalledTimes(2);
    expect(writes).toHaveLength(0);
  });

  it('stores for the source TTL when the token expires later', async () => {
    const { store, writes } = recordingStore();
    const cache = new SourceCache(store, 'GAME', 60_000, reporter(), createMemoryTombstones());
    await cache.through(['g'], async () => ({ expires: Date.now() + HOUR }), { credential: 'c', expiresAt: (v) => v.expires });
    expect(writes[0]?.ttlMs).toBe(60_000);
  });

  it('never stores past the token\'s own expiry', async () => {
    const { store, writes } = recordingStore();
    const cache = new SourceCache(store, 'GAME', HOUR, reporter(), createMemoryTombstones());
    const expires = Date.now() + 10_000;
    await cache.through(['g'], async () => ({ expires }), { credential: 'c', expiresAt: (v) => v.expires });
    expect(writes[0]!.ttlMs).toBeGreaterThan(0);
    expect(writes[0]!.ttlMs).toBeLessThanOrEqual(10_000);
  });

  it('does not store a token that has already expired', async () => {
    const { store, writes } = recordingStore();
    const cache = new SourceCache(store, 'GAME', HOUR, reporter(), createMemoryTombstones());
    await cache.through(['g'], async () => ({ expires: Date.now() - 1 }), { credential: 'c', expiresAt: (v) => v.expires });
    expect(writes).toHaveLength(0);
  });

  it('falls back to the upstream when the store fails, and reports it', async () => {
    const broken: ResponseCache = {
      backend: 'redis',
      lease: async () => {
        throw new Error('connection refused');
      },
      get: async () => {
        throw new Error('connection refused');
      },
      set: async () => {
        throw new Error('connection refused');
      },
      close: async () => {},
    };
    const events = reporter();
    const cache = new SourceCache(broken, 'ASTRA', 60_000, events, createMemoryTombstones());
    const load = vi.fn(async () => ({ ok: true }));
    expect(await cache.through(['a'], load, { credential: 'c' })).toEqual({ ok: true });
    expect(await cache.through(['a'], load, { credential: 'c' })).toEqual({ ok: true });
    expect(load).toHaveBeenCalledTimes(2);
    expect(events.error).toHaveBeenCalledWith('redis', expect.any(Error));
  });
});

describe('earliestFutureExpiry', () => {
  it('takes the earliest expiry still ahead and ignores those already past or unreadable', () => {
    const now = Date.UTC(2026, 0, 1);
    expect(earliestFutureExpiry([now - HOUR, now + 2 * HOUR, 'nonsense', null, now + HOUR], now)).toBe(now + HOUR);
    expect(earliestFutureExpiry([now - HOUR], now)).toBeUndefined();
  });
});

describe('the in-memory LRU', () => {
  it('is bounded in entries: the least recently used goes first', async () => {
    const lru = createLruCache({ maxEntries: 2, maxBytes: 1_000_000 });
    await lru.set('a', '1', HOUR);
    await lru.set('b', '2', HOUR);
    await lru.get('a');
    await lru.set('c', '3', HOUR);
    expect(await lru.get('a')).toBe('1');
    expect(await lru.get('b')).toBeUndefined();
    expect(await lru.get('c')).toBe('3');
  });

  it('is bounded in bytes', async () => {
    const lru = createLruCache({ maxEntries: 100, maxBytes: 1000 });
    await lru.set('a', 'x'.repeat(300), HOUR);
    await lru.set('b', 'y'.repeat(300), HOUR);
    expect(await lru.get('a')).toBeUndefined();
    expect(await lru.get('b')).toBe('y'.repeat(300));
    await lru.set('huge', 'z'.repeat(600), HOUR);
    expect(await lru.get('huge')).toBeUndefined();
  });
});
