/**
 * Tombstones of revoked tokens (src/cache/tombstones.ts), in this process and in a real Redis: a
 * mark hides its resource's entries (and only its resource's) for the retention and no longer;
 * revoked tokens are found by when they were revoked, both bounds included; what is stored holds
 * no credential; and a write Redis did not take is kept, hidden by this process meanwhile, and
 * stored once Redis is back.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { REVOKED_TOKENS_KEY, markKey } from '../../../src/cache/cacheKey.js';
import { connectRedis } from '../../../src/cache/connectRedis.js';
import { createLruCache } from '../../../src/cache/createLruCache.js';
import { createMemoryTombstones } from '../../../src/cache/createMemoryTombstones.js';
import { createRedisTombstones } from '../../../src/cache/createRedisTombstones.js';
import { SourceCache } from '../../../src/cache/sourceCache.js';
import { TOMBSTONE_RETENTION_MS, type Tombstone } from '../../../src/cache/tombstones.js';
import { restingRef } from '../../../src/security/secretIds.js';
import { closedPort } from '../../harness.js';
import { startRedis, type TestRedis } from '../../redisServer.js';

const TICKET = '8f14e45f-ceea-467a-9a1b-3c5d2f9e0a61';
const NETBIRD: Tombstone = {
  token: restingRef({ source: 'NETBIRD', userId: 'alice', tokenId: 'nb-1' }),
  resources: [{ source: 'NETBIRD', resource: ['api', 'users', 'alice', 'tokens', 'nb-1'] }],
};

describe('restingRef', () => {
  it('names a token by its parts, with an id that is a credential fingerprinted, the same from its id or its fingerprint', () => {
    expect(restingRef({ source: 'NETBIRD', userId: 'a/b', tokenId: 'nb-1' })).toBe('NETBIRD/a%2Fb/nb-1');
    const ticket = restingRef({ source: 'CRAFTER_TICKET', tokenId: TICKET });
    expect(ticket).toMatch(/^CRAFTER_TICKET\/[0-9a-f]{64}$/);
    const accessToken = restingRef({ source: 'CRAFTER_ACCESS_TOKEN', tokenId: TICKET });
    expect(accessToken).not.toContain(TICKET);
    expect(restingRef({ source: 'CRAFTER_ACCESS_TOKEN', fingerprint: accessToken.split('/')[1]! })).toBe(accessToken);
  });
});

describe('in this process', () => {
  it('marks the resources of what it buries, for the retention and no longer, and finds tokens by stamp, both bounds included', async () => {
    let now = 1000;
    const tombstones = createMemoryTombstones(10_000, () => now);
    await tombstones.bury([NETBIRD]);
    expect(await tombstones.isMarked(NETBIRD.resources[0]!)).toBe(true);
    expect(await tombstones.isMarked({ source: 'NETBIRD', resource: ['api', 'users', 'alice', 'tokens', 'nb-2'] })).toBe(false);
    expect(await tombstones.isMarked({ source: 'ASTRA', resource: NETBIRD.resources[0]!.resource })).toBe(false);
    expect([...(await tombstones.revokedBetween(1000, 1000)).tokens]).toEqual([NETBIRD.token]);
    expect((await tombstones.revokedBetween(1001, Number.POSITIVE_INFINITY)).tokens.size).toBe(0);
    expect((await tombstones.revokedBetween(Number.NEGATIVE_INFINITY, 999)).tokens.size).toBe(0);
    now = 10_999;
    expect(await tombstones.isMarked(NETBIRD.resources[0]!)).toBe(true);
    now = 11_000;
    expect(await tombstones.isMarked(NETBIRD.resources[0]!)).toBe(false);
    expect((await tombstones.revokedBetween(Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY)).tokens.size).toBe(0);
  });

  it('keep a cache entry of a marked resource from being served, even one written after the mark by a read in flight', async () => {
    const tombstones = createMemoryTombstones();
    const cache = new SourceCache(createLruCache({ maxEntries: 10, maxBytes: 100_000 }), 'NETBIRD', 60_000, { hit: vi.fn(), miss: vi.fn(), error: vi.fn() }, tombstones);
    const resource = NETBIRD.resources[0]!.resource;
    let release!: () => void;
    let started!: () => void;
    const loading = new Promise<void>((resolve) => (started = resolve));
    const load = () => {
      started();
      return new Promise<{ name: string }>((resolve) => (release = () => resolve({ name: 'read before' })));
    };
    // Looked up (a miss, unmarked) and loading when the token is revoked.
    const inFlight = cache.through(resource, load, { credential: 'c' });
    await loading;
    await tombstones.bury([NETBIRD]);
    release();
    expect(await inFlight).toEqual({ name: 'read before' });
    const again = vi.fn(async () => null);
    expect(await cache.through(resource, again, { credential: 'c' })).toBeNull();
    expect(again).toHaveBeenCalledTimes(1);
  });
});

describe('in Redis', () => {
  let redis: TestRedis;
  let admin: Redis;
  beforeAll(async () => {
    redis = await startRedis();
    admin = new Redis(redis.url);
  });
  afterAll(async () => {
    admin.disconnect();
    await redis.stop();
  });

  it('one revocation is a mark per resource and a member of the revoked set, stamped by Redis, with the retention as TTL and no credential', async () => {
    await redis.flush();
    const client = connectRedis(redis.url, () => {});
    const otherClient = connectRedis(redis.url, () => {});
    const tombstones = createRedisTombstones(client, { error: vi.fn(), unwritten: vi.fn() });
    await Promise.all([once(client, 'ready'), once(otherClient, 'ready')]);
    try {
      const ticket: Tombstone = { token: restingRef({ source: 'CRAFTER_TICKET', tokenId: TICKET }), resources: [{ source: 'CRAFTER_TICKET', resource: ['api', '1', 'authentication', 'ticket', 'fp'] }] };
      const before = await tombstones.now();
      await tombstones.bury([NETBIRD, ticket]);
      const after = await tombstones.now();
      expect(await tombstones.isMarked(NETBIRD.resources[0]!)).toBe(true);
      // Seen by another replica: its own connection, nothing of this process's.
      const other = createRedisTombstones(otherClient, { error: vi.fn(), unwritten: vi.fn() });
      expect(await other.isMarked(NETBIRD.resources[0]!)).toBe(true);
      expect(await other.isMarked({ source: 'NETBIRD', resource: ['elsewhere'] })).toBe(false);
      expect([...(await other.revokedBetween(before, after)).tokens].sort()).toEqual([NETBIRD.token, ticket.token].sort());
      expect((await other.revokedBetween(after + 1, Number.POSITIVE_INFINITY)).tokens.size).toBe(0);
      const keys = (await admin.keys('*')).sort();
      expect(keys).toEqual([REVOKED_TOKENS_KEY, markKey(NETBIRD.resources[0]!), markKey(ticket.resources[0]!)].sort());
      for (const key of keys) {
        expect(await admin.pttl(key)).toBeGreaterThan(TOMBSTONE_RETENTION_MS - 60_000);
        expect(key).not.toContain(TICKET);
      }
      expect(JSON.stringify(await admin.zrange(REVOKED_TOKENS_KEY, 0, -1, 'WITHSCORES'))).not.toContain(TICKET);
    } finally {
      client.disconnect();
      otherClient.disconnect();
    }
  });

  it('a revocation Redis does not take is hidden by this process meanwhile, reported, and stored once Redis is back', async () => {
    const port = await closedPort();
    const errors = vi.fn();
    const unwritten = vi.fn();
    const client = connectRedis(`redis://127.0.0.1:${port}`, () => {});
    const tombstones = createRedisTombstones(client, { error: errors, unwritten });
    let server: ReturnType<typeof spawn> | undefined;
    try {
      await tombstones.bury([NETBIRD]);
      expect(unwritten).toHaveBeenCalledWith(1);
      expect(errors).toHaveBeenCalled();
      expect(await tombstones.isMarked(NETBIRD.resources[0]!)).toBe(true);
      // Redis cannot say: this process's own revocation is hidden, and the answer says it is not all of them.
      expect(await tombstones.revokedBetween(Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY)).toEqual({ tokens: new Set([NETBIRD.token]), known: false });

      server = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
      const back = new Redis(`redis://127.0.0.1:${port}`, { maxRetriesPerRequest: 0, retryStrategy: () => 100 });
      back.on('error', () => {});
      try {
        await expect.poll(() => back.exists(markKey(NETBIRD.resources[0]!)).catch(() => 0), { timeout: 8000, interval: 200 }).toBe(1);
        expect(await back.zrange(REVOKED_TOKENS_KEY, 0, -1)).toEqual([NETBIRD.token]);
      } finally {
        back.disconnect();
      }
    } finally {
      tombstones.close();
      client.disconnect();
      if (server && server.exitCode === null) {
        const exited = once(server, 'exit');
        process.kill(server.pid!, 'SIGTERM');
        await exited;
      }
    }
  });
});
