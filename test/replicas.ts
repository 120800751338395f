/**
 * Replicas as they run in production: N tokengraph PROCESSES (`node --import tsx src/main.ts`, each
 * with its own memory, loaders, kept snapshots and Redis connection) in front of one set of demo
 * upstreams started in the test's own process, so the test can hold, fail and count their calls,
 * and usually one real Redis they share (test/redisServer.ts).
 *
 * Each process is configured only through its environment, as an operator would: every `*_URL`
 * and credential of the shared upstreams, API keys (a read key and an admin key), `PORT=0`, and
 * whatever the test adds (`REDIS_URL`, `TOKENGRAPH_CACHE`, TTLs, …). Its JSON log lines are kept
 * (`lines`, `logs()`: audit lines, warnings) and its URL is read from its line
 * "tokengraph is serving GraphQL at …". `stop` sends SIGTERM to the processes this module started,
 * by PID, and waits for them; nothing else is ever signalled.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { startDemoUpstreams, type DemoUpstreams } from '../src/demo/startDemoUpstreams.js';
import { DEMO_CREDENTIALS } from '../src/demo/demoData.js';
import { UPSTREAMS, UPSTREAM_NAMES } from '../src/sources.js';
import type { GraphQLResponse } from './harness.js';
import { onLines } from './onLines.js';
import { startPostgres, type TestPostgres } from './postgresServer.js';
import { startRedis, type TestRedis } from './redisServer.js';

export const REPLICA_ADMIN_KEY = 'replica-admin-key-0123456789';
export const REPLICA_READ_KEY = 'replica-read-key-0123456789';

export interface ReplicaOptions {
  /** How many processes; they start concurrently. */
  count: number;
  /** The upstreams every replica calls (started by the test, closed by the test). */
  upstreams: DemoUpstreams;
  /** Variables over the defaults, for every replica (`REDIS_URL`, `TOKENGRAPH_CACHE`, …). */
  env?: Record<string, string>;
  /** How long a process may take to start serving, ms. */
  startTimeoutMs?: number;
}

export interface Replica {
  /** The GraphQL endpoint. */
  url: string;
  pid: number;
  /** Every stdout line so far. */
  lines: string[];
  /** The JSON log lines so far, parsed. */
  logs(): Array<Record<string, unknown>>;
  /** POSTs `document` with the admin key (or `headers`' own authorization). */
  query<T = Record<string, any>>(document: string, variables?: Record<string, unknown>, headers?: Record<string, string>): Promise<GraphQLResponse<T>>;
}

export interface Replicas {
  all: Replica[];
  /** Ends every process this call started (SIGTERM by PID) and waits for each to exit. */
  stop(): Promise<void>;
}

/** The project's root: where `src/main.ts` is run from. */
const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** Variables of the test runner's environment a replica must not inherit. */
const INHERITED_OUT = /^(TOKENGRAPH_|REDIS_|OTEL_|NODE_ENV$|PORT$|HOST$|LOG_LEVEL$|ASTRA_ACCOUNT_IDS$|NETBIRD_INVENTORY$)|_(URL|TOKEN|ACCESS_TOKEN_ID)$/;

export async function startReplicas(options: ReplicaOptions): Promise<Replicas> {
  const base: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) if (value !== undefined && !INHERITED_OUT.test(name)) base[name] = value;
  for (const name of UPSTREAM_NAMES) {
    base[`${UPSTREAMS[name].prefix}_URL`] = options.upstreams[name].baseUrl;
    base[UPSTREAMS[name].credential] = DEMO_CREDENTIALS[name];
    // One attempt per call, so each fault the test injects is one call.
    base[`${UPSTREAMS[name].prefix}_RETRIES`] = '0';
  }
  Object.assign(base, {
    // As `npm start` runs: vitest's NODE_ENV=test changes Apollo Server's behaviour.
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: 'info',
    TOKENGRAPH_API_KEYS: REPLICA_READ_KEY,
    TOKENGRAPH_ADMIN_API_KEYS: REPLICA_ADMIN_KEY,
    ...options.env,
  });
  const children: ChildProcess[] = [];
  // A test that times out never reaches its `stop`: the processes must not outlive the test run.
  const killLeft = () => children.forEach((child) => child.exitCode === null && child.signalCode === null && process.kill(child.pid!, 'SIGKILL'));
  process.once('exit', killLeft);
  const stop = async () => {
    process.removeListener('exit', killLeft);
    await Promise.all(
      children.map(async (child) => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        const exited = once(child, 'exit');
        process.kill(child.pid!, 'SIGTERM');
        await exited;
      }),
    );
  };
  try {
    const all = await Promise.all(
      Array.from({ length: options.count }, () => {
        const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], { cwd: ROOT, env: base, stdio: ['ignore', 'pipe', 'pipe'] });
        children.push(child);
        return serving(child, options.startTimeoutMs ?? 15_000);
      }),
    );
    return { all, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

export interface ReplicasOnRedis {
  /** The redis-server every replica shares (started once per file, flushed before each test). */
  readonly redis: TestRedis;
  /** This test's demo upstreams (fresh for each test: revoking and faults change them). */
  readonly upstreams: DemoUpstreams;
  /** Starts `count` replicas on the shared Redis with `env` over `defaults`; ended after the test. */
  start(count: number, env?: Record<string, string>): Promise<Replica[]>;
}

/**
 * The suite of a replicas test, as hooks: one real redis-server and one real PostgreSQL server
 * for the file, as replicas are deployed (the cache and the history shared: PGlite's directory is
 * one process's), Redis flushed and a new database for every test, fresh demo upstreams, and
 * whatever replicas the test started stopped after it.
 */
export function replicasOnRedis(defaults: Record<string, string> = {}): ReplicasOnRedis {
  let redis: TestRedis | undefined;
  let postgres: TestPostgres | undefined;
  let databaseUrl: string | undefined;
  let upstreams: DemoUpstreams | undefined;
  let replicas: Replicas | undefined;
  let tests = 0;
  beforeAll(async () => {
    [redis, postgres] = await Promise.all([startRedis(), startPostgres()]);
  }, 60_000);
  afterAll(async () => {
    await Promise.all([redis?.stop(), postgres?.stop()]);
  });
  beforeEach(async () => {
    await redis!.flush();
    databaseUrl = await postgres!.createDatabase(`replicas_${++tests}`);
    upstreams = await startDemoUpstreams();
  });
  // Processes drain before they exit (each its reads, its history writes): longer than a hook usually takes.
  afterEach(async () => {
    await replicas?.stop();
    replicas = undefined;
    await upstreams?.close();
  }, 60_000);
  return {
    get redis() {
      return redis!;
    },
    get upstreams() {
      return upstreams!;
    },
    async start(count, env = {}) {
      replicas = await startReplicas({ count, upstreams: upstreams!, env: { REDIS_URL: redis!.url, DATABASE_URL: databaseUrl!, ...defaults, ...env } });
      return replicas.all;
    },
  };
}

/** Resolves with the replica once its process logs where it serves. */
function serving(child: ChildProcess, timeoutMs: number): Promise<Replica> {
  const lines: string[] = [];
  const errors: string[] = [];
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`a replica did not start within ${timeoutMs} ms: ${[...lines, ...errors].join('\n')}`)), timeoutMs);
    child.stderr!.on('data', (chunk: Buffer) => errors.push(chunk.toString()));
    onLines(child.stdout!, (line) => {
      lines.push(line);
      const match = /tokengraph is serving GraphQL at (\S+)/.exec(line);
      if (match) {
        clearTimeout(timer);
        resolve(replica(child.pid!, match[1]!, lines));
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`a replica exited with ${code} before serving: ${[...lines, ...errors].join('\n')}`));
    });
  });
}

function replica(pid: number, url: string, lines: string[]): Replica {
  return {
    url,
    pid,
    lines,
    logs: () =>
      lines.flatMap((line) => {
        try {
          return [JSON.parse(line) as Record<string, unknown>];
        } catch {
          return [];
        }
      }),
    async query<T>(document: string, variables?: Record<string, unknown>, headers: Record<string, string> = {}) {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json', authorization: `Bearer ${REPLICA_ADMIN_KEY}`, ...headers },
        body: JSON.stringify({ query: document, variables }),
      });
      return { status: response.status, headers: response.headers, body: (await response.json()) as GraphQLResponse<T>['body'] };
    },
  };
}
