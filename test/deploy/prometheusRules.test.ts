/**
 * The shipped Prometheus files, checked by Prometheus's own promtool: the alert rules (the optional
 * findings rules too) load, their unit tests in deploy/prometheus/tests/ pass, and the example
 * configuration is valid (with the rules it names). promtool must be installed (Debian: `apt
 * install prometheus`); without it these tests fail rather than skip. One test feeds promtool a
 * wrong expectation to show that a failing rule test is seen as a failure.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const PROMTOOL = process.env.PROMTOOL ?? 'promtool';
const DIR = resolve('deploy/prometheus');
const RULES = join(DIR, 'tokengraph.rules.yml');
/** Optional rules, not in the example configuration: the findings alerts. */
const FINDINGS_RULES = join(DIR, 'tokengraph.findings.rules.yml');
const CONFIG = join(DIR, 'prometheus.yml');

interface Result {
  code: number;
  output: string;
}

/** Runs promtool; resolves with its exit code and output, rejects only if it cannot be started. */
function promtool(...args: string[]): Promise<Result> {
  return new Promise((resolvePromise, reject) => {
    execFile(PROMTOOL, args, { timeout: 30_000 }, (error, stdout, stderr) => {
      const output = `$ promtool ${args.join(' ')}\n${stdout}${stderr}`;
      if (!error) return resolvePromise({ code: 0, output });
      if (typeof error.code === 'number') return resolvePromise({ code: error.code, output });
      // Not an exit status: promtool missing (ENOENT) or killed by the timeout.
      reject(new Error(`${PROMTOOL} did not run (${error.code ?? error.signal ?? error.message}); is Prometheus's promtool installed?\n${output}`));
    });
  });
}

const temporary: string[] = [];
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'tokengraph-prometheus-'));
  temporary.push(dir);
  return dir;
}
afterAll(() => Promise.all(temporary.map((dir) => rm(dir, { recursive: true, force: true }))));

describe('Prometheus rules and configuration', () => {
  it('the alert rules load, the optional findings rules too', async () => {
    const { code, output } = await promtool('check', 'rules', RULES);
    expect(code, output).toBe(0);
    expect(output).toContain('SUCCESS: 5 rules found');
    const findings = await promtool('check', 'rules', FINDINGS_RULES);
    expect(findings.code, findings.output).toBe(0);
    expect(findings.output).toContain('SUCCESS: 1 rules found');
  });

  it('the rule unit tests pass', async () => {
    const tests = (await readdir(join(DIR, 'tests'))).filter((name) => name.endsWith('.yml'));
    expect(tests.length).toBeGreaterThan(0);
    const { code, output } = await promtool('test', 'rules', ...tests.map((name) => join(DIR, 'tests', name)));
    expect(code, output).toBe(0);
    expect(output).toContain('SUCCESS');
  });

  it('a rule test with a wrong expectation fails', async () => {
    const dir = await tempDir();
    const test = join(dir, 'wrong.test.yml');
    // A token expiring in 3 days fires TokenExpiringSoon; this expects nothing.
    await writeFile(
      test,
      [
        `rule_files: [${JSON.stringify(RULES)}]`,
        'tests:',
        '  - input_series:',
        `      - series: 'tokengraph_token_expiry_timestamp_seconds{source="NETBIRD", token_id="nb-1"}'`,
        `        values: '259200+0x10'`,
        '    alert_rule_test:',
        '      - eval_time: 1m',
        '        alertname: TokenExpiringSoon',
        '        exp_alerts: []',
        '',
      ].join('\n'),
    );
    const { code, output } = await promtool('test', 'rules', test);
    expect(code, output).not.toBe(0);
    expect(output).toContain('alertname: TokenExpiringSoon');
  });

  it('the example configuration is valid, with its rules, and sends the API key as authorization credentials', async () => {
    const original = await readFile(CONFIG, 'utf8');
    expect(original).toMatch(/authorization:\n\s+credentials: \S+\n/);
    const { code, output } = await promtool('check', 'config', CONFIG);
    expect(code, output).toBe(0);
    expect(output).toContain('SUCCESS: 1 rule files found');
    expect(output).toContain('SUCCESS: 5 rules found');
  });
});
