/**
 * `npm run bench:forget`: what one revocation costs tokengraph when Redis holds a lot besides the
 * revoked token (contract §9: forgetting a token costs in proportion to what is cached for it,
 * never a scan of the whole cache). A figure, not a test: nothing here passes or fails.
 *
 * A private redis-server on a free loopback port (no persistence; its DEBUG command allowed for
 * this server only), the demo upstreams, and tokengraph in this process with the Redis cache,
 * as `npm start` runs in demo mode. Each sample caches a NetBird token (one read), then times one
 * `revokeTokens` of it over HTTP: the read past the cache, the upstream DELETE, and forgetting
 * everything cached of it. BENCH_FORGET_RUNS (7) samples, each of another token, first with
 * nothing else in Redis, then with BENCH_FORGET_KEYS (1,000,000) unrelated keys (DEBUG POPULATE,
 * or pipelined MSETs where DEBUG is refused); the medians are printed, with Redis's own count of
 * commands per revocation.
 *
 * Only the public pieces are used (readConfig, the demo upstreams, createTokengraph, GraphQL over
 * HTTP), so the same script measures an older tokengraph checked out elsewhere.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type AddressInfo } from 'node:net';
import { Redis } from 'ioredis';
import { readConfig } from '../src/config/readConfig.js';
import { DEMO_NETBIRD_CURRENT_USER, demoData } from '../src/demo/demoData.js';
import { startDemoUpstreams, withDemoUpstreams } from '../src/demo/startDemoUpstreams.js';
import { createTokengraph } from '../src/http/createTokengraph.js';
import { createLogger } from '../src/observability/createLogger.js';
import { median } from './benchStatistics.js';

const RUNS = Number(process.env.BENCH_FORGET_RUNS ?? 7);
const KEYS = Number(process.env.BENCH_FORGET_KEYS ?? 1_000_000);

const REVOKE = 'mutation Revoke($refs: [TokenRef!]!) { revokeTokens(refs: $refs) { outcome } }';
const READ = 'query Read($refs: [TokenRef!]!) { tokens(refs: $refs) { tokenId } }';

async function main(): Promise<void> {
  const port = await freePort();
  const server = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--enable-debug-command', 'local'], { stdio: 'ignore' });
  const admin = new Redis(`redis://127.0.0.1:${port}`, { maxRetriesPerRequest: 1, retryStrategy: (times) => (times > 50 ? null : 100) });
  // Refused until the server listens: retried above, not worth a line.
  admin.on('error', () => {});
  const upstreams = await startDemoUpstreams();
  const config = withDemoUpstreams({ ...readConfig({ REDIS_URL: `redis://127.0.0.1:${port}`, PORT: '0', LOG_LEVEL: 'silent' }) }, upstreams);
  const tokengraph = await createTokengraph(config, createLogger('silent'));
  try {
    await admin.ping();
    const url = await tokengraph.listen();
    const post = async (query: string, variables: Record<string, unknown>) => {
      const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
      return (await response.json()) as { data?: Record<string, any>; errors?: unknown[] };
    };
    // Those the demo credential (alice, an admin) may revoke: its own and service users' (contract §10).
    const data = demoData(new Date());
    const mine = new Set([DEMO_NETBIRD_CURRENT_USER, ...data.netbirdUsers.filter((user) => user.is_service_user).map((user) => user.id)]);
    const tokens = data.netbird.filter(({ userId }) => mine.has(userId)).map(({ userId, token }) => ({ source: 'NETBIRD', userId, tokenId: token.id }));
    if (tokens.length < 2 * RUNS) throw new Error(`the demo has ${tokens.length} NetBird tokens, fewer than ${2 * RUNS} samples need`);

    const sample = async () => {
      const ref = tokens.shift()!;
      const read = await post(READ, { refs: [ref] });
      if (read.errors || read.data?.tokens[0] === null) throw new Error(`could not read ${JSON.stringify(ref)}: ${JSON.stringify(read)}`);
      await admin.config('RESETSTAT');
      const started = performance.now();
      const revoked = await post(REVOKE, { refs: [ref] });
      const ms = performance.now() - started;
      if (revoked.data?.revokeTokens[0]?.outcome !== 'REVOKED') throw new Error(`could not revoke ${JSON.stringify(ref)}: ${JSON.stringify(revoked)}`);
      return { ms, commands: commandCount(await admin.info('commandstats')) };
    };
    const measure = async (label: string) => {
      const samples = [];
      for (let run = 0; run < RUNS; run++) samples.push(await sample());
      const keys = await admin.dbsize();
      process.stdout.write(
        `${label.padEnd(34)} ${String(keys).padStart(9)} keys   median ${median(samples.map((s) => s.ms)).toFixed(2).padStart(9)} ms   ` +
          `(min ${Math.min(...samples.map((s) => s.ms)).toFixed(2)}, max ${Math.max(...samples.map((s) => s.ms)).toFixed(2)})   ` +
          `Redis commands per revocation: median ${median(samples.map((s) => s.commands))}\n`,
      );
    };

    process.stdout.write(`one revokeTokens of one cached NetBird token, ${RUNS} samples each\n`);
    await measure('Redis holding only tokengraph');
    await fill(admin, KEYS);
    await measure(`with ${KEYS.toLocaleString('en')} unrelated keys`);
  } finally {
    await tokengraph.close();
    await upstreams.close();
    admin.disconnect();
    if (server.exitCode === null) {
      const exited = once(server, 'exit');
      process.kill(server.pid!, 'SIGTERM');
      await exited;
    }
  }
}

/** `count` keys no tokengraph key looks like: DEBUG POPULATE when the server allows it, else MSETs, 10,000 keys each, pipelined. */
async function fill(redis: Redis, count: number): Promise<void> {
  const started = performance.now();
  let how = 'DEBUG POPULATE';
  try {
    await redis.call('DEBUG', 'POPULATE', String(count), 'unrelated', '16');
  } catch {
    how = 'pipelined MSET';
    for (let offset = 0; offset < count; offset += 100_000) {
      const pipeline = redis.pipeline();
      for (let batch = offset; batch < Math.min(count, offset + 100_000); batch += 10_000) {
        const pairs: string[] = [];
        for (let i = batch; i < Math.min(count, batch + 10_000); i++) pairs.push(`unrelated:${i}`, 'x'.repeat(16));
        pipeline.mset(...pairs);
      }
      await pipeline.exec();
    }
  }
  process.stdout.write(`(filled Redis with ${count.toLocaleString('en')} unrelated keys by ${how} in ${((performance.now() - started) / 1000).toFixed(1)} s)\n`);
}

/** Every command Redis ran since the last RESETSTAT, but the bench's own INFO and CONFIG. */
function commandCount(info: string): number {
  let total = 0;
  for (const match of info.matchAll(/^cmdstat_([a-z|]+):calls=(\d+)/gm)) if (!/^(info|config)\b/.test(match[1]!)) total += Number(match[2]);
  return total;
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`bench:forget failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
