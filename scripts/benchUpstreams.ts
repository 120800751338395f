/**
 * The benches' upstreams: the four demo upstreams, each answering after `BENCH_LATENCY_MS`
 * (default 20), seeded with `npm run bench`'s data, or with `npm run bench:inventory`'s when
 * `BENCH_INVENTORY_NETBIRD_USERS` is set (that many NetBird service users, each with
 * `BENCH_INVENTORY_PATS_PER_USER` PATs, default 3; Astra pages of 50).
 * Reports the calls they received, per upstream.
 */
import { UPSTREAM_NAMES } from '../src/sources.js';
import { startDemoUpstreams } from '../src/demo/startDemoUpstreams.js';
import { send, serveStats } from './benchChild.js';
import { ASTRA_PAGE_SIZE, inventoryBenchData } from './benchInventoryData.js';
import { benchData } from './benchWorkloads.js';

const latencyMs = Number(process.env.BENCH_LATENCY_MS ?? 20);
const inventoryUsers = process.env.BENCH_INVENTORY_NETBIRD_USERS;
const patsPerUser = process.env.BENCH_INVENTORY_PATS_PER_USER ? Number(process.env.BENCH_INVENTORY_PATS_PER_USER) : undefined;
const upstreams = await startDemoUpstreams(
  inventoryUsers ? { data: inventoryBenchData(new Date(), Number(inventoryUsers), patsPerUser), astraPageSize: ASTRA_PAGE_SIZE } : { data: benchData(new Date()) },
);
const all = [upstreams.crafterProfile, upstreams.astra, upstreams.netbird, upstreams.games];
for (const upstream of all) upstream.latencyMs = latencyMs;
// The call logs are for tests; under load only the counters matter, so keep memory flat.
setInterval(() => {
  for (const upstream of all) upstream.calls.length = 0;
}, 1000).unref();

serveStats(undefined, upstreams.close, () => Object.fromEntries(UPSTREAM_NAMES.map((name) => [name, upstreams[name].callCount])));
send({
  type: 'ready',
  url: '',
  extra: {
    CRAFTER_PROFILE_URL: upstreams.crafterProfile.baseUrl,
    ASTRA_URL: upstreams.astra.baseUrl,
    NETBIRD_URL: upstreams.netbird.baseUrl,
    GAMES_URL: upstreams.games.baseUrl,
  },
});
