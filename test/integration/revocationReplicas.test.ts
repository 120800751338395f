/**
 * Revocation across replicas, run as they run (contract §9): two and three tokengraph PROCESSES
 * (test/replicas.ts) on one real redis-server, in front of one set of demo upstreams held, failed
 * and counted by this test. After a revocation on one replica, no replica shows the token from
 * anything cached (the shared cache, the snapshots each keeps in memory or finds in Redis), at
 * once, and still not after the reads that were in flight during the revocation have finished;
 * forgetting costs a few Redis commands whatever else Redis holds, and survives Redis stalling
 * while it happens.
 *
 * Revoking changes the demo upstreams' data, so every test starts its own upstreams and replicas.
 */
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REVOKED_TOKENS_KEY } from '../../src/cache/cacheKey.js';
import type { RecordedCall } from '../../src/demo/fakeUpstream.js';
import { replicasOnRedis, type Replica } from '../replicas.js';

const NB = { source: 'NETBIRD', userId: 'alice', tokenId: 'nb-demo-1' };
const NB_PATH = '/api/users/alice/tokens/nb-demo-1';
const READ = `query Read($refs: [TokenRef!]!) { tokens(refs: $refs) { tokenId } }`;
const INVENTORY = `query Inventory { inventory(first: 500) { nodes { source tokenId } } }`;
const REVOKE = `mutation Revoke($refs: [TokenRef!]!) { revokeTokens(refs: $refs) { outcome code } }`;

const isTokenRead = (call: RecordedCall) => call.method === 'GET' && call.path === NB_PATH;

const suite = replicasOnRedis({ TOKENGRAPH_WATCH: 'GAME/game-demo-2' });
const start = (count: number, env?: Record<string, string>) => suite.start(count, env);
let admin: Redis;

beforeAll(() => {
  admin = new Redis(suite.redis.url, { maxRetriesPerRequest: 0 });
});
afterAll(() => admin.disconnect());

/** Whether `replica` answers the token as present: by reference (through the cache) or in its inventory. */
async function shows(replica: Replica): Promise<{ read: boolean; inventory: boolean }> {
  const [read, inventory] = await Promise.all([replica.query(READ, { refs: [NB] }), replica.query(INVENTORY)]);
  expect(read.body.errors).toBeUndefined();
  expect(inventory.body.errors).toBeUndefined();
  const nodes = inventory.body.data!.inventory.nodes as Array<{ source: string; tokenId: string }>;
  return { read: read.body.data!.tokens[0] !== null, inventory: nodes.some((node) => node.source === 'NETBIRD' && node.tokenId === NB.tokenId) };
}

const GONE = { read: false, inventory: false };

describe.each([2, 3])('%i tokengraph processes on one Redis', (count) => {
  it('a revocation on one is invisible on every other at once, and stays so after the reads in flight during it finish', async () => {
    const all = await start(count);
    const last = all.at(-1)!;
    // Held at the upstreams while the revocation runs: the last replica's read of the token (a cache
    // miss, so it will write what it read; answered as the upstream has it now, its body taking
    // about 3.5 s to arrive) and its inventory read (which lists NetBird at once, then waits for the
    // watched game token).
    suite.upstreams.netbird.inject({ fault: { kind: 'trickle', bytesPerChunk: 4, intervalMs: 75 }, match: isTokenRead, times: 1 });
    suite.upstreams.games.inject({ fault: { kind: 'delay', ms: 3500 }, times: 1 });
    let settled = false;
    const inFlight = Promise.all([last.query(READ, { refs: [NB] }), last.query(INVENTORY)]).finally(() => (settled = true));
    await expect.poll(() => suite.upstreams.netbird.calls.some(isTokenRead) && suite.upstreams.games.calls.length > 0, { timeout: 5000, interval: 10 }).toBe(true);

    // Every other replica has it cached (Redis) and kept (its own snapshot, and the shared one).
    for (const replica of all.slice(0, -1)) expect(await shows(replica)).toEqual({ read: true, inventory: true });

    const revoked = await all[0]!.query(REVOKE, { refs: [NB] });
    expect(revoked.body.data?.revokeTokens).toEqual([{ outcome: 'REVOKED', code: null }]);
    // At once, on every replica but the one whose reads are still held.
    for (const replica of all.slice(0, -1)) expect(await shows(replica)).toEqual(GONE);
    expect(settled).toBe(false);

    // The held reads answer their own requests as read then; what they wrote or kept shows nothing.
    const [heldRead, heldInventory] = await inFlight;
    expect(heldRead.body.data?.tokens).toEqual([{ tokenId: 'nb-demo-1' }]);
    // The race's premise: the held inventory read listed the token before the revocation.
    expect(heldInventory.body.data!.inventory.nodes).toContainEqual({ source: 'NETBIRD', tokenId: NB.tokenId });
    for (const replica of all) expect(await shows(replica)).toEqual(GONE);
  });
});

describe('two processes on one Redis', () => {
  it('a pre-revocation inventory snapshot written back into Redis after the revocation is shown by no replica', async () => {
    const [a, b] = (await start(2)) as [Replica, Replica];
    expect((await shows(a)).inventory).toBe(true);
    const [key] = await admin.keys('tokengraph:*:inventory:*');
    expect(key).toBeDefined();
    // What a replica that read before the revocation, and stores after it, writes.
    const before = (await admin.get(key!))!;
    expect(before).toContain(NB.tokenId);

    expect((await a.query(REVOKE, { refs: [NB] })).body.data?.revokeTokens).toEqual([{ outcome: 'REVOKED', code: null }]);
    await admin.set(key!, before, 'PX', 60_000);

    // b has no snapshot of its own: it takes the one in Redis. a has its own kept, and Redis's.
    expect(await shows(b)).toEqual(GONE);
    expect(await shows(a)).toEqual(GONE);
  });

  it('Redis stalling while the revocation forgets leaves nothing cached that shows the token', async () => {
    const [a, b] = await start(2);
    expect(await shows(b!)).toEqual({ read: true, inventory: true });
    const reads = suite.upstreams.netbird.calls.filter(isTokenRead).length;
    // The revocation call takes 600 ms; Redis is busy (a script that spins, as a slow command or
    // a stalled server would) from the moment it arrives until well after it is answered, so
    // every cache command of the forgetting times out (250 ms) at least once.
    suite.upstreams.netbird.inject({ fault: { kind: 'delay', ms: 600 }, match: (call) => call.method === 'DELETE', times: 1 });
    const marked = a!.logs().length;
    const revoking = a!.query(REVOKE, { refs: [NB] });
    await expect.poll(() => suite.upstreams.netbird.calls.some((call) => call.method === 'DELETE'), { timeout: 5000, interval: 5 }).toBe(true);
    const stall = new Redis(suite.redis.url, { maxRetriesPerRequest: 0 });
    try {
      await stall.eval(SPIN, 0, 1500);
    } finally {
      stall.disconnect();
    }
    expect((await revoking).body.data?.revokeTokens).toEqual([{ outcome: 'REVOKED', code: null }]);
    // The stall did meet the forgetting: a saw Redis fail during the revocation, and the tombstone
    // still reached Redis once it answered again (written again until it is stored).
    expect(a!.logs().slice(marked).filter((line) => line.msg === 'cache unavailable: serving from the upstreams' && line.backend === 'redis')).not.toEqual([]);
    const check = new Redis(suite.redis.url, { maxRetriesPerRequest: 0 });
    try {
      await expect.poll(() => check.zrange(REVOKED_TOKENS_KEY, 0, -1), { timeout: 5000 }).toEqual([expect.stringContaining(NB.tokenId)]);
    } finally {
      check.disconnect();
    }
    expect(await shows(b!)).toEqual(GONE);
    // b asked the upstream again rather than serve its cached read.
    expect(suite.upstreams.netbird.calls.filter(isTokenRead).length).toBeGreaterThan(reads + 1);
  });

  it('forgetting a token costs a few Redis commands, and no SCAN, however many unrelated keys Redis holds', async () => {
    const [a] = await start(2);
    expect(await shows(a!)).toEqual({ read: true, inventory: true });
    // 50,000 keys that are not tokengraph's (another application's, or other tokens' entries).
    for (let batch = 0; batch < 50; batch++) {
      const pairs = Array.from({ length: 1000 }, (_, i) => [`unrelated:${batch}:${i}`, 'x']).flat();
      await admin.mset(...pairs);
    }
    await admin.config('RESETSTAT');
    expect((await a!.query(REVOKE, { refs: [NB] })).body.data?.revokeTokens).toEqual([{ outcome: 'REVOKED', code: null }]);
    const stats = commandStats(await admin.info('commandstats'));
    expect(stats.scan ?? 0).toBe(0);
    expect(stats.keys ?? 0).toBe(0);
    // Besides this test's own INFO and CONFIG: the revocation's writes and the reads around it.
    const total = Object.entries(stats).reduce((sum, [name, calls]) => (/^(info|config)\b/.test(name) ? sum : sum + calls), 0);
    expect(total).toBeLessThanOrEqual(10);
    // And not fewer than it takes: the tombstone is in Redis.
    expect(await admin.zrange(REVOKED_TOKENS_KEY, 0, -1)).toEqual([expect.stringContaining(NB.tokenId)]);
  });
});

describe('two processes, each with its own in-memory cache', () => {
  it('a revocation is immediate only on the replica that made it, as the README says', async () => {
    const [a, b] = (await start(2, { REDIS_URL: '', TOKENGRAPH_CACHE: 'memory' })) as [Replica, Replica];
    expect(await shows(a)).toEqual({ read: true, inventory: true });
    expect(await shows(b)).toEqual({ read: true, inventory: true });
    expect((await a.query(REVOKE, { refs: [NB] })).body.data?.revokeTokens).toEqual([{ outcome: 'REVOKED', code: null }]);
    expect(await shows(a)).toEqual(GONE);
    // b's own cache and snapshot still hold it, until their TTLs end.
    expect(await shows(b)).toEqual({ read: true, inventory: true });
    expect(await admin.dbsize()).toBe(0);
  });
});

/** Keeps Redis busy for ARGV[1] ms (every other client waits), as a slow command would. */
const SPIN = `
local start = redis.call('TIME')
local until_us = tonumber(start[1]) * 1000000 + tonumber(start[2]) + tonumber(ARGV[1]) * 1000
while true do
  local now = redis.call('TIME')
  if tonumber(now[1]) * 1000000 + tonumber(now[2]) >= until_us then return 1 end
end`;

/** `INFO commandstats` as calls per command. */
function commandStats(info: string): Record<string, number> {
  const stats: Record<string, number> = {};
  for (const match of info.matchAll(/^cmdstat_([a-z|]+):calls=(\d+)/gm)) stats[match[1]!] = Number(match[2]);
  return stats;
}
