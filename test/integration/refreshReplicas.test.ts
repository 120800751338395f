/**
 * The background refresh across replicas, run as they run (contract §8): two and three tokengraph
 * PROCESSES (test/replicas.ts) on one real redis-server, every one refreshing every 2 s. One replica
 * at a time holds the lease and reads the upstreams for all (counted at the upstreams: one read per
 * period, not one per replica); every replica exports the same series; a lease holder killed
 * outright hands over within a period or two.
 */
import { describe, expect, it } from 'vitest';
import { REPLICA_READ_KEY, replicasOnRedis, type Replica } from '../replicas.js';

const PERIOD_S = 2;

const suite = replicasOnRedis({ TOKENGRAPH_INVENTORY_REFRESH_S: String(PERIOD_S), TOKENGRAPH_WATCH: 'GAME/game-demo-2' });
const start = (count: number) => suite.start(count);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** Full reads of the inventory the upstreams saw: each begins with NetBird's users list. */
const reads = () => suite.upstreams.netbird.calls.filter((call) => call.path === '/api/users').map((call) => call.at);

async function series(replica: Replica): Promise<string[]> {
  const text = await (await fetch(new URL('/metrics', replica.url), { headers: { authorization: `Bearer ${REPLICA_READ_KEY}` } })).text();
  return text
    .split('\n')
    .filter((line) => line.startsWith('tokengraph_token_expiry_timestamp_seconds{'))
    .sort();
}

const leaseTakers = (all: Replica[]) => all.filter((replica) => replica.logs().some((line) => line.lease === 'taken'));

describe.each([2, 3])('%i replicas on one Redis', (count) => {
  it('read the upstreams once per refresh period between them, and export the same series', async () => {
    const all = await start(count);
    await sleep(1000);
    const from = Date.now();
    await sleep(4 * PERIOD_S * 1000);
    const inWindow = reads().filter((at) => at >= from);
    // One read per period (4 in the window, give or take the one at its edge): not one per replica.
    expect(inWindow.length).toBeGreaterThanOrEqual(3);
    expect(inWindow.length).toBeLessThanOrEqual(5);
    for (let i = 1; i < inWindow.length; i++) expect(inWindow[i]! - inWindow[i - 1]!).toBeGreaterThan(PERIOD_S * 1000 - 400);
    const exported = await Promise.all(all.map(series));
    expect(exported[0]!.length).toBeGreaterThan(50);
    for (const other of exported.slice(1)) expect(other).toEqual(exported[0]);
    // And the same replica read each time: the lease did not change hands.
    expect(leaseTakers(all)).toHaveLength(1);
  }, 60_000);

  it('keep one reader when a read takes longer than a period: the others take each snapshot as it comes, none gives up', async () => {
    const all = await start(count);
    // Two rounds of NetBird calls (its users, then their tokens) at 1.5 s each: a read of about 3 s, 1.5 periods.
    suite.upstreams.netbird.latencyMs = 1500;
    await sleep(1000);
    const from = Date.now();
    await sleep(14_000);
    const inWindow = reads().filter((at) => at >= from);
    expect(inWindow.length).toBeGreaterThanOrEqual(2);
    // Never two reads at once: each starts after the last has ended (about 3 s) and a period has passed.
    for (let i = 1; i < inWindow.length; i++) expect(inWindow[i]! - inWindow[i - 1]!).toBeGreaterThan(2 * 1500);
    expect(leaseTakers(all)).toHaveLength(1);
    const failed = all.flatMap((replica) => replica.logs().filter((line) => line.msg === 'inventory refresh failed; the metrics keep the last snapshot'));
    expect(failed).toEqual([]);
    const exported = await Promise.all(all.map(series));
    expect(exported[0]!.length).toBeGreaterThan(50);
    for (const other of exported.slice(1)) expect(other).toEqual(exported[0]);
  }, 60_000);

  it('hand the reading over within a period or two when the lease holder is killed', async () => {
    const all = await start(count);
    await sleep(PERIOD_S * 1000 + 1500);
    const [holder, ...more] = leaseTakers(all);
    expect(holder).toBeDefined();
    expect(more).toEqual([]);
    // Killed outright: it cannot give the lease back; the lease must lapse.
    process.kill(holder!.pid, 'SIGKILL');
    const killedAt = Date.now();
    await sleep(3 * PERIOD_S * 1000);
    const next = leaseTakers(all.filter((replica) => replica !== holder));
    expect(next).toHaveLength(1);
    const afterKill = reads().filter((at) => at > killedAt);
    expect(afterKill.length).toBeGreaterThanOrEqual(1);
    expect(afterKill[0]! - killedAt).toBeLessThanOrEqual(2 * PERIOD_S * 1000 + 500);
  }, 60_000);
});
