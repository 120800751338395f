/**
 * `npm run bench:inventory` (also the last part of `npm run bench`): the inventory and its
 * monitoring at the size of a real estate, one run. Child processes as in `npm run bench`: the
 * demo upstreams answering after BENCH_LATENCY_MS (20) with the bench inventory
 * (scripts/benchInventoryData.ts: 3,500 tokens), and tokengraph configured like `npm start`.
 *
 *   1. Cold full read (refresh off): the time of `inventory(first: 50)` on an empty snapshot, its
 *      upstream calls per upstream against contract §7's count, and the ideal it is held to: per
 *      source, the calls on its critical path ÷ its bulkhead × the latency; sources in parallel.
 *      Then BENCH_COLD_READS (10) more with `refresh: true`, each followed by one of the raw
 *      baseline's (scripts/benchBaseline.ts `GET /inventory`: the same calls, nothing else): medians.
 *   2. Warm first page: p50 of `inventory(first: 50)` against p50 of `sources` (no upstream call),
 *      BENCH_SEQUENTIAL (200) each, one at a time, alternating.
 *   3. Monitoring (TOKENGRAPH_INVENTORY_REFRESH_S=1): the first background refresh's duration, the
 *      time and size of `/metrics` with every token's series (BENCH_SCRAPES, 100, one at a time),
 *      then the heap (after a full collection) over BENCH_REFRESHES (100) refreshes.
 *   4. Heap of a 10,001-token snapshot: the heap in use after reading it, less before.
 *
 * Prints a table and MET/MISS lines against issue 14's and 15's targets; exits 1 on a MISS.
 * BENCH_CPU_PROF=dir writes a V8 CPU profile of the tokengraph of parts 1 and 2 into dir.
 */
import { DEFAULTS } from '../src/config/readConfig.js';
import { median, sleep } from './benchStatistics.js';
import { ASTRA_ACCOUNTS, ASTRA_PAGE_SIZE, ASTRA_TOKENS_PER_USER, ASTRA_USERS_PER_ACCOUNT, GAME_TOKENS, inventoryTokenCount } from './benchInventoryData.js';
import { AUTHORIZATION, graphql as request, LATENCY_MS, SERVER_FLAGS, serverEnv, startTokengraph, startUpstreams } from './benchInventoryStack.js';
import { Child } from './benchProcess.js';

const SEQUENTIAL = Number(process.env.BENCH_SEQUENTIAL ?? 200);
const COLD_READS = Number(process.env.BENCH_COLD_READS ?? 10);
const SCRAPES = Number(process.env.BENCH_SCRAPES ?? 100);
const REFRESHES = Number(process.env.BENCH_REFRESHES ?? 100);
const NETBIRD_USERS = 1000;
const NETBIRD_USERS_10K = 3167;
const BULKHEAD = DEFAULTS.resilience.maxConcurrency;
const MiB = 1024 * 1024;

/** Contract §7's count of one full read, per upstream. */
function expectedCalls(netbirdUsers: number): Record<string, number> {
  const astraPerAccount = Math.ceil(ASTRA_USERS_PER_ACCOUNT / ASTRA_PAGE_SIZE) + ASTRA_USERS_PER_ACCOUNT * Math.ceil(ASTRA_TOKENS_PER_USER / ASTRA_PAGE_SIZE);
  return {
    crafterProfile: 1,
    // The current user and the service users, then one token list per distinct user (alice too).
    netbird: 2 + netbirdUsers + 1,
    astra: ASTRA_ACCOUNTS.length * astraPerAccount,
    games: GAME_TOKENS,
  };
}

/** The ideal cold read, ms: per source, sequential steps plus its parallel calls through its bulkhead. */
function idealMs(netbirdUsers: number): { ms: number; bySource: Record<string, number> } {
  const rounds = (calls: number) => Math.ceil(calls / BULKHEAD);
  const bySource = {
    crafterProfile: 1,
    netbird: 1 + rounds(netbirdUsers + 1),
    // Each account's user pages one after the other; then every user's token list, both accounts sharing the bulkhead.
    astra: Math.ceil(ASTRA_USERS_PER_ACCOUNT / ASTRA_PAGE_SIZE) + rounds(ASTRA_ACCOUNTS.length * ASTRA_USERS_PER_ACCOUNT),
    games: rounds(GAME_TOKENS),
  };
  const ms = Object.fromEntries(Object.entries(bySource).map(([name, steps]) => [name, steps * LATENCY_MS]));
  return { ms: Math.max(...Object.values(ms)), bySource: ms };
}

/** The raw baseline of `npm run bench` (scripts/benchBaseline.ts): its `GET /inventory` is the floor of a full read. */
async function startBaseline(upstreamUrls: Record<string, string> | undefined) {
  const started = await Child.start('baseline', 'benchBaseline', serverEnv(upstreamUrls, {}), SERVER_FLAGS);
  return { ...started, url: `${started.ready.url}/inventory` };
}

/** One full read by the baseline, ms. */
async function floorRead(url: string, tokens: number): Promise<number> {
  const started = performance.now();
  const response = await fetch(url);
  const body = (await response.json()) as { tokens?: number };
  const ms = performance.now() - started;
  if (response.status !== 200 || body.tokens !== tokens) throw new Error(`the baseline read ${JSON.stringify(body)}, not ${tokens} tokens`);
  return ms;
}

const PAGE = `query BenchInventory($refresh: Boolean) { inventory(first: 50, refresh: $refresh) { totalCount gaps { source code count } nodes { __typename source tokenId name owner expiresAt lastUsedAt status } } }`;
const SOURCES = 'query BenchSources { sources { source circuit } }';

interface PageAnswer {
  data?: { inventory: { totalCount: number; gaps: unknown[]; nodes: unknown[] } };
  errors?: unknown[];
}

/** One GraphQL request; the time from sending it to reading the whole answer, ms. */
const graphql = (url: string, query: string, variables: Record<string, unknown> = {}) => request<NonNullable<PageAnswer['data']>>(url, query, variables);

function checkComplete(json: PageAnswer, tokens: number): void {
  const inventory = json.data!.inventory;
  if (inventory.totalCount !== tokens || inventory.gaps.length > 0 || inventory.nodes.length !== 50) {
    throw new Error(`the inventory is not the bench's ${tokens} tokens: ${JSON.stringify({ ...inventory, nodes: inventory.nodes.length })}`);
  }
}

async function scrape(url: string): Promise<{ ms: number; text: string }> {
  const started = performance.now();
  const response = await fetch(url, { headers: { authorization: AUTHORIZATION } });
  const text = await response.text();
  const ms = performance.now() - started;
  if (response.status !== 200) throw new Error(`/metrics answered ${response.status}`);
  return { ms, text };
}

const diff = (after: Record<string, number>, before: Record<string, number>) => Object.fromEntries(Object.keys(after).map((k) => [k, after[k]! - (before[k] ?? 0)]));
const callsText = (calls: Record<string, number>) => Object.entries(calls).map(([k, v]) => `${k} ${v}`).join(', ');

const tokens = inventoryTokenCount(NETBIRD_USERS);
const expected = expectedCalls(NETBIRD_USERS);
const ideal = idealMs(NETBIRD_USERS);
console.log(
  `bench:inventory: ${tokens} tokens, upstream latency ${LATENCY_MS} ms, bulkhead ${BULKHEAD} per source, Astra pages of ${ASTRA_PAGE_SIZE}, ` +
    `NODE_ENV=${process.env.NODE_ENV ?? 'production'}, node ${process.version}`,
);
const verdicts: string[] = [];
const results: string[][] = [['measure', 'value']];

// ---- 1 and 2: cold reads and the warm first page, refresh off ----------------------------------
const upstreams = await startUpstreams(NETBIRD_USERS);
const upstreamUrls = upstreams.ready.extra;
let tokengraph = await startTokengraph(upstreamUrls, { TOKENGRAPH_INVENTORY_REFRESH_S: '0' }, true);
await graphql(tokengraph.url, SOURCES);
const before = (await upstreams.child.stats()).upstreamCallsBy!;
const cold = await graphql(tokengraph.url, PAGE);
checkComplete(cold.json, tokens);
await sleep(LATENCY_MS * 2);
const calls = diff((await upstreams.child.stats()).upstreamCallsBy!, before);
const callsMet = Object.keys(expected).every((k) => calls[k] === expected[k]);
verdicts.push(`${callsMet ? 'MET ' : 'MISS'} upstream calls of one full read: ${callsText(calls)} (contract §7: ${callsText(expected)})`);

// Then COLD_READS more of each, tokengraph's and the baseline's alternating, so noise hits both.
const baseline = await startBaseline(upstreamUrls);
const floorFirst = await floorRead(baseline.url, tokens);
const coldTimes = [cold.ms];
const floorTimes = [floorFirst];
const cpuMicros = { tokengraph: 0, baseline: 0 };
for (let i = 0; i < COLD_READS; i++) {
  const cpuBefore = (await tokengraph.child.stats()).cpuMicros;
  const read = await graphql(tokengraph.url, PAGE, { refresh: true });
  cpuMicros.tokengraph += (await tokengraph.child.stats()).cpuMicros - cpuBefore;
  checkComplete(read.json, tokens);
  coldTimes.push(read.ms);
  const floorCpuBefore = (await baseline.child.stats()).cpuMicros;
  floorTimes.push(await floorRead(baseline.url, tokens));
  cpuMicros.baseline += (await baseline.child.stats()).cpuMicros - floorCpuBefore;
}
await baseline.child.stop();
const coldMedian = median(coldTimes);
const floorMedian = median(floorTimes);
results.push(['cold full read, first: tokengraph; baseline', `${cold.ms.toFixed(0)} ms; ${floorFirst.toFixed(0)} ms`]);
results.push([`cold full read, median of ${coldTimes.length}: tokengraph; baseline`, `${coldMedian.toFixed(0)} ms; ${floorMedian.toFixed(0)} ms (${(coldMedian / floorMedian).toFixed(2)}×)`]);
const callsPerRead = Object.values(expected).reduce((a, b) => a + b, 0);
const cpuText = (micros: number) => `${(micros / 1000 / COLD_READS).toFixed(0)} ms (${(micros / COLD_READS / callsPerRead).toFixed(0)} µs per upstream call)`;
results.push(['CPU per cold read: tokengraph; baseline', `${cpuText(cpuMicros.tokengraph)}; ${cpuText(cpuMicros.baseline)}`]);
results.push(['ideal cold read (max over sources)', `${ideal.ms} ms (${callsText(ideal.bySource)})`]);
verdicts.push(`${coldMedian <= 1.25 * ideal.ms ? 'MET ' : 'MISS'} cold full read ${coldMedian.toFixed(0)} ms = ${(coldMedian / ideal.ms).toFixed(2)}× the ideal ${ideal.ms} ms (target ≤ 1.25×)`);

for (let i = 0; i < Math.min(50, SEQUENTIAL); i++) {
  await graphql(tokengraph.url, PAGE);
  await graphql(tokengraph.url, SOURCES);
}
const pageTimes: number[] = [];
const sourcesTimes: number[] = [];
for (let i = 0; i < SEQUENTIAL; i++) {
  const pair = i % 2 ? [SOURCES, PAGE] : [PAGE, SOURCES];
  for (const query of pair) (query === PAGE ? pageTimes : sourcesTimes).push((await graphql(tokengraph.url, query)).ms);
}
const pageP50 = median(pageTimes);
const sourcesP50 = median(sourcesTimes);
results.push(['warm first page (50 of them) p50', `${pageP50.toFixed(2)} ms`]);
results.push(['`sources` query p50', `${sourcesP50.toFixed(2)} ms`]);
verdicts.push(`${pageP50 - sourcesP50 <= 3 ? 'MET ' : 'MISS'} warm first page p50 ${pageP50.toFixed(2)} ms, ${(pageP50 - sourcesP50).toFixed(2)} ms above \`sources\` (target ≤ 3 ms)`);
await tokengraph.child.stop();

// ---- 3: monitoring: the background refresh and /metrics ----------------------------------------
tokengraph = await startTokengraph(upstreamUrls, { TOKENGRAPH_INVENTORY_REFRESH_S: '1', TOKENGRAPH_INVENTORY_MAX_SERIES: '10000' });
/** Refreshes begun so far: each full read calls Crafter exactly once. */
const crafterCalls = async () => (await upstreams.child.stats()).upstreamCallsBy!.crafterProfile!;
const crafterAtStart = await crafterCalls();
const refreshes = async () => (await crafterCalls()) - crafterAtStart;
/** Waits until refresh `n` has begun and the one before it has ended (its series are at /metrics). */
async function untilRefresh(n: number): Promise<void> {
  while ((await refreshes()) < n) await sleep(50);
}
await untilRefresh(2);
const first = await scrape(tokengraph.metricsUrl);
const refreshSeconds = Number(/^tokengraph_inventory_refresh_duration_seconds (\S+)$/m.exec(first.text)?.[1]);
const expirySeries = first.text.match(/^tokengraph_token_expiry_timestamp_seconds\{/gm)?.length ?? 0;
const seriesLines = first.text.split('\n').filter((line) => line && !line.startsWith('#')).length;
results.push(['first background refresh', `${(refreshSeconds * 1000).toFixed(0)} ms`]);
const scrapeTimes: number[] = [];
let size = 0;
for (let i = 0; i < SCRAPES; i++) {
  const s = await scrape(tokengraph.metricsUrl);
  scrapeTimes.push(s.ms);
  size = Buffer.byteLength(s.text);
}
const scrapeP50 = median(scrapeTimes);
results.push([`/metrics scrape p50 (${SCRAPES}, one at a time)`, `${scrapeP50.toFixed(2)} ms`]);
results.push(['/metrics size', `${(size / 1024).toFixed(0)} KiB, ${seriesLines} samples, ${expirySeries} expiry series`]);
verdicts.push(`${scrapeP50 < 50 ? 'MET ' : 'MISS'} /metrics scrape p50 ${scrapeP50.toFixed(2)} ms with ${expirySeries} token expiry series (target < 50 ms)`);

const heapAt = new Map<number, number>();
// Refresh n has ended once refresh n + 1 has begun.
for (const n of [1, 10, 25, 50, 75, REFRESHES].filter((n, i, all) => n <= REFRESHES && all.indexOf(n) === i)) {
  await untilRefresh(n + 1);
  heapAt.set(n, (await tokengraph.child.stats(true)).heapUsedBytes);
  process.stderr.write(`  after refresh ${n}: heap ${(heapAt.get(n)! / MiB).toFixed(1)} MiB\n`);
}
const heapFrom = heapAt.get(Math.min(10, REFRESHES))!;
const heapTo = heapAt.get(REFRESHES)!;
results.push([`heap after refreshes ${[...heapAt.keys()].join(', ')}`, [...heapAt.values()].map((b) => `${(b / MiB).toFixed(1)}`).join(', ') + ' MiB']);
verdicts.push(
  `${heapTo - heapFrom <= 2 * MiB ? 'MET ' : 'MISS'} heap over ${REFRESHES} refreshes: ${((heapTo - heapFrom) / MiB).toFixed(2)} MiB from refresh ${Math.min(10, REFRESHES)} to ${REFRESHES} (target flat: ≤ 2 MiB)`,
);
await tokengraph.child.stop();
await upstreams.child.stop();

// ---- 4: the heap of a 10,001-token snapshot ----------------------------------------------------
const bigTokens = inventoryTokenCount(NETBIRD_USERS_10K);
const bigUpstreams = await startUpstreams(NETBIRD_USERS_10K);
tokengraph = await startTokengraph(bigUpstreams.ready.extra, { TOKENGRAPH_INVENTORY_REFRESH_S: '0' });
for (let i = 0; i < 20; i++) await graphql(tokengraph.url, SOURCES);
const heapBefore = (await tokengraph.child.stats(true)).heapUsedBytes;
checkComplete((await graphql(tokengraph.url, PAGE)).json, bigTokens);
const heapAfter = (await tokengraph.child.stats(true)).heapUsedBytes;
const snapshotBytes = heapAfter - heapBefore;
results.push([`heap for a ${bigTokens}-token snapshot`, `${(snapshotBytes / MiB).toFixed(1)} MiB (${(heapBefore / MiB).toFixed(1)} → ${(heapAfter / MiB).toFixed(1)} MiB)`]);
verdicts.push(`${snapshotBytes < 50 * MiB ? 'MET ' : 'MISS'} heap for ${bigTokens} tokens: ${(snapshotBytes / MiB).toFixed(1)} MiB (target < 50 MB)`);
await tokengraph.child.stop();
await bigUpstreams.child.stop();

const widths = [0, 1].map((i) => Math.max(...results.map((r) => r[i]!.length)));
const line = (r: string[]) => `| ${r[0]!.padEnd(widths[0]!)} | ${r[1]!.padEnd(widths[1]!)} |`;
console.log(`\n${[line(results[0]!), `| ${'-'.repeat(widths[0]!)} | ${'-'.repeat(widths[1]!)} |`, ...results.slice(1).map(line)].join('\n')}\n`);
console.log(verdicts.join('\n'));
process.exit(verdicts.some((v) => v.startsWith('MISS')) ? 1 : 0);
