/**
 * `npm run bench:history`: the history's figures (issue 26), on PGlite (a data directory) and on a
 * PostgreSQL server started like the tests' (Debian's postgresql on loopback, test/postgresServer.ts,
 * with fsync off: a server with fsync on writes small transactions slower).
 *
 *   1. Events written per second: one read that is the first of 200 parts × 100 tokens (20,000
 *      APPEARED in one transaction), then BENCH_SMALL_READS (300) reads that each change 20 tokens
 *      of one part (CHANGED): the whole write path (load the parts' states, diff, one transaction).
 *   2. A year of history for 10,000 tokens read every minute, simulated: 1,000 parts of 10 tokens,
 *      365 days of churn (below), each hour's changes written as one read at its time. The
 *      minute-by-minute reads in between change nothing and write nothing (figure 3 and the unit
 *      tests show it), so they are not replayed. Then the size of the history's tables
 *      (pg_total_relation_size, indexes and TOAST included) and of PGlite's data directory.
 *      Churn per day, the assumptions: tokens live 90 days on average (NetBird PATs live 1 to 365),
 *      so 111 are created (APPEARED) and 111 deleted (DISAPPEARED); half of those expire before they
 *      are deleted (56 EXPIRED); 1% are renamed or have their expiry extended (100 CHANGED); 5 are
 *      revoked through tokengraph (REVOKED). About 383 events a day, 140,000 a year.
 *   3. What the history adds to a refresh of 3,500 tokens (scripts/benchInventoryData.ts, the
 *      upstreams in this process answering at once): `inventory(refresh: true)` and the history's
 *      write of that read, on a tokengraph without a history and on one with each engine, median of
 *      BENCH_REFRESHES (9) after a first read; wall ms and this process's CPU ms (the server's own
 *      CPU is its process's, not counted).
 *
 * BENCH_YEAR_HOURS (1): hours per simulated read in part 2.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readConfig, type HistoryConfig } from '../src/config/readConfig.js';
import { withDemoUpstreams, startDemoUpstreams } from '../src/demo/startDemoUpstreams.js';
import { recordReadParts, type PartCache } from '../src/history/createHistory.js';
import { openDatabase, type DatabaseTarget } from '../src/history/database.js';
import { insertEvents } from '../src/history/historyRepository.js';
import { eventKey, type Read, type ReadPart, type TokenState } from '../src/history/tokenEvents.js';
import { createTokengraph } from '../src/http/createTokengraph.js';
import { createLogger } from '../src/observability/createLogger.js';
import { parseRefText, type TokenKey } from '../src/sources.js';
import { startPostgres, type TestPostgres } from '../test/postgresServer.js';
import { ASTRA_ACCOUNTS, ASTRA_PAGE_SIZE, WATCH, inventoryBenchData, inventoryTokenCount } from './benchInventoryData.js';
import { median } from './benchStatistics.js';

const SMALL_READS = Number(process.env.BENCH_SMALL_READS ?? 300);
const REFRESHES = Number(process.env.BENCH_REFRESHES ?? 9);
const YEAR_HOURS = Number(process.env.BENCH_YEAR_HOURS ?? 1);
const DAY = 86_400_000;
const HOUR = 3_600_000;
const MiB = 1024 * 1024;

const dirs: string[] = [];
let server: TestPostgres | undefined;

async function target(name: string, engine: 'PGlite' | 'PostgreSQL'): Promise<DatabaseTarget> {
  if (engine === 'PGlite') {
    const dir = mkdtempSync(join(tmpdir(), `tokengraph-bench-${name}-`));
    dirs.push(dir);
    return { dataDir: join(dir, 'data') };
  }
  server ??= await startPostgres();
  return { databaseUrl: await server.createDatabase(name.replace(/-/g, '_')) };
}

const state = (i: number, name = `token ${i}`, status: TokenState['status'] = 'ACTIVE'): TokenState => ({ tokenId: `tok-${i}`, name, owner: `user-${Math.floor(i / 10)}`, expiresAt: new Date(Date.UTC(2027, 0, 1) + (i % 365) * DAY).toISOString(), status });
const part = (id: string, tokens: Map<string, TokenState>): ReadPart => ({ id, source: 'NETBIRD', failed: false, tokens });

/** Part 1: events per second, bulk and in small reads. */
async function throughput(engine: 'PGlite' | 'PostgreSQL') {
  const db = await openDatabase(await target('throughput', engine));
  // The stored states this process has seen, as createHistory keeps them.
  const cache: PartCache = new Map();
  try {
    const parts = Array.from({ length: 200 }, (_, p) => new Map(Array.from({ length: 100 }, (_, t) => [`t-${p}-${t}`, state(p * 100 + t)] as const)));
    let at = Date.UTC(2026, 0, 1);
    const started = performance.now();
    const bulk = await recordReadParts(db, { at, parts: parts.map((tokens, p) => part(`NETBIRD/u-${p}`, tokens)), judgeAbsent: true }, cache);
    const bulkMs = performance.now() - started;
    let small = 0;
    const smallStart = performance.now();
    for (let r = 0; r < SMALL_READS; r++) {
      at += 60_000;
      const p = r % parts.length;
      const tokens = new Map(parts[p]);
      for (let t = 0; t < 20; t++) tokens.set(`t-${p}-${t}`, state(p * 100 + t, `renamed ${r}`));
      parts[p] = tokens;
      small += (await recordReadParts(db, { at, parts: [part(`NETBIRD/u-${p}`, tokens)], judgeAbsent: true }, cache)).length;
    }
    const smallMs = performance.now() - smallStart;
    return { bulk: bulk.length, bulkPerS: bulk.length / (bulkMs / 1000), small, smallPerS: small / (smallMs / 1000), smallMsPerRead: smallMs / SMALL_READS };
  } finally {
    await db.close();
  }
}

/** A deterministic stream of numbers in [0, 1). */
function random(seed: number): () => number {
  let x = seed;
  return () => {
    x = (x * 1103515245 + 12345) % 2147483648;
    return x / 2147483648;
  };
}

/** Part 2: a simulated year of 10,000 tokens; the database's size. */
async function year(engine: 'PGlite' | 'PostgreSQL', dataDir?: (path: string) => void) {
  const where = await target('year', engine);
  if (where.dataDir) dataDir?.(where.dataDir);
  const db = await openDatabase(where);
  const cache: PartCache = new Map();
  const next = random(26);
  const pick = (n: number) => Math.floor(next() * n);
  try {
    const parts = Array.from({ length: 1000 }, (_, p) => new Map(Array.from({ length: 10 }, (_, t) => [`t-${p * 10 + t}`, state(p * 10 + t)] as const)));
    let serial = 10_000;
    const start = Date.UTC(2026, 0, 1);
    await recordReadParts(db, { at: start, parts: parts.map((tokens, p) => part(`NETBIRD/u-${p}`, tokens)), judgeAbsent: true }, cache);
    const perRead = (count: number) => count / ((24 / YEAR_HOURS));
    let carry = { created: 0, expired: 0, changed: 0, revoked: 0 };
    const began = performance.now();
    for (let hour = YEAR_HOURS; hour <= 365 * 24; hour += YEAR_HOURS) {
      const at = start + hour * HOUR;
      carry = { created: carry.created + perRead(111), expired: carry.expired + perRead(56), changed: carry.changed + perRead(100), revoked: carry.revoked + perRead(5) };
      const touched = new Set<number>();
      const edit = (p: number, change: (tokens: Map<string, TokenState>) => void) => {
        const tokens = new Map(parts[p]);
        change(tokens);
        parts[p] = tokens;
        touched.add(p);
      };
      for (; carry.created >= 1; carry.created -= 1) {
        // One deleted (its part loses it), one created (in another part).
        edit(pick(1000), (tokens) => {
          const victim = [...tokens.keys()][pick(tokens.size)];
          if (victim && tokens.size > 5) tokens.delete(victim);
        });
        edit(pick(1000), (tokens) => tokens.set(`t-${serial}`, state(serial++)));
      }
      for (; carry.expired >= 1; carry.expired -= 1) {
        edit(pick(1000), (tokens) => {
          const [id, value] = [...tokens][pick(tokens.size)] ?? [];
          if (id && value) tokens.set(id, { ...value, status: 'EXPIRED' });
        });
      }
      for (; carry.changed >= 1; carry.changed -= 1) {
        edit(pick(1000), (tokens) => {
          const [id, value] = [...tokens][pick(tokens.size)] ?? [];
          if (id && value) tokens.set(id, { ...value, name: `${value.name} renamed ${hour}` });
        });
      }
      const revoked: Array<[string, TokenState]> = [];
      for (; carry.revoked >= 1; carry.revoked -= 1) {
        const p = pick(1000);
        edit(p, (tokens) => {
          const entry = [...tokens][pick(tokens.size)];
          if (entry && tokens.size > 5) {
            tokens.delete(entry[0]);
            revoked.push(entry);
          }
        });
      }
      if (revoked.length > 0) {
        await db.transaction((tx) =>
          insertEvents(
            tx,
            revoked.map(([token, value], i) => ({
              key: eventKey('REVOKED', token, `request bench-${hour}-${i}`, `${at}`),
              at: at - 1000,
              kind: 'REVOKED' as const,
              source: 'NETBIRD' as const,
              token,
              tokenId: value.tokenId,
              name: value.name,
              owner: value.owner,
              detail: `bench-${hour}-${i}`,
              actor: 'a3f1c2d4e5b6a7980123456789abcdef0123456789abcdef0123456789abcdef',
            })),
          ),
        );
      }
      const read: Read = { at, parts: [...touched].map((p) => part(`NETBIRD/u-${p}`, parts[p]!)), judgeAbsent: true };
      await recordReadParts(db, read, cache);
    }
    const simulatedMs = performance.now() - began;
    const events = Number((await db.query<{ n: string }>('SELECT count(*)::text AS n FROM token_events')).rows[0]!.n);
    const byKind = Object.fromEntries((await db.query<{ kind: string; n: string }>('SELECT kind, count(*)::text AS n FROM token_events GROUP BY kind ORDER BY kind')).rows.map((row) => [row.kind, Number(row.n)]));
    if (engine === 'PostgreSQL') await db.query('VACUUM ANALYZE');
    const bytes = await db.size();
    return { events, byKind, bytes, simulatedMs, reads: (365 * 24) / YEAR_HOURS };
  } finally {
    await db.close();
  }
}

/** Part 3: a refresh of 3,500 tokens on tokengraphs without and with a history, in turns, after warming up. */
async function refreshCost(histories: Array<[string, HistoryConfig | undefined]>) {
  const data = inventoryBenchData(new Date(), 1000);
  const upstreams = await startDemoUpstreams({ data, astraPageSize: ASTRA_PAGE_SIZE });
  const watch = WATCH.map((text) => {
    const ref = parseRefText(text)!;
    return { source: ref.source, ...ref.parts } as TokenKey;
  });
  const servers = await Promise.all(
    histories.map(async ([name, history]) => {
      const config = withDemoUpstreams({ ...readConfig({}), port: 0, history }, upstreams);
      config.inventory = { ...config.inventory, minRefreshMs: 0, astraAccountIds: ASTRA_ACCOUNTS, netbirdUsers: 'service', watch };
      const tokengraph = await createTokengraph(config, createLogger('silent'));
      return { name, tokengraph, url: await tokengraph.listen(), wall: [] as number[], cpu: [] as number[] };
    }),
  );
  const refresh = async ({ tokengraph, url }: (typeof servers)[number]) => {
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ inventory(refresh: true, first: 1) { totalCount } }' }) });
    const body = (await response.json()) as { data: { inventory: { totalCount: number } } };
    // The history's write of this read, which runs after the read answers.
    await tokengraph.history?.recordRead({ collectedAt: 0, tokens: [], parts: [] }, { judgeAbsent: true });
    return body.data.inventory.totalCount;
  };
  try {
    await Promise.all(servers.map((server) => server.tokengraph.history?.opened));
    let tokens = 0;
    // The first read (every token APPEARED), then warm-up reads, then measured reads in turns.
    for (let i = 0; i < 3; i++) for (const server of servers) tokens = await refresh(server);
    for (let i = 0; i < REFRESHES; i++) {
      for (const server of servers) {
        const [t, c] = [performance.now(), process.cpuUsage()];
        await refresh(server);
        const used = process.cpuUsage(c);
        server.wall.push(performance.now() - t);
        server.cpu.push((used.user + used.system) / 1000);
      }
    }
    const events = async (server: (typeof servers)[number]) => (server.tokengraph.history ? Number((await server.tokengraph.history.database()!.query<{ n: string }>('SELECT count(*)::text AS n FROM token_events')).rows[0]!.n) : 0);
    return { tokens, results: await Promise.all(servers.map(async (server) => ({ name: server.name, wallMs: median(server.wall), cpuMs: median(server.cpu), events: await events(server) }))) };
  } finally {
    for (const server of servers) await server.tokengraph.close();
    await upstreams.close();
  }
}

function duBytes(path: string): number {
  return Number(execFileSync('du', ['-sb', path], { encoding: 'utf8' }).split('\t')[0]);
}

async function main() {
  const line = (text: string) => console.log(text);
  line(`tokengraph history bench (node ${process.version}; ${inventoryTokenCount(1000)} tokens in part 3)`);
  for (const engine of ['PGlite', 'PostgreSQL'] as const) {
    const t = await throughput(engine);
    line(`1. ${engine}: events written per second: ${Math.round(t.bulkPerS)} in one read of ${t.bulk} APPEARED; ${Math.round(t.smallPerS)} in ${SMALL_READS} reads of 20 CHANGED (${t.smallMsPerRead.toFixed(1)} ms a read)`);
  }
  for (const engine of ['PGlite', 'PostgreSQL'] as const) {
    let dataDir: string | undefined;
    const y = await year(engine, (path) => (dataDir = path));
    const dir = dataDir ? `; data directory ${(duBytes(dataDir) / MiB).toFixed(1)} MiB` : '';
    line(`2. ${engine}: a simulated year (${y.reads} reads of ${YEAR_HOURS} h, ${(y.simulatedMs / 1000).toFixed(0)} s): ${y.events} events ${JSON.stringify(y.byKind)}; tables ${(y.bytes / MiB).toFixed(1)} MiB (${Math.round(y.bytes / y.events)} bytes an event)${dir}`);
  }
  const { tokens, results } = await refreshCost([
    ['no history', undefined],
    ['PGlite', { ...(await target('refresh', 'PGlite')), days: 400 }],
    ['PostgreSQL', { ...(await target('refresh', 'PostgreSQL')), days: 400 }],
  ]);
  const [without, ...others] = results;
  line(`3. a refresh of ${tokens} tokens without a history: ${without!.wallMs.toFixed(0)} ms wall, ${without!.cpuMs.toFixed(0)} ms CPU (median of ${REFRESHES}, in turns with the two below)`);
  for (const result of others) {
    line(`3. with a history on ${result.name}: ${result.wallMs.toFixed(0)} ms wall (+${(result.wallMs - without!.wallMs).toFixed(0)}), ${result.cpuMs.toFixed(0)} ms CPU (+${(result.cpuMs - without!.cpuMs).toFixed(0)}); ${result.events} events in all (the first read's APPEARED; none from the refreshes after it)`);
  }
}

main()
  .catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(async () => {
    await server?.stop();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });
