/**
 * A replica that cannot read Redis after another replica revoked a token (contract §9: a revoked
 * token stays gone; never silently wrong): its kept inventory snapshot was read before the
 * revocation, and the revocation is in Redis only. It hides what it revoked itself, and says on
 * every source that others' revocations are unknown, rather than answer as if nothing were revoked.
 * Two tokengraph PROCESSES (sharing a PostgreSQL server for their history, as replicas do) on a
 * redis-server this test stops between the revocation and the read.
 */
import { afterEach, expect, it } from 'vitest';
import { startDemoUpstreams, type DemoUpstreams } from '../../src/demo/startDemoUpstreams.js';
import { startPostgres, type TestPostgres } from '../postgresServer.js';
import { startRedis, type TestRedis } from '../redisServer.js';
import { startReplicas, type Replicas } from '../replicas.js';

const INVENTORY = `query Inventory { inventory(first: 500) { nodes { source tokenId } gaps { source code message } } }`;
const REVOKE = `mutation Revoke($refs: [TokenRef!]!) { revokeTokens(refs: $refs) { outcome } }`;
const NB = { source: 'NETBIRD', userId: 'alice', tokenId: 'nb-demo-1' };

let redis: TestRedis | undefined;
let postgres: TestPostgres | undefined;
let upstreams: DemoUpstreams | undefined;
let replicas: Replicas | undefined;

afterEach(async () => {
  await replicas?.stop();
  await upstreams?.close();
  await redis?.stop();
  await postgres?.stop();
}, 60_000);

type Inventory = { nodes: Array<{ source: string; tokenId: string }>; gaps: Array<{ source: string; code: string; message: string }> };

it('a replica that cannot read Redis after a revocation elsewhere says on every source that revocations are unknown', async () => {
  // A redis-server of its own, whatever REDIS_TEST_URL says: this test stops it.
  [redis, postgres] = await Promise.all([startRedis({ own: true }), startPostgres()]);
  upstreams = await startDemoUpstreams();
  // A long TTL: the second replica answers from the snapshot it keeps in memory.
  replicas = await startReplicas({ count: 2, upstreams, env: { REDIS_URL: redis.url, DATABASE_URL: await postgres.createDatabase('redis_down'), TOKENGRAPH_INVENTORY_TTL_MS: '600000' } });
  const [a, b] = replicas.all as [(typeof replicas.all)[0], (typeof replicas.all)[0]];
  const inventoryOf = async (replica: typeof a): Promise<Inventory> => {
    const answer = await replica.query<{ inventory: Inventory }>(INVENTORY);
    expect(answer.body.errors).toBeUndefined();
    return answer.body.data!.inventory;
  };
  const shows = (inventory: Inventory) => inventory.nodes.some((node) => node.source === 'NETBIRD' && node.tokenId === NB.tokenId);

  const unknown = (inventory: Inventory) => inventory.gaps.filter((gap) => gap.code === 'UPSTREAM_UNAVAILABLE' && /revoked through other replicas/.test(gap.message)).map((gap) => gap.source);
  const before = await inventoryOf(b);
  expect(shows(before)).toBe(true);
  expect(unknown(before)).toEqual([]);
  expect((await a.query(REVOKE, { refs: [NB] })).body.data).toEqual({ revokeTokens: [{ outcome: 'REVOKED' }] });
  expect(shows(await inventoryOf(b))).toBe(false);

  await redis.stop();
  redis = undefined;
  const blind = await inventoryOf(b);
  // Its snapshot predates the revocation, which only Redis knows: the answer says so on every source.
  const sources = [...new Set(blind.nodes.map((node) => node.source))].sort();
  expect(sources.length).toBeGreaterThan(1);
  expect(unknown(blind).sort()).toEqual(expect.arrayContaining(sources));
  // Gaps are grouped by (source, code): the unknown revocations are no second gap of a source.
  const groups = blind.gaps.map((gap) => `${gap.source} ${gap.code}`);
  expect(groups).toEqual([...new Set(groups)]);
}, 90_000);
