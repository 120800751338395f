/** `npm run example`: the inventory table printed in a terminal, from demo tokengraph started in-process. */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const example = (args: string[] = []) => run(process.execPath, ['--import', 'tsx', 'examples/overviewTable.ts', ...args], { env: { ...process.env, TOKENGRAPH_URL: '' } });

/** The table's rows: the lines between the header's rule and the first blank line. */
function tableRows(lines: string[]): string[] {
  const rule = lines.findIndex((line) => line.includes('────'));
  const end = lines.indexOf('', rule);
  return lines.slice(rule + 1, end);
}

describe('npm run example', () => {
  it('prints the whole inventory, every source, soonest expiry first, expired and soon-expiring rows marked, then its count', async () => {
    const { stdout } = await example();
    const lines = stdout.split('\n');
    const header = lines.find((line) => line.includes('SOURCE'))!;
    expect(header).toMatch(/SOURCE\s+NAME\s+OWNER\s+CREATED\s+LAST USED\s+EXPIRES\s+STATUS/);
    const rows = tableRows(lines);
    for (const label of ['Crafter access token', 'Crafter ticket', 'Astra Control', 'NetBird', 'Games']) {
      expect(rows.some((line) => line.includes(label)), label).toBe(true);
    }
    // The state line counts every row of every page.
    expect(stdout).toMatch(new RegExp(`\\n${rows.length} tokens · ${rows.length} shown · collected \\d\\d:\\d\\d:\\d\\d UTC\\n`));
    expect(rows.length).toBeGreaterThan(200);

    // Soonest expiry first; tokens with no expiry last.
    const column = header.indexOf('EXPIRES');
    const expires = rows.map((line) => line.slice(column, column + 16).trim());
    const dated = expires.filter((value) => value !== '—');
    expect(dated).toEqual([...dated].sort());
    expect(expires.slice(dated.length).every((value) => value === '—')).toBe(true);

    expect(rows.find((line) => line.includes('old laptop'))).toMatch(/^! .*EXPIRED$/);
    expect(rows.find((line) => line.includes('Treasure Hunt'))).toMatch(/^! .*ACTIVE · expires soon$/);
    expect(rows.find((line) => line.includes('staging deploy'))).toMatch(/^! .*ACTIVE · expires soon$/);
    // nb-demo-1 (generated tokens are named "CI deploy <n>").
    expect(rows.find((line) => /CI deploy {2,}alice/.test(line))).toMatch(/^ {2}.*ACTIVE$/);
    expect(stdout).not.toContain('failing');
    expect(stdout).not.toContain('could not be read');
  }, 30_000);

  it('adds the watch-list arguments, marked, among the rows by expiry', async () => {
    const { stdout } = await example(['GAME/game-demo-2', 'NETBIRD/bob/nb-demo-22', 'GAME/no-such-game']);
    const lines = stdout.split('\n');
    const rows = tableRows(lines);
    // A token the server watches already: one row, marked.
    expect(rows.filter((line) => /Treasure Hunt \(watched\)/.test(line))).toHaveLength(1);
    // Another regular user's token, which NetBird refuses an admin one by one too (contract §10).
    expect(rows.filter((line) => /bob\/nb-demo-22.*UPSTREAM_FORBIDDEN/.test(line))).toHaveLength(1);
    expect(rows.at(-1)).toMatch(/Games +Games no-such-game \(watched\) .*not found$/);
    expect(stdout).toMatch(/\n\d+ tokens · \d+ shown \+ 2 watched · collected /);
  }, 30_000);

  it('refuses an unreadable reference with a clear line', async () => {
    await expect(run(process.execPath, ['--import', 'tsx', 'examples/overviewTable.ts', 'GITHUB/x'], { env: { ...process.env, TOKENGRAPH_URL: 'http://127.0.0.1:9/graphql' } })).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining('not a token reference: "GITHUB/x"'),
    });
  });
});
