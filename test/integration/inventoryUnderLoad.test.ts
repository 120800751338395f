/**
 * The inventory when reads are slow, callers insistent and watch lists long (contract §7), over
 * real HTTP with the upstream calls counted: a read that outlasts the request's deadline answers
 * from the newest earlier snapshot, or from what was read by then with the rest as gaps, never
 * `null`; `refresh: true` reads anew at most once per TOKENGRAPH_INVENTORY_MIN_REFRESH_MS; watched
 * references go through their source's bulkhead, leaving live requests a share of it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { readConfig, type InventoryConfig } from '../../src/config/readConfig.js';
import { DEMO_ASTRA_ACCOUNTS } from '../../src/demo/demoData.js';
import { startDemoUpstreams } from '../../src/demo/startDemoUpstreams.js';
import type { TokenKey } from '../../src/sources.js';
import { startStack, type Stack, type StackOptions } from '../harness.js';

const INVENTORY: InventoryConfig = { ...readConfig({}).inventory, watch: [], astraAccountIds: [...DEMO_ASTRA_ACCOUNTS] };
const QUERY = `query ($refresh: Boolean) { inventory(first: 500, refresh: $refresh) { totalCount collectedAt gaps { source code count scopes message } } }`;

const stacks: Stack[] = [];
async function stack(options: StackOptions): Promise<Stack> {
  const started = await startStack(options);
  stacks.push(started);
  return started;
}
afterEach(async () => {
  await Promise.all(stacks.splice(0).map((s) => s.close()));
});

interface Connection {
  totalCount: number;
  collectedAt: string;
  gaps: Array<{ source: string; code: string; count: number; scopes: string[]; message: string }>;
}

async function inventory(s: Stack, refresh = false): Promise<{ connection: Connection; errors: unknown }> {
  const response = await s.query(QUERY, { refresh });
  return { connection: response.body.data?.inventory as Connection, errors: response.body.errors };
}

describe('a read slower than the request', () => {
  it("answers from what was read by its deadline, every unread part an UPSTREAM_TIMEOUT gap, never null; the read goes on and serves the next request", async () => {
    const s = await stack({ configured: ['netbird', 'games'], limits: { requestDeadlineMs: 800 }, timeoutMs: 5000, config: { inventory: { ...INVENTORY, watch: [{ source: 'GAME', tokenId: 'game-demo-1' }] } } });
    // NetBird's users come at once, each user's tokens after 1.5 s; the game token at once.
    s.upstreams.netbird.inject({ fault: { kind: 'delay', ms: 1500 }, match: (call) => call.path !== '/api/users' });
    const started = Date.now();
    const slow = await inventory(s);
    expect(Date.now() - started).toBeLessThan(1500);
    expect(slow.errors).toBeUndefined();
    expect(slow.connection.totalCount).toBe(1);
    expect(slow.connection.gaps).toEqual([
      { source: 'NETBIRD', code: 'UPSTREAM_TIMEOUT', count: 10, scopes: expect.arrayContaining(['user alice']), message: expect.stringContaining("not read before the request's deadline") },
    ]);
    // The read went on: the next request gets it whole, with no call of its own.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const callsBefore = s.totalCalls();
    const whole = await inventory(s);
    expect(whole.connection.gaps).toEqual([]);
    expect(whole.connection.totalCount).toBeGreaterThan(100);
    expect(s.totalCalls()).toBe(callsBefore);
  });

  it('answers from the newest earlier snapshot when there is one, its collectedAt showing its age', async () => {
    const s = await stack({ configured: ['netbird'], limits: { requestDeadlineMs: 800 }, timeoutMs: 5000, config: { inventory: { ...INVENTORY, ttlMs: 100 } } });
    const first = await inventory(s);
    expect(first.connection.gaps).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 150));
    s.upstreams.netbird.latencyMs = 1500;
    const callsBefore = s.totalCalls();
    const started = Date.now();
    const stale = await inventory(s);
    const elapsed = Date.now() - started;
    expect(stale.errors).toBeUndefined();
    expect(stale.connection).toEqual(first.connection);
    // By the deadline path: a new read was started upstream, and the answer waited for it until the deadline, not after.
    expect(s.totalCalls()).toBeGreaterThan(callsBefore);
    expect(elapsed).toBeGreaterThanOrEqual(800);
    expect(elapsed).toBeLessThan(1500);
  });
});

describe('refresh: true', () => {
  it('reads anew at most once per TOKENGRAPH_INVENTORY_MIN_REFRESH_MS per set of credentials: within it, the newest snapshot', async () => {
    const s = await stack({ configured: ['netbird'], config: { inventory: { ...INVENTORY, minRefreshMs: 600 } } });
    const first = await inventory(s, true);
    const oneRead = s.totalCalls();
    expect(oneRead).toBeGreaterThan(1);
    for (let i = 0; i < 5; i++) expect((await inventory(s, true)).connection.collectedAt).toBe(first.connection.collectedAt);
    expect(s.totalCalls()).toBe(oneRead);
    await new Promise((resolve) => setTimeout(resolve, 650));
    const later = await inventory(s, true);
    expect(later.connection.collectedAt).not.toBe(first.connection.collectedAt);
    expect(s.totalCalls()).toBe(2 * oneRead);
  });
});

/**
 * The games platform alone, 300 watched references (one known), answering after 20 ms; 4 calls at
 * once to it, and none may wait: a bulkhead overrun fails at once.
 */
async function watchingGames() {
  const upstreams = await startDemoUpstreams();
  upstreams.games.latencyMs = 20;
  const watch: TokenKey[] = Array.from({ length: 300 }, (_, i) => ({ source: 'GAME', tokenId: i === 0 ? 'game-demo-2' : `unknown-${i}` }));
  const s = await stack({ upstreams, configured: ['games'], resilience: { maxConcurrency: 4, maxQueue: 0 }, config: { inventory: { ...INVENTORY, watch } } });
  return { upstreams, s };
}

describe('watched references', () => {
  it("go through their source's bulkhead, a share of it left to live requests: none fails for want of a slot", async () => {
    const { upstreams, s } = await watchingGames();
    try {
      upstreams.meter.reset();
      const reading = inventory(s);
      await new Promise((resolve) => setTimeout(resolve, 300));
      // While only the read runs: three calls at once, its share of the four (the bulkhead itself would allow four).
      expect(upstreams.meter.max).toBe(3);
      // A live request in the middle of the read gets a slot.
      const live = await s.query('{ gameToken(id: "game-demo-1") { name } }');
      expect(live.body.errors).toBeUndefined();
      const { connection } = await reading;
      expect(connection.gaps).toEqual([]);
      expect(connection.totalCount).toBe(1);
      // One call per watched reference, plus the live one.
      expect(upstreams.games.calls.filter((call) => call.path.startsWith('/v1/tokens/'))).toHaveLength(301);
    } finally {
      await upstreams.close();
    }
  });

  it('share one share of the bulkhead between reads at once (a read and a refresh: true): none fails, live requests keep theirs', async () => {
    const { upstreams, s } = await watchingGames();
    try {
      upstreams.meter.reset();
      const first = inventory(s);
      await new Promise((resolve) => setTimeout(resolve, 100));
      // A second read of the same credentials while the first runs (refresh: true never joins a read that may be older).
      const second = inventory(s, true);
      await new Promise((resolve) => setTimeout(resolve, 200));
      // While only the two reads run: three calls at once between them (one share), not three each.
      expect(upstreams.meter.max).toBe(3);
      const live = await s.query('{ gameToken(id: "game-demo-1") { name } }');
      expect(live.body.errors).toBeUndefined();
      for (const { connection } of await Promise.all([first, second])) {
        expect(connection.gaps).toEqual([]);
        expect(connection.totalCount).toBe(1);
      }
      // Two reads of 300 references each, plus the live one.
      expect(upstreams.games.calls.filter((call) => call.path.startsWith('/v1/tokens/'))).toHaveLength(601);
    } finally {
      await upstreams.close();
    }
  });
});
