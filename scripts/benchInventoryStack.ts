/**
 * The child processes of the inventory benches (`npm run bench:inventory`, `npm run
 * bench:export`): the demo upstreams seeded with the bench inventory (scripts/benchInventoryData.ts)
 * and tokengraph configured like `npm start` for it, each a child of scripts/benchProcess.ts; and
 * the GraphQL request they send, timed.
 */
import { DEMO_CREDENTIALS } from '../src/demo/demoData.js';
import { Child } from './benchProcess.js';
import { ASTRA_ACCOUNTS, NETBIRD_PATS_PER_USER, WATCH } from './benchInventoryData.js';

export const API_KEY = 'bench-api-key-0123456789';
export const AUTHORIZATION = `Bearer ${API_KEY}`;
export const LATENCY_MS = Number(process.env.BENCH_LATENCY_MS ?? 20);
export const CPU_PROF = process.env.BENCH_CPU_PROF;

/** The upstreams with the bench inventory: `netbirdUsers` service users with `patsPerUser` PATs each. */
export async function startUpstreams(netbirdUsers: number, patsPerUser = NETBIRD_PATS_PER_USER) {
  return Child.start('upstreams', 'benchUpstreams', {
    ...process.env,
    BENCH_LATENCY_MS: String(LATENCY_MS),
    BENCH_INVENTORY_NETBIRD_USERS: String(netbirdUsers),
    BENCH_INVENTORY_PATS_PER_USER: String(patsPerUser),
  });
}

/** The environment of both servers: `npm start`'s settings for the bench inventory. */
export function serverEnv(upstreamUrls: Record<string, string> | undefined, env: Record<string, string>): NodeJS.ProcessEnv {
  return {
    ...process.env,
    // The request bench's timeline subscribes to every upstream call: it would weigh on a full read.
    BENCH_TIMELINE: undefined,
    ...upstreamUrls,
    CRAFTER_PROFILE_ACCESS_TOKEN_ID: DEMO_CREDENTIALS.crafterProfile,
    ASTRA_API_TOKEN: DEMO_CREDENTIALS.astra,
    NETBIRD_TOKEN: DEMO_CREDENTIALS.netbird,
    GAMES_TOKEN: DEMO_CREDENTIALS.games,
    ASTRA_ACCOUNT_IDS: ASTRA_ACCOUNTS.join(','),
    TOKENGRAPH_WATCH: WATCH.join(','),
    TOKENGRAPH_API_KEYS: API_KEY,
    // Long enough that nothing expires during a phase: each phase decides when it reads anew.
    TOKENGRAPH_INVENTORY_TTL_MS: '3600000',
    PORT: '0',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'info',
    NODE_ENV: process.env.NODE_ENV ?? 'production',
    ...env,
  };
}

export const SERVER_FLAGS = ['--max-semi-space-size=64', '--expose-gc'];

/** tokengraph as `npm start` runs it, with `env` on top; `profile`: a CPU profile into BENCH_CPU_PROF. */
export async function startTokengraph(upstreamUrls: Record<string, string> | undefined, env: Record<string, string>, profile = false) {
  const started = await Child.start('tokengraph', 'benchServer', serverEnv(upstreamUrls, env), [
    ...SERVER_FLAGS,
    ...(profile && CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${CPU_PROF}`] : []),
  ]);
  const url = started.ready.url;
  return { ...started, url, metricsUrl: new URL('/metrics', url).href };
}

/** One GraphQL request with the bench's key; the time from sending it to reading the whole answer, ms. Throws on an error. */
export async function graphql<T>(url: string, query: string, variables: Record<string, unknown> = {}): Promise<{ ms: number; json: { data?: T; errors?: unknown[] } }> {
  const started = performance.now();
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: AUTHORIZATION }, body: JSON.stringify({ query, variables }) });
  const json = (await response.json()) as { data?: T; errors?: unknown[] };
  const ms = performance.now() - started;
  if (response.status !== 200 || json.errors) throw new Error(`tokengraph answered ${response.status}: ${JSON.stringify(json).slice(0, 500)}`);
  return { ms, json };
}
