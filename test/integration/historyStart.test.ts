/**
 * A history database that cannot be reached, opened or migrated stops `npm start` with one line on
 * stderr naming it, and never shows the password of DATABASE_URL, in any encoding (contract §12).
 * Runs src/main.ts as a process (through tsx), in demo mode with the history pointed elsewhere.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closedPort } from '../harness.js';
import { startPostgres, type TestPostgres } from '../postgresServer.js';
import { encodings } from '../secretEncodings.js';

const UPSTREAM_VARIABLES = ['CRAFTER_PROFILE_URL', 'ASTRA_URL', 'NETBIRD_URL', 'GAMES_URL', 'DATABASE_URL', 'TOKENGRAPH_DATA_DIR'];

/** `npm start` as a process (tsx), in demo mode, with `env`. */
function spawnMain(env: Record<string, string>) {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([name]) => !UPSTREAM_VARIABLES.includes(name)));
  return spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], { env: { ...clean, NODE_ENV: 'production', PORT: '0', LOG_LEVEL: 'info', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Runs it until it exits by itself: its exit code and output. */
async function start(env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawnMain(env);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  const [code] = (await once(child, 'exit')) as [number | null];
  clearTimeout(timer);
  return { code, stdout, stderr };
}

/** Runs it until its history is open; `stop` sends SIGTERM to it (by PID) and waits for its exit. */
async function serving(env: Record<string, string>): Promise<{ pid: number; stop(): Promise<void> }> {
  const child = spawnMain(env);
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit');
    process.kill(child.pid!, 'SIGTERM');
    await exited;
  };
  try {
    await expect.poll(() => output, { timeout: 30_000, interval: 100 }).toMatch(/history: PGlite in \S+ is open/);
  } catch (error) {
    await stop();
    throw error;
  }
  return { pid: child.pid!, stop };
}

/** A process's resident set, MiB (Linux). */
const rssMiB = (pid: number) => Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))![1]) / 1024;

let server: TestPostgres;
let dir: string;
beforeAll(async () => {
  server = await startPostgres();
  dir = mkdtempSync(join(tmpdir(), 'tokengraph-start-'));
}, 60_000);
afterAll(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('a history database that cannot be used stops start-up with one line', () => {
  it.each([
    ['unreachable', async () => `postgres://tokengraph:${server.password}@127.0.0.1:${await closedPort()}/tokengraph`, /^tokengraph: history: PostgreSQL at postgres:\/\/tokengraph@127\.0\.0\.1:\d+\/tokengraph cannot be opened: .*ECONNREFUSED/],
    // pg takes a password from the query string too (`password=`, `sslpassword=`): never shown either.
    ['unreachable, its password in the query string', async () => `postgres://tokengraph@127.0.0.1:${await closedPort()}/tokengraph?sslmode=disable&password=${server.password}`, /^tokengraph: history: PostgreSQL at postgres:\/\/tokengraph@127\.0\.0\.1:\d+\/tokengraph\?sslmode=disable cannot be opened: .*ECONNREFUSED/],
    ['refusing the password', async () => server.url.replace(server.password, `${server.password}-wrong`), /^tokengraph: history: PostgreSQL at postgres:\/\/tokengraph@127\.0\.0\.1:\d+\/postgres cannot be opened: password authentication failed for user "tokengraph"$/],
    [
      'holding a table the migration would create',
      async () => {
        const url = await server.createDatabase('taken');
        const client = new pg.Client({ connectionString: url });
        await client.connect();
        await client.query('CREATE TABLE token_events (id int)');
        await client.end();
        return url;
      },
      /^tokengraph: history: PostgreSQL at postgres:\/\/tokengraph@127\.0\.0\.1:\d+\/taken cannot be migrated: relation "token_events" already exists$/,
    ],
  ])('DATABASE_URL %s', async (_, url, line) => {
    const databaseUrl = await url();
    const { code, stdout, stderr } = await start({ DATABASE_URL: databaseUrl });
    expect(code).toBe(1);
    expect(stderr.trimEnd().split('\n')).toEqual([expect.stringMatching(line)]);
    // The server is waited for before listening: nothing was served.
    expect(stdout).not.toMatch(/serving GraphQL/);
    // Every case's URL carries the server's password (the refused one inside a longer one).
    expect(databaseUrl).toContain(server.password);
    for (const echo of encodings(server.password)) expect(`${stdout}${stderr}`).not.toContain(echo);
  }, 40_000);

  it('TOKENGRAPH_DATA_DIR that PGlite cannot use', async () => {
    const file = join(dir, 'not-a-directory');
    writeFileSync(file, 'x');
    const { code, stderr } = await start({ TOKENGRAPH_DATA_DIR: join(file, 'data') });
    expect(code).toBe(1);
    expect(stderr.trimEnd().split('\n')).toEqual([expect.stringMatching(new RegExp(`^tokengraph: history: PGlite in ${file}/data cannot be opened: `))]);
  }, 40_000);

  it('TOKENGRAPH_DATA_DIR another process has open; free again once that one stops', async () => {
    // Two processes on one PGlite directory would each write their own copy and lose the other's rows.
    const data = join(dir, 'shared-data');
    const first = await serving({ TOKENGRAPH_DATA_DIR: data });
    try {
      const second = await start({ TOKENGRAPH_DATA_DIR: data });
      expect(second.code).toBe(1);
      expect(second.stderr.trimEnd().split('\n')).toEqual([`tokengraph: history: PGlite in ${data} cannot be opened: another tokengraph process has it open (PGlite is one process's: replicas share a PostgreSQL server, DATABASE_URL)`]);
    } finally {
      await first.stop();
    }
    // Stopped cleanly, the first gave the directory back: a third opens it at once.
    await (await serving({ TOKENGRAPH_DATA_DIR: data })).stop();
  }, 90_000);

});

describe('the embedded database', () => {
  // WebAssembly memory is never given back, and initdb grows PGlite's most: run in tokengraph's own
  // process it left about 790 MiB resident for good (700 in memory); run in a child (initPglite.ts)
  // tokengraph holds about 400 (480 in memory, from the child's dump).
  it.each([
    ['a new TOKENGRAPH_DATA_DIR', () => ({ TOKENGRAPH_DATA_DIR: join(dir, 'fresh-data') })],
    ['memory (demo mode)', () => ({})],
  ])('opening %s leaves tokengraph under 600 MiB resident: the initdb ran in a process that exited', async (_, env) => {
    const server = await serving(env());
    try {
      expect(rssMiB(server.pid)).toBeLessThan(600);
    } finally {
      await server.stop();
    }
  }, 90_000);
});
