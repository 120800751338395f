/**
 * The cross-request cache over real HTTP: off by default; on, a repeated query is served
 * without an upstream call, failures and expired tokens are never cached; and with Redis
 * (a real redis-server on loopback), two tokengraph processes share entries, while a
 * caller with another credential never sees them, and Redis being down costs only hits.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { CacheConfig } from '../../src/config/readConfig.js';
import { DEMO_ASTRA_ACCOUNTS, DEMO_CREDENTIALS, DEMO_WATCH, demoData } from '../../src/demo/demoData.js';
import { UPSTREAM_NAMES, type TokenKey } from '../../src/sources.js';
import { createLogger } from '../../src/observability/createLogger.js';
import { createTokengraph, type Tokengraph } from '../../src/http/createTokengraph.js';
import { closedPort, startStack, testConfig, testSource, type Stack } from '../harness.js';
import { startRedis, type TestRedis } from '../redisServer.js';

const NETBIRD = '{ netbirdToken(userId: "alice", tokenId: "nb-demo-1") { name expiresAt } }';
/** One operation over every source (its name after `query`), and its variables: ticket and access-token ids are credentials. */
const EVERY_SOURCE = `($ticket: String!, $accessToken: String!) {
  crafterTicket(id: $ticket) { tenant }
  crafterAccessToken(id: $accessToken) { name }
  astraToken(accountId: "acme", userId: "ops-admin", tokenId: "astra-demo-1") { name }
  netbirdToken(userId: "alice", tokenId: "nb-demo-1") { name }
  gameToken(id: "game-demo-2") { name }
}`;
const EVERY_SOURCE_VARIABLES = { ticket: '2e911e0b-ac47-423e-9174-4e8896f1b387', accessToken: 'f81d4fae-7dec-11d0-a765-00a0c91e6bf6' };
const MEMORY: CacheConfig = { mode: 'memory', maxEntries: 1000, maxBytes: 1_000_000 };
/** Every credential the stack knows: tokengraph's own, every Crafter access-token id and every ticket id (a session credential). */
const { crafterProfile } = demoData(new Date());
const CREDENTIALS = [...Object.values(DEMO_CREDENTIALS), ...crafterProfile.accessTokens.map((token) => token.id), ...crafterProfile.tickets.map((ticket) => ticket.id)];

async function metricsOf(url: string): Promise<string> {
  return (await fetch(new URL('/metrics', url))).text();
}

describe('cache off (the default)', () => {
  it('calls the upstream for every request', async () => {
    const stack = await startStack();
    try {
      await stack.query(NETBIRD);
      await stack.query(NETBIRD);
      expect(stack.calls('netbird')).toHaveLength(2);
    } finally {
      await stack.close();
    }
  });
});

describe('in-memory cache', () => {
  // A fresh stack (and so an empty cache) per test.
  let stack: Stack;
  beforeEach(async () => {
    stack = await startStack({ config: { cache: MEMORY } });
  });
  afterEach(() => stack.close());

  it('serves a repeated query over every source with no upstream call, and the same answer', async () => {
    const first = await stack.query(`query First${EVERY_SOURCE}`, EVERY_SOURCE_VARIABLES);
    expect(first.body.errors).toBeUndefined();
    expect(stack.totalCalls()).toBe(5);
    stack.reset();
    const second = await stack.query(`query Second${EVERY_SOURCE}`, EVERY_SOURCE_VARIABLES);
    expect(second.body).toEqual(first.body);
    expect(stack.totalCalls()).toBe(0);
    const metrics = await metricsOf(stack.url);
    expect(metrics).toMatch(/tokengraph_cache_hits_total\{source="NETBIRD"\} [1-9]/);
    expect(metrics).toMatch(/tokengraph_cache_misses_total\{source="NETBIRD"\} [1-9]/);
  });

  it.each([401, 403, 429, 500])('never caches a %i answer', async (status) => {
    const query = `{ gameToken(id: "game-demo-2") { name } a${status}: astraToken(accountId: "acme", userId: "ops-admin", tokenId: "astra-demo-2") { name } }`;
    // A 429 with Retry-After: 0, so that the pause a 429 starts (rateBudget.test.ts) is over at once.
    stack.upstreams.astra.inject({ fault: { kind: 'status', status, ...(status === 429 && { headers: { 'retry-after': '0' } }) }, times: 1 });
    const failed = await stack.query(query);
    expect(failed.body.data?.[`a${status}`]).toBeNull();
    const healed = await stack.query(query);
    expect(healed.body.data?.[`a${status}`]).toMatchObject({ name: 'read-only dashboard' });
    expect(stack.calls('astra')).toHaveLength(2);
  });

  it('never caches a token that has already expired', async () => {
    const expired = '{ gameToken(id: "game-demo-1") { status } }';
    expect((await stack.query(expired)).body.data?.gameToken).toEqual({ status: 'EXPIRED' });
    await stack.query(expired);
    expect(stack.calls('games')).toHaveLength(2);
  });

  it('does not cache not-found', async () => {
    await stack.query('{ gameToken(id: "no-such-game") { name } }');
    await stack.query('{ gameToken(id: "no-such-game") { name } }');
    expect(stack.calls('games')).toHaveLength(2);
  });
});

describe('Redis cache', () => {
  let redis: TestRedis;
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(() => redis.stop());
  beforeEach(() => redis.flush());

  /** Another tokengraph instance, with its own datasources and HTTP server, in front of `stack`'s upstreams. */
  async function secondInstance(stack: Stack, cache: CacheConfig, netbirdToken: string): Promise<{ tokengraph: Tokengraph; url: string }> {
    const config = testConfig({ cache });
    config.upstreams.netbird = testSource(stack.upstreams.netbird.baseUrl, netbirdToken);
    config.upstreams.games = testSource(stack.upstreams.games.baseUrl, DEMO_CREDENTIALS.games);
    const tokengraph = await createTokengraph(config, createLogger('silent'));
    return { tokengraph, url: await tokengraph.listen() };
  }

  async function post(url: string, query: string) {
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
    return (await response.json()) as { data?: Record<string, any>; errors?: Array<{ extensions: { code: string } }> };
  }

  /** Two instances over one set of upstreams, sharing Redis; the second uses `netbirdToken`. */
  async function withTwoInstances(netbirdToken: string, test: (first: Stack, secondUrl: string) => Promise<void>): Promise<void> {
    const cache: CacheConfig = { mode: 'redis', maxEntries: 1, maxBytes: 1024, redisUrl: redis.url };
    const stack = await startStack({ config: { cache } });
    const other = await secondInstance(stack, cache, netbirdToken);
    try {
      await test(stack, other.url);
    } finally {
      await other.tokengraph.close();
      await stack.close();
    }
  }

  it('is shared by two tokengraph instances: the upstream is called once', () =>
    withTwoInstances(DEMO_CREDENTIALS.netbird, async (stack, secondUrl) => {
      const viaFirst = await post(stack.url, NETBIRD);
      const viaSecond = await post(secondUrl, NETBIRD);
      expect(viaFirst.errors).toBeUndefined();
      expect(viaSecond).toEqual(viaFirst);
      expect(stack.calls('netbird')).toHaveLength(1);
    }));

  it("never serves one credential's entry to an instance using another", () =>
    withTwoInstances('not-the-netbird-token', async (stack, secondUrl) => {
      expect((await post(stack.url, NETBIRD)).data?.netbirdToken).toMatchObject({ name: 'CI deploy' });
      const refused = await post(secondUrl, NETBIRD);
      expect(refused.data?.netbirdToken).toBeNull();
      expect(refused.errors?.[0]?.extensions.code).toBe('UPSTREAM_UNAUTHORIZED');
      expect(stack.calls('netbird')).toHaveLength(2);
      // ...and the 401 was not cached either.
      await post(secondUrl, NETBIRD);
      expect(stack.calls('netbird')).toHaveLength(3);
    }));

  it('stores entries under fingerprinted keys, never the credential, with a TTL', async () => {
    const cache: CacheConfig = { mode: 'redis', maxEntries: 1, maxBytes: 1024, redisUrl: redis.url };
    const stack = await startStack({ config: { cache } });
    try {
      await stack.query(`query${EVERY_SOURCE}`, EVERY_SOURCE_VARIABLES);
      const { Redis } = await import('ioredis');
      const client = new Redis(redis.url);
      try {
        const keys = await client.keys('*');
        expect(keys.length).toBe(5);
        for (const key of keys) {
          expect(key).toMatch(/^tokengraph:v1:(CRAFTER_TICKET|CRAFTER_ACCESS_TOKEN|ASTRA|NETBIRD|GAME):[^:]+:[0-9a-f]{32}$/);
          const ttl = await client.pttl(key);
          expect(ttl).toBeGreaterThan(0);
          expect(ttl).toBeLessThanOrEqual(30_000);
          const value = (await client.get(key))!;
          for (const secret of CREDENTIALS) {
            expect(key).not.toContain(secret);
            expect(value).not.toContain(secret);
          }
        }
      } finally {
        client.disconnect();
      }
    } finally {
      await stack.close();
    }
  });

  it('shares inventory snapshots between replicas, kept with no credential in key or value', async () => {
    const cache: CacheConfig = { mode: 'redis', maxEntries: 1, maxBytes: 1024, redisUrl: redis.url };
    const inventory = { ...testConfig().inventory, watch: DEMO_WATCH as TokenKey[], astraAccountIds: [...DEMO_ASTRA_ACCOUNTS] };
    const first = await startStack({ config: { cache, inventory } });
    // A second replica over the same upstreams, configured alike.
    const config = testConfig({ cache, inventory });
    for (const name of UPSTREAM_NAMES) config.upstreams[name] = testSource(first.upstreams[name].baseUrl, DEMO_CREDENTIALS[name]);
    const second = await createTokengraph(config, createLogger('silent'));
    const secondUrl = await second.listen();
    try {
      const query = '{ inventory(first: 500) { totalCount collectedAt nodes { id tokenId } } }';
      const read = await post(first.url, query);
      expect(read.errors).toBeUndefined();
      const calls = first.totalCalls();
      // One full read: the lists and the watched tokens.
      expect(calls).toBeGreaterThan(50);
      const shared = await post(secondUrl, query);
      expect(shared.data?.inventory.nodes).toEqual(read.data?.inventory.nodes);
      // The second replica read nothing but the watched tickets, which each replica reads for its
      // requests (a ticket's id is a session credential: never at rest, in Redis or anywhere).
      const tickets = DEMO_WATCH.filter((ref) => ref.source === 'CRAFTER_TICKET').length;
      expect(first.totalCalls()).toBe(calls + tickets);
      expect(first.calls('crafterProfile').slice(-tickets).every((call) => call.path.includes('/ticket/'))).toBe(true);
      const { Redis } = await import('ioredis');
      const client = new Redis(redis.url);
      try {
        const keys = await client.keys('tokengraph:v1:inventory:*');
        expect(keys).toHaveLength(1);
        const value = (await client.get(keys[0]!))!;
        expect(value).toContain('nb-demo-1');
        for (const secret of CREDENTIALS) {
          expect(keys[0]).not.toContain(secret);
          expect(value).not.toContain(secret);
        }
      } finally {
        client.disconnect();
      }
    } finally {
      await second.close();
      await first.close();
    }
  });

  it('when Redis is down, every request is still answered from the upstream', async () => {
    const cache: CacheConfig = { mode: 'redis', maxEntries: 1, maxBytes: 1024, redisUrl: `redis://127.0.0.1:${await closedPort()}` };
    const stack = await startStack({ config: { cache } });
    try {
      const first = await stack.query(NETBIRD);
      const second = await stack.query(NETBIRD);
      expect(first.body.errors).toBeUndefined();
      expect(second.body).toEqual(first.body);
      expect(stack.calls('netbird')).toHaveLength(2);
      expect(await metricsOf(stack.url)).toMatch(/tokengraph_cache_errors_total\{backend="redis"\} [1-9]/);
    } finally {
      await stack.close();
    }
  });
});
