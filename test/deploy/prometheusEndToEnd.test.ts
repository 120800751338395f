/**
 * The shipped alert rules against a real Prometheus (Debian's `prometheus`, installed by the
 * pretest step): a demo tokengraph with its background refresh on, behind an API key, is scraped
 * by a Prometheus started here on loopback (its own temporary storage, scrape and evaluation every
 * second), with deploy/prometheus/tokengraph.rules.yml; Prometheus' HTTP API is asked until
 * TokenExpiringSoon fires for the demo token expiring in 3 days and TokenExpired for an expired one.
 * Then a NetBird user's token list fails at every refresh: TokenExpired for that user's expired
 * token goes on firing (its series keeps its last value, contract §8) and TokenInventoryIncomplete
 * fires for NETBIRD. And `promtool check metrics` accepts everything tokengraph exports.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readConfig } from '../../src/config/readConfig.js';
import { DEMO_ASTRA_ACCOUNTS, DEMO_WATCH } from '../../src/demo/demoData.js';
import type { TokenKey } from '../../src/sources.js';
import { closedPort, startStack, type Stack } from '../harness.js';

const API_KEY = 'prometheus-scrape-key-0123456789';
const RULES = resolve('deploy/prometheus/tokengraph.rules.yml');

let stack: Stack;
let prometheus: ChildProcess | undefined;
let dir: string;
let api: string;
let log = '';

beforeAll(async () => {
  stack = await startStack({
    apiKeys: [API_KEY],
    config: { inventory: { ...readConfig({}).inventory, watch: DEMO_WATCH as TokenKey[], astraAccountIds: [...DEMO_ASTRA_ACCOUNTS], refreshS: 1 } },
  });
  dir = await mkdtemp(join(tmpdir(), 'tokengraph-prometheus-e2e-'));
  const target = new URL(stack.url).host;
  await writeFile(
    join(dir, 'prometheus.yml'),
    [
      'global: { scrape_interval: 1s, evaluation_interval: 1s }',
      `rule_files: [${JSON.stringify(RULES)}]`,
      'scrape_configs:',
      '  - job_name: tokengraph',
      '    metrics_path: /metrics',
      `    authorization: { credentials: ${JSON.stringify(API_KEY)} }`,
      `    static_configs: [{ targets: [${JSON.stringify(target)}] }]`,
      '',
    ].join('\n'),
  );
  const port = await closedPort();
  api = `http://127.0.0.1:${port}/api/v1`;
  prometheus = spawn('prometheus', [`--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`], { stdio: ['ignore', 'pipe', 'pipe'] });
  prometheus.stdout!.on('data', (chunk: Buffer) => (log += chunk.toString()));
  prometheus.stderr!.on('data', (chunk: Buffer) => (log += chunk.toString()));
  await new Promise<void>((resolvePromise, reject) => {
    prometheus!.once('spawn', resolvePromise);
    prometheus!.once('error', (error) => reject(new Error(`prometheus could not be started (is Debian's prometheus installed? npm test's pretest step installs it): ${error.message}`)));
  });
}, 30_000);

afterAll(async () => {
  if (prometheus?.pid && prometheus.exitCode === null) {
    const exited = new Promise((resolvePromise) => prometheus!.once('exit', resolvePromise));
    prometheus.kill('SIGTERM');
    await exited;
  }
  await stack?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

interface Alert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  state: string;
  /** When the alert became active: the same while it never resolved. */
  activeAt: string;
}

async function firing(): Promise<Alert[]> {
  try {
    const answer = (await (await fetch(`${api}/alerts`)).json()) as { data: { alerts: Alert[] } };
    return answer.data.alerts.filter((alert) => alert.state === 'firing');
  } catch {
    return []; // not up yet
  }
}

const sleep = (ms: number) => new Promise((resolvePromise) => setTimeout(resolvePromise, ms));

describe('Prometheus with the shipped rules, scraping a demo tokengraph', () => {
  it('fires TokenExpiringSoon for the token expiring in 3 days and TokenExpired for an expired one', async () => {
    let alerts: Alert[] = [];
    const has = (name: string, tokenId: string) => alerts.some((alert) => alert.labels.alertname === name && alert.labels.token_id === tokenId);
    for (let i = 0; i < 120 && !(has('TokenExpiringSoon', 'game-demo-2') && has('TokenExpired', 'game-demo-1')); i++) {
      await sleep(500);
      alerts = await firing();
    }
    expect(has('TokenExpiringSoon', 'game-demo-2'), `alerts: ${JSON.stringify(alerts.map((a) => a.labels))}\nprometheus: ${log.slice(-2000)}`).toBe(true);
    expect(has('TokenExpired', 'game-demo-1')).toBe(true);
    const soon = alerts.find((alert) => alert.labels.alertname === 'TokenExpiringSoon' && alert.labels.token_id === 'game-demo-2')!;
    expect(soon.labels).toMatchObject({ severity: 'warning', source: 'GAME', name: 'Treasure Hunt', owner: 'player-4711', job: 'tokengraph' });
    expect(soon.annotations.summary).toMatch(/^GAME token game-demo-2 expires in (2d 23h|3d)/);
    // One alert per token across replicas: the rules aggregate the instance label away.
    expect(soon.labels.instance).toBeUndefined();
    expect(alerts.find((alert) => alert.labels.alertname === 'TokenExpired' && alert.labels.token_id === 'game-demo-1')!.labels.severity).toBe('critical');
    // Scraped with the key: the target is up, and a scrape without it is refused.
    expect((await fetch(new URL('/metrics', stack.url))).status).toBe(401);
  }, 90_000);

  it("keeps TokenExpired firing for an expired token while its part cannot be read, and fires TokenInventoryIncomplete for the source", async () => {
    // nb-demo-2, alice's "old laptop", expired 10 days ago; only alice's token list holds it (not watched).
    const expired = (alerts: Alert[]) => alerts.find((alert) => alert.labels.alertname === 'TokenExpired' && alert.labels.token_id === 'nb-demo-2');
    let alerts = await firing();
    for (let i = 0; i < 40 && !expired(alerts); i++) {
      await sleep(250);
      alerts = await firing();
    }
    const before = expired(alerts);
    expect(before, `alerts: ${JSON.stringify(alerts.map((a) => a.labels))}`).toMatchObject({ labels: { source: 'NETBIRD', owner: 'alice', severity: 'critical' } });

    const failedFrom = Date.now();
    stack.upstreams.netbird.inject({ fault: { kind: 'status', status: 503 }, match: (call) => call.path === '/api/users/alice/tokens' });
    // Incomplete fires after 3 refresh periods (3 s here) without a complete read; wait for it, and
    // at least 2 periods and 2 evaluations in any case.
    const incomplete = (alerts: Alert[]) => alerts.find((alert) => alert.labels.alertname === 'TokenInventoryIncomplete' && alert.labels.source === 'NETBIRD');
    for (let i = 0; i < 60 && !(incomplete(alerts) && Date.now() - failedFrom >= 4000); i++) {
      await sleep(250);
      alerts = await firing();
    }
    // The refreshes meanwhile asked for alice's tokens and were refused each time.
    expect(stack.calls('netbird').filter((call) => call.path === '/api/users/alice/tokens' && call.at > failedFrom).length).toBeGreaterThanOrEqual(2);
    expect(incomplete(alerts), `alerts: ${JSON.stringify(alerts.map((a) => a.labels))}\nprometheus: ${log.slice(-2000)}`).toMatchObject({ labels: { severity: 'warning', job: 'tokengraph' } });
    expect(incomplete(alerts)!.labels.instance).toBeUndefined();
    // Still firing, and never resolved meanwhile (a resolved alert that fires again has a new activeAt).
    expect(expired(alerts)).toMatchObject({ state: 'firing', activeAt: before!.activeAt });
    stack.upstreams.netbird.clearFaults();
  }, 30_000);
});

describe('promtool check metrics', () => {
  it("accepts everything tokengraph exports, the inventory's series included", async () => {
    const text = await (await fetch(new URL('/metrics', stack.url), { headers: { authorization: `Bearer ${API_KEY}` } })).text();
    expect(text).toContain('tokengraph_token_expiry_timestamp_seconds{');
    const result = await new Promise<{ code: number; output: string }>((resolvePromise) => {
      const child = execFile('promtool', ['check', 'metrics'], { timeout: 30_000 }, (error, stdout, stderr) =>
        resolvePromise({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, output: `${stdout}${stderr}` }),
      );
      child.stdin!.end(text);
    });
    expect(result, result.output).toEqual({ code: 0, output: '' });
  });
});
