/**
 * `npm run bench:export`: the inventory export and the findings (contract §11) at size. Child
 * processes as in `npm run bench:inventory` (scripts/benchInventoryStack.ts): the demo upstreams
 * answering after BENCH_LATENCY_MS (20) with the bench inventory, its NetBird service users given
 * many PATs each (scripts/benchInventoryData.ts), and tokengraph configured like `npm start`.
 *
 *   1. The findings' cost: a 10,000-token inventory (10 service users × 950 PATs and the bench's
 *      500 other tokens) walked page by page (`first: 500`, 20 pages) selecting the usual fields,
 *      then also `findings` on every token, then also `findingCounts` on every page: tokengraph's
 *      CPU time per walk (its own `process.cpuUsage`) and the walk's wall time, medians of
 *      BENCH_EXPORT_RUNS (5) walks each, the three kinds taking turns.
 *   2. The export of that inventory, then of 100,000 tokens (10 × 9,950 PATs and the 500 others):
 *      GET /inventory.csv and /inventory.ndjson, BENCH_EXPORT_RUNS each, taking turns. Per export:
 *      the time to its first body byte and to its last, its size, and tokengraph's peaks while it
 *      ran (sampled every 50 ms, scripts/benchChild.ts) above where they were just before it: the
 *      heap in use (above the heap after a full collection), RSS, and the old generation. Medians.
 *      The inventory is read once before (TTL an hour), so an export measures the export, not the
 *      upstreams.
 *
 * The heap in use rises with short-lived garbage until a scavenge empties the young generation
 * (up to its semi-spaces, 64 MiB each with `npm start`'s --max-semi-space-size=64), so its peak
 * says little about what an export keeps. What it keeps survives scavenges into the old
 * generation: an export that held its rows would grow that by about the file's size. Prints a
 * table, then whether the old generation stayed flat (at 100,000 tokens under 2× its growth at
 * 10,000, or 4 MiB); exits 1 if not, or if an export is not the whole inventory.
 */
import { graphql, startTokengraph, startUpstreams, AUTHORIZATION, LATENCY_MS } from './benchInventoryStack.js';
import { inventoryTokenCount } from './benchInventoryData.js';
import { median } from './benchStatistics.js';

const RUNS = Number(process.env.BENCH_EXPORT_RUNS ?? 5);
const SERVICE_USERS = 10;
const PATS_10K = 950;
const PATS_100K = 9950;
const WALK_PAGE = 500;
const MiB = 1024 * 1024;

/** What the exports need beyond `npm start`: NetBird lists of ~10,000 PATs (2.5 MB), an inventory of 100,000 read within the deadlines, walk pages of 500. */
const SERVER_SETTINGS = {
  TOKENGRAPH_INVENTORY_REFRESH_S: '0',
  UPSTREAM_MAX_BODY_BYTES: String(64 * MiB),
  UPSTREAM_BODY_TIMEOUT_MS: '60000',
  NETBIRD_TIMEOUT_MS: '60000',
  REQUEST_DEADLINE_MS: '120000',
  TOKENGRAPH_INVENTORY_DEADLINE_MS: '120000',
  TOKENGRAPH_MAX_COST: '100000000',
};

const FIELDS = 'id source tokenId name owner createdAt lastUsedAt expiresAt status';
const WALKS = {
  'without findings': `query Walk($after: String) { inventory(first: ${WALK_PAGE}, after: $after) { totalCount pageInfo { hasNextPage endCursor } nodes { ${FIELDS} } } }`,
  'with findings': `query Walk($after: String) { inventory(first: ${WALK_PAGE}, after: $after) { totalCount pageInfo { hasNextPage endCursor } nodes { ${FIELDS} findings } } }`,
  'with findings and findingCounts': `query Walk($after: String) { inventory(first: ${WALK_PAGE}, after: $after) { totalCount findingCounts { finding count } pageInfo { hasNextPage endCursor } nodes { ${FIELDS} findings } } }`,
} as const;
type WalkKind = keyof typeof WALKS;

interface WalkPage {
  inventory: { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string | null }; nodes: unknown[]; findingCounts?: Array<{ finding: string; count: number }> };
}

type Tokengraph = Awaited<ReturnType<typeof startTokengraph>>;

/** Starts the upstreams and tokengraph for `tokens` tokens, and reads the inventory once. */
async function startInventory(patsPerUser: number) {
  const tokens = inventoryTokenCount(SERVICE_USERS, patsPerUser);
  const upstreams = await startUpstreams(SERVICE_USERS, patsPerUser);
  const tokengraph = await startTokengraph(upstreams.ready.extra, SERVER_SETTINGS);
  const read = await graphql<WalkPage>(tokengraph.url, 'query Read { inventory(first: 1) { totalCount gaps { source code } } }');
  const { totalCount } = read.json.data!.inventory;
  if (totalCount !== tokens) throw new Error(`the inventory has ${totalCount} tokens, not ${tokens}: ${JSON.stringify(read.json).slice(0, 300)}`);
  console.error(`  ${tokens} tokens read in ${read.ms.toFixed(0)} ms`);
  return { tokens, upstreams, tokengraph };
}

/** One walk of every page; tokengraph's CPU time and the wall time, ms. */
async function walk(tokengraph: Tokengraph, kind: WalkKind, tokens: number): Promise<{ cpuMs: number; wallMs: number; counts?: WalkPage['inventory']['findingCounts'] }> {
  const cpuBefore = (await tokengraph.child.stats()).cpuMicros;
  const started = performance.now();
  let after: string | null = null;
  let seen = 0;
  let counts: WalkPage['inventory']['findingCounts'];
  do {
    const page: WalkPage = (await graphql<WalkPage>(tokengraph.url, WALKS[kind], { after })).json.data!;
    seen += page.inventory.nodes.length;
    counts ??= page.inventory.findingCounts;
    after = page.inventory.pageInfo.hasNextPage ? page.inventory.pageInfo.endCursor : null;
  } while (after);
  const wallMs = performance.now() - started;
  const cpuMs = ((await tokengraph.child.stats()).cpuMicros - cpuBefore) / 1000;
  if (seen !== tokens) throw new Error(`a walk saw ${seen} tokens, not ${tokens}`);
  return { cpuMs, wallMs, ...(counts && { counts }) };
}

interface ExportRun {
  firstByteMs: number;
  totalMs: number;
  bytes: number;
  rows: number;
  /** Peak heap in use during the export, above the heap after a full collection before it. */
  heapBytes: number;
  /** The same for RSS, above the RSS just before it. */
  rssBytes: number;
  /** The same for the old generation: what survived scavenges. */
  oldBytes: number;
  heapBeforeBytes: number;
}

/** One export read to its end as fast as the bench reads; what it cost tokengraph. */
async function exportOnce(tokengraph: Tokengraph, format: 'csv' | 'ndjson'): Promise<ExportRun> {
  const collected = await tokengraph.child.stats(true);
  // Peaks restart at each stats: this one's window is a moment long, so its peaks are the level now.
  const before = await tokengraph.child.stats();
  const started = performance.now();
  const response = await fetch(new URL(`/inventory.${format}`, tokengraph.url), { headers: { authorization: AUTHORIZATION } });
  if (response.status !== 200) throw new Error(`/inventory.${format} answered ${response.status}: ${await response.text()}`);
  const reader = response.body!.getReader();
  let firstByteMs: number | undefined;
  let bytes = 0;
  let lines = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    firstByteMs ??= performance.now() - started;
    bytes += value.length;
    for (let i = value.indexOf(10); i !== -1; i = value.indexOf(10, i + 1)) lines += 1;
  }
  const totalMs = performance.now() - started;
  const during = await tokengraph.child.stats();
  return {
    firstByteMs: firstByteMs ?? totalMs,
    totalMs,
    bytes,
    // The CSV has a header row; the bench names hold no line breaks.
    rows: format === 'csv' ? lines - 1 : lines,
    heapBytes: during.peakHeapBytes - collected.heapUsedBytes,
    rssBytes: during.peakRssBytes - before.peakRssBytes,
    oldBytes: during.peakOldBytes - before.peakOldBytes,
    heapBeforeBytes: collected.heapUsedBytes,
  };
}

const mib = (bytes: number) => `${(bytes / MiB).toFixed(1)} MiB`;
const results: string[][] = [['measure', 'value']];
const verdicts: string[] = [];
const peakOld: Record<string, number> = {};

/** RUNS exports of each format, taking turns, after one of each to warm up; the medians into the table. */
async function measureExports(tokengraph: Tokengraph, tokens: number): Promise<void> {
  const runs: Record<'csv' | 'ndjson', ExportRun[]> = { csv: [], ndjson: [] };
  await exportOnce(tokengraph, 'csv');
  await exportOnce(tokengraph, 'ndjson');
  for (let i = 0; i < RUNS; i++) {
    for (const format of i % 2 ? (['ndjson', 'csv'] as const) : (['csv', 'ndjson'] as const)) {
      const run = await exportOnce(tokengraph, format);
      if (run.rows !== tokens) throw new Error(`/inventory.${format} had ${run.rows} rows, not ${tokens}`);
      runs[format].push(run);
    }
  }
  for (const format of ['csv', 'ndjson'] as const) {
    const m = (pick: (run: ExportRun) => number) => median(runs[format].map(pick));
    peakOld[`${format} ${tokens}`] = m((run) => run.oldBytes);
    results.push([
      `/inventory.${format}, ${tokens.toLocaleString('en')} tokens: first byte; total; size`,
      `${m((run) => run.firstByteMs).toFixed(0)} ms; ${m((run) => run.totalMs).toFixed(0)} ms; ${mib(m((run) => run.bytes))}`,
    ]);
    const max = (pick: (run: ExportRun) => number) => mib(Math.max(...runs[format].map(pick)));
    results.push([
      `  peak above before: heap in use; RSS; old generation (heap before ${mib(m((run) => run.heapBeforeBytes))})`,
      `+${mib(m((run) => run.heapBytes))}; +${mib(m((run) => run.rssBytes))}; +${mib(m((run) => run.oldBytes))} (largest +${max((run) => run.heapBytes)}; +${max((run) => run.rssBytes)}; +${max((run) => run.oldBytes)})`,
    ]);
  }
}

console.log(`bench:export: upstream latency ${LATENCY_MS} ms, ${RUNS} runs each, NODE_ENV=${process.env.NODE_ENV ?? 'production'}, node ${process.version}`);

// ---- 1: the findings' cost over a 10,000-token walk, and the export of those 10,000 --------------
const small = await startInventory(PATS_10K);
const walks: Record<WalkKind, Array<{ cpuMs: number; wallMs: number }>> = { 'without findings': [], 'with findings': [], 'with findings and findingCounts': [] };
const kinds = Object.keys(WALKS) as WalkKind[];
for (const kind of kinds) await walk(small.tokengraph, kind, small.tokens);
let counts: WalkPage['inventory']['findingCounts'];
for (let i = 0; i < RUNS; i++) {
  for (const kind of i % 2 ? [...kinds].reverse() : kinds) {
    const run = await walk(small.tokengraph, kind, small.tokens);
    counts ??= run.counts;
    walks[kind].push(run);
  }
}
const plainCpu = median(walks['without findings'].map((run) => run.cpuMs));
for (const kind of kinds) {
  const cpu = median(walks[kind].map((run) => run.cpuMs));
  const extra = kind === 'without findings' ? '' : ` (+${(cpu - plainCpu).toFixed(0)} ms, +${(((cpu - plainCpu) / plainCpu) * 100).toFixed(0)}%)`;
  results.push([`walk of ${small.tokens.toLocaleString('en')} tokens by ${WALK_PAGE}, ${kind}: CPU; wall`, `${cpu.toFixed(0)} ms${extra}; ${median(walks[kind].map((run) => run.wallMs)).toFixed(0)} ms`]);
}
results.push(['  the findings counted', (counts ?? []).map(({ finding, count }) => `${finding} ${count}`).join(', ')]);
await measureExports(small.tokengraph, small.tokens);
await small.tokengraph.child.stop();
await small.upstreams.child.stop();

// ---- 2: the export of 100,000 tokens -----------------------------------------------------------
const large = await startInventory(PATS_100K);
await measureExports(large.tokengraph, large.tokens);
await large.tokengraph.child.stop();
await large.upstreams.child.stop();

const widths = [0, 1].map((i) => Math.max(...results.map((r) => r[i]!.length)));
const line = (r: string[]) => `| ${r[0]!.padEnd(widths[0]!)} | ${r[1]!.padEnd(widths[1]!)} |`;
console.log(`\n${[line(results[0]!), `| ${'-'.repeat(widths[0]!)} | ${'-'.repeat(widths[1]!)} |`, ...results.slice(1).map(line)].join('\n')}\n`);
for (const format of ['csv', 'ndjson']) {
  const [from, to] = [peakOld[`${format} ${small.tokens}`]!, peakOld[`${format} ${large.tokens}`]!];
  const flat = to <= Math.max(2 * from, 4 * MiB);
  verdicts.push(
    `${flat ? 'MET ' : 'MISS'} /inventory.${format} streams: old generation +${mib(from)} during the export of ${small.tokens.toLocaleString('en')} tokens, +${mib(to)} of ${large.tokens.toLocaleString('en')} (flat: under 2× or 4 MiB)`,
  );
}
console.log(verdicts.join('\n'));
process.exit(verdicts.some((v) => v.startsWith('MISS')) ? 1 : 0);
