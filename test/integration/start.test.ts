/**
 * `npm start` as a user runs it: the production build (dist/, plain node, no TypeScript loader),
 * built first when missing or stale; a real process in demo mode, answering all five sources and
 * serving its pages from the build, stopping cleanly on SIGTERM; and bad configuration stopping it
 * with one clear line.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { cpSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build, staleReason } from '../../scripts/build.mjs';
import { DEMO_CREDENTIALS, demoData } from '../../src/demo/demoData.js';
import { startNetbirdUpstream } from '../../src/demo/netbirdUpstream.js';
import { onLines } from '../onLines.js';

const UPSTREAM_VARIABLES = ['CRAFTER_PROFILE_URL', 'ASTRA_URL', 'NETBIRD_URL', 'GAMES_URL'];

const historyDirs: string[] = [];
afterAll(() => historyDirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function start(env: Record<string, string>): ChildProcess {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([name]) => !UPSTREAM_VARIABLES.includes(name)));
  // Run as `npm start` runs, not as a test: vitest's NODE_ENV=test changes Apollo Server's
  // behaviour (its own signal handlers are off under test).
  // package.json's start script, without npm in between.
  // Outside demo mode the history defaults to ./data: each such process gets a directory of its own instead.
  const history: Record<string, string> = {};
  if (Object.keys(env).some((name) => UPSTREAM_VARIABLES.includes(name))) {
    historyDirs.push(mkdtempSync(join(tmpdir(), 'tokengraph-start-')));
    history.TOKENGRAPH_DATA_DIR = join(historyDirs.at(-1)!, 'data');
  }
  return spawn(process.execPath, ['--max-semi-space-size=64', '--enable-source-maps', 'scripts/start.mjs'], {
    env: { ...clean, NODE_ENV: 'production', ...history, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

// Built once here, so that no test below pays for (or prints) a build, except the one about it.
beforeAll(async () => {
  if (staleReason()) await build();
});

/** Resolves with the log lines up to and including the first that matches. */
function waitForLine(child: ChildProcess, pattern: RegExp): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const lines: string[] = [];
    onLines(child.stdout!, (line) => {
      lines.push(line);
      if (pattern.test(line)) resolve(lines);
    });
    child.once('exit', (code) => reject(new Error(`exited with ${code} before logging ${pattern}: ${lines.join('\n')}`)));
  });
}

describe('npm start', () => {
  it('runs demo mode, says so first, answers every source, and exits 0 on SIGTERM', async () => {
    const child = start({ PORT: '0', LOG_LEVEL: 'info' });
    try {
      const lines = await waitForLine(child, /serving GraphQL at/);
      expect(JSON.parse(lines[0]!).msg).toMatch(/^demo mode/);
      const url = JSON.parse(lines.at(-1)!).url as string;
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          query: `query ($ticket: String!) {
            crafterTicket(id: $ticket) { tenant }
            crafterAccessTokens { name }
            astraToken(accountId: "acme", userId: "ops-admin", tokenId: "astra-demo-1") { labels { name } }
            netbirdToken(userId: "alice", tokenId: "nb-demo-1") { lastUsedAt status }
            gameToken(id: "game-demo-1") { status }
          }`,
          variables: { ticket: '2e911e0b-ac47-423e-9174-4e8896f1b387' },
        }),
      });
      const body = (await response.json()) as any;
      expect(body.errors).toBeUndefined();
      expect(body.data.crafterTicket.tenant).toBe('default');
      expect(body.data.crafterAccessTokens.map((t: { name: string }) => t.name)).toEqual(
        expect.arrayContaining(['adminconsole', 'crafterengine', 'craftersocial']),
      );
      expect(body.data.astraToken.labels.length).toBeGreaterThan(0);
      expect(body.data.netbirdToken.status).toBe('ACTIVE');
      expect(body.data.gameToken.status).toBe('EXPIRED');
    } finally {
      child.kill('SIGTERM');
    }
    const [code] = await once(child, 'exit');
    expect(code).toBe(0);
  });

  it('the build stands alone: copied away from src/, web/ and schema/, plain node serves every page from it', async () => {
    // Beside the project's node_modules (its packages are found upward), but nothing else of it.
    const alone = join('node_modules', '.cache', 'tokengraph-build-alone');
    rmSync(alone, { recursive: true, force: true });
    cpSync('dist', join(alone, 'dist'), { recursive: true });
    writeFileSync(join(alone, 'package.json'), '{ "type": "module" }\n');
    const clean = Object.fromEntries(Object.entries(process.env).filter(([name]) => !UPSTREAM_VARIABLES.includes(name)));
    const child = spawn(process.execPath, ['--max-semi-space-size=64', 'dist/src/main.js'], {
      cwd: alone,
      env: { ...clean, NODE_ENV: 'production', PORT: '0', LOG_LEVEL: 'info' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      const lines = await waitForLine(child, /serving GraphQL at/);
      const url = new URL(JSON.parse(lines.at(-1)!).url as string);
      const answer = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ inventory(first: 1) { totalCount } }' }) });
      expect(((await answer.json()) as any).data.inventory.totalCount).toBeGreaterThan(100);
      for (const page of ['/', '/overview/overview.js', '/overview/overview.css']) expect((await fetch(new URL(page, url))).status).toBe(200);
      const graphiql = await fetch(url, { headers: { accept: 'text/html' } });
      expect(await graphiql.text()).toContain('graphiql');
    } finally {
      child.kill('SIGTERM');
    }
    const [code] = await once(child, 'exit');
    expect(code).toBe(0);
    rmSync(alone, { recursive: true, force: true });
  });

  it('builds first when dist/ is stale, saying so in one line, then serves', async () => {
    // The build looks older than every source: as after a pull.
    utimesSync('dist/.build', new Date(0), new Date(0));
    expect(staleReason()).toMatch(/changed since the last build$/);
    const child = start({ PORT: '0', LOG_LEVEL: 'info' });
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    try {
      await waitForLine(child, /serving GraphQL at/);
      expect(stderr).toMatch(/^tokengraph: building dist\/ first: .+ changed since the last build\n$/);
      expect(staleReason()).toBeUndefined();
    } finally {
      child.kill('SIGTERM');
    }
    const [code] = await once(child, 'exit');
    expect(code).toBe(0);
  });

  it.each([
    [{ PORT: 'eighty' }, /^tokengraph: configuration error: PORT must be a whole number/],
    [{ NETBIRD_URL: 'not a url', NETBIRD_TOKEN: 'secret-value' }, /^tokengraph: configuration error: NETBIRD_URL is not a URL/],
    [{ NETBIRD_URL: 'http://127.0.0.1:9', NETBIRD_TOKEN: 'secret-value' }, /^tokengraph: configuration error: TOKENGRAPH_API_KEYS must be set outside demo mode/],
    [{ TOKENGRAPH_ALLOWED_HOSTS: 'https://tokengraph.example.com' }, /^tokengraph: configuration error: TOKENGRAPH_ALLOWED_HOSTS must list host names or IP addresses without scheme or port/],
  ])('stops on %j with one line naming the variable', async (env, message) => {
    const child = start(env);
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const [code] = await once(child, 'exit');
    expect(code).toBe(1);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(message);
    expect(stderr).not.toContain('secret-value');
  });

  it('on SIGTERM stops accepting, finishes the in-flight request, and exits 0', async () => {
    const netbird = await startNetbirdUpstream({ data: demoData(new Date()).netbird });
    netbird.latencyMs = 1000;
    const child = start({ PORT: '0', NETBIRD_URL: netbird.url, NETBIRD_TOKEN: DEMO_CREDENTIALS.netbird, SHUTDOWN_GRACE_MS: '5000', TOKENGRAPH_AUTH: 'none' });
    try {
      const lines = await waitForLine(child, /serving GraphQL at/);
      // Serving without keys is never silent.
      expect(lines.map((line) => JSON.parse(line) as { level: number; msg: string })).toContainEqual(
        expect.objectContaining({ level: 40, msg: expect.stringMatching(/^TOKENGRAPH_AUTH=none/) }),
      );
      const url = JSON.parse(lines.at(-1)!).url as string;
      const inFlight = fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ netbirdToken(userId: "alice", tokenId: "nb-demo-1") { name } }' }),
      });
      while (netbird.calls.length === 0) await new Promise((resolve) => setTimeout(resolve, 10));
      child.kill('SIGTERM');
      await waitForLine(child, /shutting down/);
      // No new connections once draining...
      await expect(fetch(url.replace('/graphql', '/healthz'))).rejects.toThrow();
      // ...but the request already in flight is answered in full.
      const response = await inFlight;
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ data: { netbirdToken: { name: 'CI deploy' } } });
      const [code] = await once(child, 'exit');
      expect(code).toBe(0);
    } finally {
      child.kill('SIGKILL');
      await netbird.close();
    }
  });
});
