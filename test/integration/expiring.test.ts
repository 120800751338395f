/**
 * `npm run expiring` as a cron job runs it: a child process against a real tokengraph
 * (TOKENGRAPH_URL and TOKENGRAPH_API_KEY), or a demo tokengraph of its own; its exit code says
 * whether anything has expired or expires (--fail: 1), or whether it cannot say (2: something
 * went wrong, with one line, or the inventory has gaps).
 */
import { execFile } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readConfig } from '../../src/config/readConfig.js';
import { DEMO_ASTRA_ACCOUNTS, DEMO_NETBIRD_CURRENT_USER, DEMO_WATCH, demoData } from '../../src/demo/demoData.js';
import { dateMillis } from '../../src/shared/dates.js';
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

const INVENTORY = { ...readConfig({}).inventory, watch: DEMO_WATCH as TokenKey[], astraAccountIds: [...DEMO_ASTRA_ACCOUNTS] };

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ apiKeys: [API_KEY], config: { inventory: INVENTORY } });
});
afterAll(() => stack.close());

/** The demo's tokens already expired (contract §5a), as the inventory has them, in its order. */
async function expiredIds(): Promise<string[]> {
  const answer = await stack.query('{ inventory(first: 500, filter: { status: [EXPIRED] }, orderBy: EXPIRES_AT_ASC) { nodes { tokenId } } }');
  return (answer.body.data!.inventory.nodes as Array<{ tokenId: string }>).map((node) => node.tokenId);
}

/**
 * How many tokens demo mode's inventory holds that have expired at `now`, from the demo data
 * (deterministic for a given now): the Crafter access tokens, the tokens of the NetBird users it
 * lists (the current user and the service users `GET /api/users` answers), the watched game
 * tokens; Astra's demo tokens never expire, and tickets have no expiry.
 */
function demoExpired(now: Date): number {
  const data = demoData(now);
  const listed = new Set([DEMO_NETBIRD_CURRENT_USER, ...data.netbirdUsers.filter((user) => user.is_service_user && !user.non_deletable && !user.account).map((user) => user.id)]);
  const watchedGames = new Set(DEMO_WATCH.filter((ref) => ref.source === 'GAME').map((ref) => ref.tokenId));
  const expired = (at: string | number | null | undefined) => at !== null && at !== undefined && dateMillis(at)! < now.getTime();
  return (
    data.crafterProfile.accessTokens.filter((token) => expired(token.expiresOn)).length +
    data.netbird.filter(({ userId, token }) => listed.has(userId) && expired(token.expiration_date)).length +
    data.games.filter((token) => watchedGames.has(token.TokenSourceId) && expired(token.ExpirationDate)).length
  );
}

describe('npm run expiring', () => {
  it('lists the tokens already expired first, marked expired, then those expiring within the window from TOKENGRAPH_URL, soonest first', async () => {
    const { code, stdout, stderr } = await expiring(['--within', '4d'], { TOKENGRAPH_URL: stack.url, TOKENGRAPH_API_KEY: API_KEY });
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    const rows = stdout.trim().split('\n');
    expect(rows[0]).toMatch(/^EXPIRES \(UTC\)\s+IN\s+SOURCE\s+NAME\s+OWNER\s+TOKEN ID$/);
    const expired = await expiredIds();
    expect(expired).toEqual(expect.arrayContaining(['game-demo-1', 'nb-demo-2']));
    const listed = rows.slice(1, -1).map((row) => ({ in: row.split(/\s{2,}/)[1], id: row.split(/\s{2,}/).at(-1) }));
    expect(listed.slice(0, expired.length).map((row) => row.id)).toEqual(expired);
    expect(listed.slice(0, expired.length).every((row) => /^expired \d+(d \d+h|h \d+m|m) ago$/.test(row.in!))).toBe(true);
    expect(listed.slice(expired.length).map((row) => row.id).sort()).toEqual(['game-demo-2', 'nb-demo-4']);
    expect(rows.at(-1)).toBe(`${expired.length} tokens have expired; 2 tokens expire within 4d.`);
  });

  it('--json: the same tokens, each marked expired or not, the window and the gaps', async () => {
    const { code, stdout } = await expiring(['--within', '4d', '--json'], { TOKENGRAPH_URL: stack.url, TOKENGRAPH_API_KEY: API_KEY });
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as { within: string; gaps: unknown[]; tokens: Array<{ tokenId: string; expiresAt: string; expired: boolean }> };
    expect(report.within).toBe('4d');
    const expired = await expiredIds();
    expect(report.tokens.filter((token) => token.expired).map((token) => token.tokenId)).toEqual(expired);
    expect(report.tokens.filter((token) => !token.expired).map((token) => token.tokenId).sort()).toEqual(['game-demo-2', 'nb-demo-4']);
    expect(report.gaps).toEqual([]);
  });

  it('--fail: exits 1 when any token is listed, expired ones included; 0 when none is', async () => {
    const env = { TOKENGRAPH_URL: stack.url, TOKENGRAPH_API_KEY: API_KEY };
    expect((await expiring(['--within', '4d', '--fail'], env)).code).toBe(1);
    // Nothing expires within the hour, but tokens have expired.
    expect((await expiring(['--within', '60m', '--fail'], env)).code).toBe(1);
    // Astra's demo tokens never expire: nothing to list.
    const astra = await startStack({ apiKeys: [API_KEY], configured: ['astra'], config: { inventory: { ...INVENTORY, watch: [] } } });
    try {
      const none = await expiring(['--within', '60m', '--fail'], { TOKENGRAPH_URL: astra.url, TOKENGRAPH_API_KEY: API_KEY });
      expect(none).toEqual({ code: 0, stdout: 'No token has expired or expires within 60m.\n', stderr: '' });
    } finally {
      await astra.close();
    }
  });

  it('--fail: exits 2 when the inventory has gaps, which it prints, since it cannot vouch for what it could not read', async () => {
    // NetBird refuses tokengraph's credential (401): none of its tokens can be read.
    const refused = await startStack({ apiKeys: [API_KEY], credentials: { netbird: 'not-a-netbird-pat' }, config: { inventory: INVENTORY } });
    const env = { TOKENGRAPH_URL: refused.url, TOKENGRAPH_API_KEY: API_KEY };
    try {
      const table = await expiring(['--within', '60m', '--fail'], env);
      expect(table.code).toBe(2);
      expect(table.stderr).toMatch(/^not read: NETBIRD, 1 part \(UPSTREAM_UNAUTHORIZED\): /m);
      // What it could read is still listed: the other sources' expired tokens.
      expect(table.stdout).toContain('game-demo-1');
      expect(table.stdout).not.toContain('nb-demo-');
      const json = await expiring(['--within', '60m', '--fail', '--json'], env);
      expect(json.code).toBe(2);
      expect((JSON.parse(json.stdout) as { gaps: Array<{ source: string; code: string }> }).gaps).toEqual([expect.objectContaining({ source: 'NETBIRD', code: 'UPSTREAM_UNAUTHORIZED' })]);
      // Without --fail it is a report, and the report says it: exit 0.
      expect((await expiring(['--within', '60m'], env)).code).toBe(0);
      for (const output of [table.stdout, table.stderr, json.stdout]) expect(output).not.toContain('not-a-netbird-pat');
    } finally {
      await refused.close();
    }
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
    const expired = demoExpired(new Date());
    // The same count as the inventory of this file's stack, which has demo mode's settings and data.
    expect(expired).toBe((await expiredIds()).length);
    expect(stdout.trim().split('\n').at(-1)).toBe(`${expired} tokens have expired; 2 tokens expire within 4d.`);
  });
});
