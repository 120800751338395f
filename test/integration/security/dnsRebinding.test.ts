/**
 * DNS rebinding: a web page that points its own host name at tokengraph's address makes the
 * browser send that name as `Host`. Where tokengraph answers without a key (demo mode,
 * TOKENGRAPH_AUTH=none; /metrics with TOKENGRAPH_METRICS_AUTH=none), such a request gets 421 on
 * every path, with no upstream call; localhost, IP addresses and the names of
 * TOKENGRAPH_ALLOWED_HOSTS are answered. Where a key is required, the key decides.
 */
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Config } from '../../../src/config/readConfig.js';
import { startStack, type Stack } from '../../harness.js';

const API_KEY = 'dns-rebinding-test-key-0123456789';
const REBOUND = 'rebind.attacker.example';
/** Demo mode's access: no key, and anyone may revoke. */
const DEMO_ACCESS: Config['access'] = { mode: 'open', why: 'demo', keyDigests: [], adminKeyDigests: [], mutations: 'anyone' };

interface Answer {
  status: number;
  body: string;
}

/** One request to `stack` with `host` as its Host header (what a browser sends for the page's own name). */
function send(stack: Stack, host: string, path: string, init: { method?: string; body?: string; headers?: Record<string, string> } = {}): Promise<Answer> {
  const { port } = new URL(stack.url);
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: init.method ?? 'GET', headers: { host: `${host}:${port}`, ...init.headers } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode!, body }));
    });
    req.on('error', reject);
    req.end(init.body);
  });
}

const query = (document: string, variables?: Record<string, unknown>) => ({
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ query: document, variables }),
});

const INVENTORY = query('{ inventory(first: 5) { totalCount nodes { name owner } } }');
const EVERY_PATH: Array<[string, string, ReturnType<typeof query> | { headers: Record<string, string> } | undefined]> = [
  ['the overview page', '/', undefined],
  ['GraphiQL', '/graphql', { headers: { accept: 'text/html' } }],
  ['a GraphQL query', '/graphql', INVENTORY],
  ['/metrics', '/metrics', undefined],
  ['/healthz', '/healthz', undefined],
  ['/readyz', '/readyz', undefined],
  ['an unknown path', '/nothing-here', undefined],
];

function expectRefused(answer: Answer): void {
  expect(answer.status).toBe(421);
  expect(JSON.parse(answer.body)).toEqual({
    errors: [{ message: expect.stringContaining('a host name listed in TOKENGRAPH_ALLOWED_HOSTS'), extensions: { code: 'HOST_NOT_ALLOWED' } }],
  });
}

describe('without a key (demo mode, TOKENGRAPH_AUTH=none)', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ config: { access: DEMO_ACCESS } });
  });
  afterAll(() => stack.close());

  it.each(EVERY_PATH)('refuses %s to a rebound host name with 421, naming TOKENGRAPH_ALLOWED_HOSTS, and calls no upstream', async (_, path, init) => {
    stack.reset();
    expectRefused(await send(stack, REBOUND, path, init));
    expect(stack.totalCalls()).toBe(0);
  });

  it('refuses a revocation to a rebound host name, and revokes nothing', async () => {
    stack.reset();
    const revoke = query('mutation { revokeTokens(refs: [{ source: NETBIRD, userId: "alice", tokenId: "nb-demo-2" }]) { outcome } }');
    expectRefused(await send(stack, REBOUND, '/graphql', revoke));
    expect(stack.calls('netbird')).toEqual([]);
  });

  it.each(['localhost', 'app.localhost', '127.0.0.1', '[::1]', '10.1.2.3'])('answers %s (no web page can rebind it)', async (host) => {
    const answer = await send(stack, host, '/graphql', INVENTORY);
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body).data.inventory.totalCount).toBeGreaterThan(0);
    for (const [, path, init] of EVERY_PATH) expect((await send(stack, host, path, init)).status, path).not.toBe(421);
  });
});

describe('TOKENGRAPH_ALLOWED_HOSTS', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ config: { allowedHosts: ['tokengraph.example.com', '.corp.example'] } });
  });
  afterAll(() => stack.close());

  it.each(['tokengraph.example.com', 'corp.example', 'tokengraph.corp.example'])('answers the listed %s', async (host) => {
    expect((await send(stack, host, '/graphql', INVENTORY)).status).toBe(200);
  });

  it.each(['x.tokengraph.example.com', 'corp.example.attacker.example', REBOUND])('still refuses %s', async (host) => {
    expectRefused(await send(stack, host, '/graphql', INVENTORY));
  });
});

describe('with keys', () => {
  let stack: Stack;
  let openMetrics: Stack;
  beforeAll(async () => {
    [stack, openMetrics] = await Promise.all([startStack({ apiKeys: [API_KEY] }), startStack({ apiKeys: [API_KEY], config: { metricsAuth: 'none' } })]);
  });
  afterAll(() => Promise.all([stack.close(), openMetrics.close()]));

  it('checks no Host: the key decides', async () => {
    expect((await send(stack, REBOUND, '/graphql', INVENTORY)).status).toBe(401);
    const keyed = { ...INVENTORY, headers: { ...INVENTORY.headers, authorization: `Bearer ${API_KEY}` } };
    expect((await send(stack, REBOUND, '/graphql', keyed)).status).toBe(200);
    expect((await send(stack, REBOUND, '/metrics')).status).toBe(401);
  });

  it('refuses /metrics to a rebound host name when TOKENGRAPH_METRICS_AUTH=none opens it, and answers it for an address', async () => {
    expectRefused(await send(openMetrics, REBOUND, '/metrics'));
    expect((await send(openMetrics, '127.0.0.1', '/metrics')).status).toBe(200);
    expect((await send(openMetrics, REBOUND, '/graphql', INVENTORY)).status).toBe(401);
  });
});
