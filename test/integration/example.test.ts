/** `npm run example`: the overview table printed in a terminal, from demo tokengraph started in-process. */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);

describe('npm run example', () => {
  it('prints one table with tokens from all five sources, expired and soon-expiring rows marked', async () => {
    const { stdout } = await run(process.execPath, ['--import', 'tsx', 'examples/overviewTable.ts'], { env: { ...process.env, TOKENGRAPH_URL: '' } });
    const lines = stdout.split('\n');
    expect(lines.find((line) => line.includes('SOURCE'))).toMatch(/SOURCE\s+NAME\s+OWNER\s+CREATED\s+LAST USED\s+EXPIRES\s+STATUS/);
    for (const label of ['Crafter access token', 'Crafter ticket', 'Astra Control', 'NetBird', 'Games']) {
      expect(lines.some((line) => line.includes(label)), label).toBe(true);
    }
    expect(lines.find((line) => line.includes('old laptop'))).toMatch(/^! .*EXPIRED$/);
    expect(lines.find((line) => line.includes('Treasure Hunt'))).toMatch(/^! .*ACTIVE · expires soon$/);
    expect(lines.find((line) => line.includes('CI deploy'))).toMatch(/^ {2}.*ACTIVE$/);
    expect(stdout).not.toContain('failing');
  }, 30_000);

  it('refuses an unreadable reference with a clear line', async () => {
    await expect(run(process.execPath, ['--import', 'tsx', 'examples/overviewTable.ts', 'GITHUB/x'], { env: { ...process.env, TOKENGRAPH_URL: 'http://127.0.0.1:9/graphql' } })).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining('not a token reference: "GITHUB/x"'),
    });
  });
});
