/**
 * `npm run soak`: about a minute of load on loopback against a tokengraph child process.
 *
 *   phase 1 (healthy)   every source answers
 *   phase 2 (degraded)  Astra resets every connection; NetBird fails every other call
 *
 * In both phases two autocannon loads run side by side: a "mixed" query touching all five
 * sources (its answers are parsed to count error codes by source) and a "healthy" query
 * touching only the Crafter and games sources, whose latency is compared across phases.
 * The child reports its memory after a full GC at each step, and any unhandled rejection
 * or uncaught exception; the soak fails if one happened or memory did not settle.
 */
import { fork } from 'node:child_process';
import { once } from 'node:events';
import autocannon from 'autocannon';
import type { SoakCommand, SoakReport } from './soakServer.js';

const PHASE_SECONDS = Number(process.env.SOAK_PHASE_SECONDS ?? 25);
const CONNECTIONS = Number(process.env.SOAK_CONNECTIONS ?? 8);

// The ticket id is a session credential: tokengraph refuses it written in a document, so it is a variable.
const VARIABLES = { ticket: '2e911e0b-ac47-423e-9174-4e8896f1b387' };
const MIXED = `query ($ticket: String!) {
  crafterTicket(id: $ticket) { tenant }
  crafterAccessTokens { name status }
  astraToken(accountId: "acme", userId: "ops-admin", tokenId: "astra-demo-1") { name }
  netbirdToken(userId: "alice", tokenId: "nb-demo-1") { name status }
  gameToken(id: "game-demo-1") { name status }
}`;
const HEALTHY = `query ($ticket: String!) {
  crafterTicket(id: $ticket) { tenant }
  crafterAccessTokens { name status }
  gameToken(id: "game-demo-1") { name status }
}`;

const child = fork(new URL('./soakServer.ts', import.meta.url), [], { execArgv: ['--import', 'tsx', '--expose-gc'], stdio: 'inherit' });
const crashes: string[] = [];
const waiting: Array<{ resolve(report: SoakReport): void; reject(error: Error): void }> = [];
child.on('message', (report: SoakReport) => {
  if (report.type === 'crash') crashes.push(`${report.kind}: ${report.message}`);
  else waiting.shift()?.resolve(report);
});
child.on('exit', (code, signal) => {
  if (code === 0) return;
  const error = new Error(`the soak server exited with code ${code} (signal ${signal}); crashes: ${crashes.join('; ') || 'none reported'}`);
  for (const w of waiting.splice(0)) w.reject(error);
  process.stderr.write(`${error.message}\n`);
  process.exit(1);
});

function ask(command: SoakCommand): Promise<SoakReport> {
  return new Promise((resolve, reject) => {
    waiting.push({ resolve, reject });
    child.send(command);
  });
}
const memory = async () => (await ask({ type: 'memory' })) as Extract<SoakReport, { type: 'memory' }>;

type Codes = Record<string, Record<string, number>>;

function load(url: string, query: string, codes: Codes) {
  return autocannon({
    url,
    connections: CONNECTIONS,
    duration: PHASE_SECONDS,
    requests: [
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query, variables: VARIABLES }),
        onResponse: (_status: number, body: string) => {
          try {
            for (const error of (JSON.parse(body) as { errors?: Array<{ extensions?: { code?: string; upstream?: { source?: string } } }> }).errors ?? []) {
              const source = error.extensions?.upstream?.source ?? '(request)';
              const code = error.extensions?.code ?? 'UNKNOWN';
              (codes[source] ??= {})[code] = (codes[source]![code] ?? 0) + 1;
            }
          } catch {
            (codes['(unparsable)'] ??= {}).BODY = (codes['(unparsable)']?.BODY ?? 0) + 1;
          }
        },
      },
    ],
  });
}

async function phase(name: string, url: string) {
  const codes: Codes = {};
  process.stdout.write(`phase ${name}: ${PHASE_SECONDS} s, ${CONNECTIONS}+${CONNECTIONS} connections…\n`);
  const [mixed, healthy] = await Promise.all([load(url, MIXED, codes), load(url, HEALTHY, codes)]);
  return { name, mixed, healthy, codes, memory: await memory() };
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;

const [ready] = (await once(child, 'message')) as [SoakReport];
if (ready.type !== 'ready') throw new Error(`soak server did not start: ${JSON.stringify(ready)}`);
const start = await memory();
const healthyPhase = await phase('healthy', ready.url);
await ask({ type: 'degrade' });
const degradedPhase = await phase('degraded', ready.url);
await ask({ type: 'heal' });
await new Promise((resolve) => setTimeout(resolve, 3000));
const settled = await memory();
child.send({ type: 'stop' } satisfies SoakCommand);
await once(child, 'exit');

console.log('\n== soak report');
for (const p of [healthyPhase, degradedPhase]) {
  console.log(`\n${p.name}:`);
  console.log(`  requests served: mixed ${p.mixed.requests.total} (${p.mixed.non2xx} non-2xx), healthy ${p.healthy.requests.total} (${p.healthy.non2xx} non-2xx)`);
  console.log(`  healthy-only query latency: p50 ${p.healthy.latency.p50} ms, p99 ${p.healthy.latency.p99} ms`);
  console.log(`  errors by source and code: ${JSON.stringify(p.codes)}`);
  console.log(`  memory after GC: rss ${mb(p.memory.rss)}, heap ${mb(p.memory.heapUsed)}`);
}
const p50Ratio = degradedPhase.healthy.latency.p50 / healthyPhase.healthy.latency.p50;
const p99Ratio = degradedPhase.healthy.latency.p99 / healthyPhase.healthy.latency.p99;
console.log(`\nhealthy sources, degraded / healthy: p50 ×${p50Ratio.toFixed(2)}, p99 ×${p99Ratio.toFixed(2)}`);
console.log(`memory after GC: start heap ${mb(start.heapUsed)} (rss ${mb(start.rss)}), end heap ${mb(settled.heapUsed)} (rss ${mb(settled.rss)})`);

// Settled: after load stops and a GC, the heap is back within a small margin of where a
// warmed-up process stands (compared with the end of the healthy phase, after warm-up).
const settledOk = settled.heapUsed <= healthyPhase.memory.heapUsed * 1.5 + 8 * 1024 * 1024;
const problems = [
  ...crashes,
  ...(settledOk ? [] : [`memory did not settle: heap ${mb(settled.heapUsed)} after load vs ${mb(healthyPhase.memory.heapUsed)} after warm-up`]),
  ...(healthyPhase.mixed.non2xx + healthyPhase.healthy.non2xx + degradedPhase.healthy.non2xx > 0 ? ['non-2xx answers where every request should be 200'] : []),
];
if (problems.length > 0) {
  console.log(`\nFAILED:\n- ${problems.join('\n- ')}`);
  process.exit(1);
}
console.log('\nOK: no crash, no unhandled rejection, memory settled.');
process.exit(0);
