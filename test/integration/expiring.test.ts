/**
 * `npm run expiring` as a cron job runs it: a child process against a real tokengraph
 * (TOKENGRAPH_URL and TOKENGRAPH_API_KEY), or a demo tokengraph of its own; its exit code says
 * whether anything expires (--fail) or something went wrong (2, with one line).
 */
import { execFile } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readConfig } from '../../src/config/readConfig.js';
import { DEMO_ASTRA_ACCOUNTS, DEMO_WATCH } from '../../src/demo/demoData.js';
import type { TokenKey } from '../../src/sources.js';
import { closedPort, startStack, type Stack } from '../harness.js';

const API_KEY = 'expiring-report-key-0123456789';

function expiring(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile('node', ['--import', 'tsx', 'src/cli/expiring.ts', ...args], { env: { ...process.env, TOKENGRAPH_URL: '', ...env }, timeout: 60_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr }),
    );
  });
}

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ apiKeys: [API_KEY], config: { inventory: { ...readConfig({}).inventory, watch: DEMO_WATCH as TokenKey[], astraAccountIds: [...DEMO_ASTRA_ACCOUNTS] } } });
});
afterAll(() => stack.close());

describe('npm run expiring', () => {
  it('lists the tokens expiring within the window from TOKENGRAPH_URL, soonest first', async () => {
    const { code, stdout, stderr } = await expiring(['--within', '4d'], { TOKENGRAPH_URL: stack.url, TOKENGRAPH_API_KEY: API_KEY });
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    const rows = stdout.trim().split('\n');
    expect(rows[0]).toMatch(/^EXPIRES \(UTC\)\s+IN\s+SOURCE\s+NAME\s+OWNER\s+TOKEN ID$/);
    expect(rows.slice(1, -1).map((row) => row.split(/\s{2,}/).at(-1)).sort()).toEqual(['game-demo-2', 'nb-demo-4']);
    expect(rows.at(-1)).toBe('2 tokens expire within 4d.');
  });

  it('--json: the same tokens, and the window', async () => {
    const { code, stdout } = await expiring(['--within', '4d', '--json'], { TOKENGRAPH_URL: stack.url, TOKENGRAPH_API_KEY: API_KEY });
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as { within: string; tokens: Array<{ tokenId: string; expiresAt: string }> };
    expect(report.within).toBe('4d');
    expect(report.tokens.map((token) => token.tokenId).sort()).toEqual(['game-demo-2', 'nb-demo-4']);
  });

  it('--fail: exits 1 when any token is listed, 0 when none is', async () => {
    const env = { TOKENGRAPH_URL: stack.url, TOKENGRAPH_API_KEY: API_KEY };
    expect((await expiring(['--within', '4d', '--fail'], env)).code).toBe(1);
    const none = await expiring(['--within', '60m', '--fail'], env);
    expect(none).toMatchObject({ code: 0, stdout: 'No token expires within 60m.\n' });
  });

  it.each([
    ['a bad duration', ['--within', 'soon'], {}, 'tokengraph expiring: --within must be a duration such as 90m, 36h or 14d (more than 0, at most 3650d), got "soon"\n'],
    ['no API key', [], { TOKENGRAPH_API_KEY: '' }, 'tokengraph expiring: tokengraph at URL answered 401: set TOKENGRAPH_API_KEY to one of its API keys\n'],
  ])('exits 2 with one line on %s', async (_, args, env, line) => {
    const { code, stderr, stdout } = await expiring(args, { TOKENGRAPH_URL: stack.url, ...env });
    expect({ code, stderr, stdout }).toEqual({ code: 2, stderr: line.replace('URL', stack.url), stdout: '' });
  });

  it('exits 2 with one line when tokengraph cannot be reached', async () => {
    const url = `http://127.0.0.1:${await closedPort()}/graphql`;
    const { code, stderr } = await expiring([], { TOKENGRAPH_URL: url });
    expect({ code, stderr }).toEqual({ code: 2, stderr: `tokengraph expiring: tokengraph at ${url} could not be reached (ECONNREFUSED)\n` });
  });

  it('without TOKENGRAPH_URL, reports on demo mode in its own process', async () => {
    const { code, stdout } = await expiring(['--within', '4d', '--fail']);
    expect(code).toBe(1);
    expect(stdout).toContain('Treasure Hunt');
    expect(stdout.trim().split('\n').at(-1)).toBe('2 tokens expire within 4d.');
  });
});
