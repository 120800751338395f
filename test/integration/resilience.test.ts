/**
 * Upstream faults over real HTTP: for each, the contract's error code, the number of
 * attempts the upstream saw, and the other sources' fields still answered in the same
 * request. Then the circuit breaker, the bulkhead, deadlines and cancellation.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { FaultRule } from '../../src/demo/fakeUpstream.js';
import { createLogger } from '../../src/observability/createLogger.js';
import { createTokengraph } from '../../src/http/createTokengraph.js';
import { closedPort, errorAt, startStack, testConfig, testSource, type Stack } from '../harness.js';

const NETBIRD = 'netbirdToken(userId: "alice", tokenId: "nb-demo-1") { name }';
const OTHERS = `
  gameToken(id: "game-demo-1") { name }
  astraToken(accountId: "acme", userId: "ops-admin", tokenId: "astra-demo-1") { name }
  crafterTicket(id: $ticket) { tenant }
  crafterAccessTokens { name }`;
/** `fields` and OTHERS in one operation, with the ticket id (a credential) as a variable. */
const withOthers = (fields: string): [string, Record<string, string>] => [`query ($ticket: String!) { ${fields} ${OTHERS} }`, { ticket: '2e911e0b-ac47-423e-9174-4e8896f1b387' }];

function expectOthersAnswered(data: Record<string, any> | null | undefined) {
  expect(data?.gameToken?.name).toBeTruthy();
  expect(data?.astraToken?.name).toBeTruthy();
  expect(data?.crafterTicket?.tenant).toBe('default');
  expect(data?.crafterAccessTokens?.length).toBeGreaterThan(0);
}

describe('faults, attempts and partial results', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({
      timeoutMs: 1000,
      resilience: { retries: 2, retryBaseDelayMs: 10, retryMaxDelayMs: 40 },
      limits: { upstreamBodyTimeoutMs: 300, maxUpstreamBodyBytes: 64 * 1024, requestDeadlineMs: 5000 },
    });
  });
  afterAll(() => stack.close());
  beforeEach(() => stack.reset());

  let n = 0;
  const everyOther: FaultRule = { fault: { kind: 'status', status: 502 }, match: () => n++ % 2 === 0 };

  it.each<{ name: string; rules: FaultRule[]; code: string | null; attempts: number }>([
    { name: 'a hanging upstream', rules: [{ fault: { kind: 'hang' } }], code: 'UPSTREAM_TIMEOUT', attempts: 1 },
    { name: 'a body trickling slower than the read limit', rules: [{ fault: { kind: 'trickle', bytesPerChunk: 1, intervalMs: 40 } }], code: 'UPSTREAM_TIMEOUT', attempts: 1 },
    { name: 'a reset in the middle of the body', rules: [{ fault: { kind: 'resetMidBody' } }], code: 'UPSTREAM_INVALID_RESPONSE', attempts: 1 },
    { name: 'a reset before any answer, every time', rules: [{ fault: { kind: 'reset' } }], code: 'UPSTREAM_UNAVAILABLE', attempts: 3 },
    { name: 'a reset before any answer, once', rules: [{ fault: { kind: 'reset' }, times: 1 }], code: null, attempts: 2 },
    { name: '503 three times', rules: [{ fault: { kind: 'status', status: 503 } }], code: 'UPSTREAM_UNAVAILABLE', attempts: 3 },
    // A 429 without Retry-After pauses the upstream instead (test/integration/rateBudget.test.ts).
    { name: '429 once, with Retry-After: 0', rules: [{ fault: { kind: 'status', status: 429, headers: { 'retry-after': '0' } }, times: 1 }], code: null, attempts: 2 },
    { name: '504 twice', rules: [{ fault: { kind: 'status', status: 504 }, times: 2 }], code: null, attempts: 3 },
    { name: 'an upstream failing every other call', rules: [everyOther], code: null, attempts: 2 },
    { name: 'an oversize body', rules: [{ fault: { kind: 'oversize', bytes: 200 * 1024 } }], code: 'UPSTREAM_INVALID_RESPONSE', attempts: 1 },
    { name: 'an oversize chunked body with no length', rules: [{ fault: { kind: 'oversize', bytes: 200 * 1024, chunked: true } }], code: 'UPSTREAM_INVALID_RESPONSE', attempts: 1 },
    { name: 'malformed JSON', rules: [{ fault: { kind: 'malformed' } }], code: 'UPSTREAM_INVALID_RESPONSE', attempts: 1 },
    { name: 'a 100 KB response header', rules: [{ fault: { kind: 'hugeHeader', bytes: 100 * 1024 } }], code: 'UPSTREAM_INVALID_RESPONSE', attempts: 1 },
    { name: 'a wrong content type with an HTML body', rules: [{ fault: { kind: 'body', contentType: 'text/html', body: '<html><body>Gateway login</body></html>' } }], code: 'UPSTREAM_INVALID_RESPONSE', attempts: 1 },
    { name: '400, never retried', rules: [{ fault: { kind: 'status', status: 400 } }], code: 'UPSTREAM_BAD_REQUEST', attempts: 1 },
    { name: '401, never retried', rules: [{ fault: { kind: 'status', status: 401 } }], code: 'UPSTREAM_UNAUTHORIZED', attempts: 1 },
    { name: '403, never retried', rules: [{ fault: { kind: 'status', status: 403 } }], code: 'UPSTREAM_FORBIDDEN', attempts: 1 },
    { name: '500, never retried', rules: [{ fault: { kind: 'status', status: 500 } }], code: 'UPSTREAM_ERROR', attempts: 1 },
  ])('$name → $code after $attempts attempt(s)', async ({ rules, code, attempts }) => {
    n = 0;
    for (const rule of rules) stack.upstreams.netbird.inject(rule);
    const response = await stack.query(...withOthers(NETBIRD));
    if (code === null) {
      expect(response.body.errors).toBeUndefined();
      expect(response.body.data?.netbirdToken).toEqual({ name: 'CI deploy' });
    } else {
      expect(response.body.data?.netbirdToken).toBeNull();
      expect(response.body.errors).toHaveLength(1);
      expect(errorAt(response, 'netbirdToken')?.extensions).toMatchObject({ code, upstream: { source: 'NETBIRD' } });
    }
    expect(stack.calls('netbird')).toHaveLength(attempts);
    expectOthersAnswered(response.body.data);
  });

  it('a trickling body is cut at the read limit, not the call deadline', async () => {
    stack.upstreams.netbird.inject({ fault: { kind: 'trickle', bytesPerChunk: 1, intervalMs: 40 } });
    const response = await stack.query(`{ ${NETBIRD} }`);
    expect(errorAt(response, 'netbirdToken')?.message).toBe('NETBIRD did not finish its response within 300 ms of its headers');
  });

  it('a valid body under a wrong content type is accepted', async () => {
    const body = JSON.stringify({ id: 'nb-demo-1', name: 'CI deploy', created_by: 'alice', created_at: '2023-04-26T12:12:56.621Z', expiration_date: '2099-01-01T00:00:00Z' });
    stack.upstreams.netbird.inject({ fault: { kind: 'body', contentType: 'text/plain', body } });
    const response = await stack.query(`{ ${NETBIRD} }`);
    expect(response.body).toEqual({ data: { netbirdToken: { name: 'CI deploy' } } });
  });

  it('honours Retry-After before retrying a 503', async () => {
    stack.upstreams.netbird.inject({ fault: { kind: 'status', status: 503, headers: { 'retry-after': '1' } }, times: 1 });
    const response = await stack.query(...withOthers(NETBIRD));
    expect(response.body.errors).toBeUndefined();
    const [first, second] = stack.calls('netbird');
    expect(stack.calls('netbird')).toHaveLength(2);
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(1000);
  });

  it('does not retry when Retry-After would pass the request deadline', async () => {
    stack.upstreams.netbird.inject({ fault: { kind: 'status', status: 503, headers: { 'retry-after': '60' } } });
    const response = await stack.query(...withOthers(NETBIRD));
    expect(errorAt(response, 'netbirdToken')?.extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', upstream: { source: 'NETBIRD', status: 503 } });
    expect(stack.calls('netbird')).toHaveLength(1);
    expectOthersAnswered(response.body.data);
  });
});

describe('connection refused', () => {
  it('is UPSTREAM_UNAVAILABLE after the retries, counted by tokengraph itself', async () => {
    const port = await closedPort();
    const stack = await startStack({ configured: ['astra', 'games'], resilience: { retries: 2, retryBaseDelayMs: 5, retryMaxDelayMs: 10 } });
    const tokengraph = await createTokengraph(
      testConfig({
        upstreams: {
          netbird: testSource(`http://127.0.0.1:${port}`, 'nb', { resilience: { ...testSource('http://x', 'x').resilience, retries: 2, retryBaseDelayMs: 5, retryMaxDelayMs: 10 } }),
          games: testSource(stack.upstreams.games.baseUrl, 'demo-games-token'),
        },
      }),
      createLogger('silent'),
    );
    const url = await tokengraph.listen();
    try {
      const post = async (query: string) =>
        (await (await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) })).json()) as any;
      const body = await post(`{ ${NETBIRD} gameToken(id: "game-demo-1") { name } }`);
      expect(body.data.netbirdToken).toBeNull();
      expect(body.data.gameToken.name).toBeTruthy();
      expect(body.errors[0].extensions).toEqual({ code: 'UPSTREAM_UNAVAILABLE', upstream: { source: 'NETBIRD' } });
      const health = await post('{ sources { source recentCalls errorRate lastErrorCode } }');
      expect(health.data.sources.find((s: { source: string }) => s.source === 'NETBIRD')).toEqual({
        source: 'NETBIRD',
        recentCalls: 3,
        errorRate: 1,
        lastErrorCode: 'UPSTREAM_UNAVAILABLE',
      });
    } finally {
      await tokengraph.close();
      await stack.close();
    }
  });
});

describe('circuit breaker', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ resilience: { retries: 0, breakerThreshold: 3, breakerHalfOpenMs: 300 } });
  });
  afterAll(() => stack.close());

  const health = async () => {
    const response = await stack.query('{ sources { source configured circuit lastErrorCode recentCalls errorRate latencyP50Ms latencyP99Ms lastErrorAt } }');
    return Object.fromEntries((response.body.data!.sources as Array<{ source: string }>).map((s) => [s.source, s])) as Record<string, any>;
  };

  it('opens after repeated failures, fails at once without calling, and a half-open probe closes it', async () => {
    stack.upstreams.netbird.inject({ fault: { kind: 'status', status: 500 } });
    for (let i = 0; i < 3; i++) {
      const response = await stack.query(`{ ${NETBIRD} }`);
      expect(errorAt(response, 'netbirdToken')?.extensions?.code).toBe('UPSTREAM_ERROR');
    }
    expect(stack.calls('netbird')).toHaveLength(3);
    expect((await health()).NETBIRD).toMatchObject({ configured: true, circuit: 'OPEN', lastErrorCode: 'UPSTREAM_ERROR', errorRate: 1 });

    // Open: no upstream call, UPSTREAM_UNAVAILABLE at once, other sources untouched.
    const open = await stack.query(...withOthers(NETBIRD));
    expect(errorAt(open, 'netbirdToken')?.extensions).toEqual({ code: 'UPSTREAM_UNAVAILABLE', upstream: { source: 'NETBIRD' } });
    expect(errorAt(open, 'netbirdToken')?.message).toMatch(/circuit is open/);
    expect(stack.calls('netbird')).toHaveLength(3);
    expectOthersAnswered(open.body.data);
    const states = await health();
    expect(states.GAME.circuit).toBe('CLOSED');
    expect(states.NETBIRD.lastErrorCode).toBe('UPSTREAM_UNAVAILABLE');

    // The upstream recovers; after the half-open delay one probe goes through and closes it.
    stack.upstreams.netbird.clearFaults();
    await new Promise((resolve) => setTimeout(resolve, 350));
    expect((await health()).NETBIRD.circuit).toBe('OPEN');
    const probe = await stack.query(`{ ${NETBIRD} }`);
    expect(probe.body).toEqual({ data: { netbirdToken: { name: 'CI deploy' } } });
    expect(stack.calls('netbird')).toHaveLength(4);
    const after = (await health()).NETBIRD;
    expect(after.circuit).toBe('CLOSED');
    expect(after.latencyP50Ms).toBeGreaterThanOrEqual(0);
    expect(after.lastErrorAt).toMatch(/Z$/);
  });

  it('is not opened by answers such as 404 or 401', async () => {
    stack.reset();
    stack.upstreams.games.inject({ fault: { kind: 'status', status: 401 } });
    for (let i = 0; i < 4; i++) await stack.query('{ gameToken(id: "game-demo-1") { name } }');
    expect(stack.calls('games')).toHaveLength(4);
    expect((await health()).GAME.circuit).toBe('CLOSED');
  });

  it('is not opened by 429s: the upstream is well, only the credential over its limit (the rate budget pauses that credential)', async () => {
    stack.reset();
    // Retry-After: 0, so that no pause keeps the calls from being sent.
    stack.upstreams.games.inject({ fault: { kind: 'status', status: 429, headers: { 'retry-after': '0' } }, times: 5 });
    for (let i = 0; i < 5; i++) {
      const response = await stack.query('{ gameToken(id: "game-demo-1") { name } }');
      expect(errorAt(response, 'gameToken')?.extensions).toMatchObject({ code: 'UPSTREAM_UNAVAILABLE', upstream: { status: 429 } });
    }
    expect(stack.calls('games')).toHaveLength(5);
    expect((await health()).GAME.circuit).toBe('CLOSED');
    expect((await stack.query('{ gameToken(id: "game-demo-1") { name } }')).body.errors).toBeUndefined();
    expect(stack.calls('games')).toHaveLength(6);
  });
});

describe('bulkhead', () => {
  it('refuses calls beyond its slots and queue at once', async () => {
    const stack = await startStack({ resilience: { maxConcurrency: 2, maxQueue: 1 } });
    try {
      stack.upstreams.netbird.latencyMs = 300;
      const refs = ['nb-demo-1', 'nb-demo-2', 'nb-a', 'nb-b', 'nb-c'].map((tokenId) => ({ source: 'NETBIRD', userId: 'alice', tokenId }));
      const response = await stack.query('query ($refs: [TokenRef!]!) { tokens(refs: $refs) { tokenId } }', { refs });
      const codes = (response.body.errors ?? []).map((e) => [e.path, e.extensions?.code, e.message]);
      expect(codes).toEqual([
        [['tokens', 3], 'UPSTREAM_UNAVAILABLE', 'NETBIRD is shedding load: too many calls in flight'],
        [['tokens', 4], 'UPSTREAM_UNAVAILABLE', 'NETBIRD is shedding load: too many calls in flight'],
      ]);
      expect(response.body.data?.tokens[0]).toEqual({ tokenId: 'nb-demo-1' });
      // Two in flight, one queued behind them: three calls, never more than two at once.
      expect(stack.calls('netbird')).toHaveLength(3);
      expect(stack.meter.max).toBe(2);
    } finally {
      await stack.close();
    }
  });
});

describe('deadlines and cancellation', () => {
  it('bounds the whole request by the request deadline', async () => {
    const stack = await startStack({ timeoutMs: 10_000, limits: { requestDeadlineMs: 400 } });
    try {
      stack.upstreams.netbird.inject({ fault: { kind: 'hang' } });
      const started = Date.now();
      const response = await stack.query(`{ ${NETBIRD} gameToken(id: "game-demo-1") { name } }`);
      expect(errorAt(response, 'netbirdToken')?.extensions?.code).toBe('UPSTREAM_TIMEOUT');
      expect(errorAt(response, 'netbirdToken')?.message).toBe("NETBIRD did not answer before the request's deadline");
      expect(response.body.data?.gameToken).not.toBeNull();
      // Far below the 10 s per-call timeout: the deadline, not the call timeout, ended it.
      expect(Date.now() - started).toBeLessThan(5000);
    } finally {
      await stack.close();
    }
  });

  it('aborts in-flight upstream calls when the client disconnects', async () => {
    const stack = await startStack({ timeoutMs: 10_000, limits: { requestDeadlineMs: 10_000 } });
    try {
      stack.upstreams.netbird.inject({ fault: { kind: 'hang' } });
      const client = new AbortController();
      const request = fetch(stack.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: `{ ${NETBIRD} }` }),
        signal: client.signal,
      }).catch(() => 'aborted');
      await until(() => stack.meter.current === 1);
      client.abort();
      expect(await request).toBe('aborted');
      // The upstream sees its request's connection closed long before any timeout.
      await until(() => stack.meter.current === 0, 3000);
      const health = await stack.query('{ sources { source lastErrorCode } }');
      // A cancelled call says nothing about the upstream's health.
      expect((health.body.data!.sources as Array<{ source: string; lastErrorCode: string | null }>).find((s) => s.source === 'NETBIRD')?.lastErrorCode).toBeNull();
    } finally {
      await stack.close();
    }
  });
});

describe('/readyz and /healthz', () => {
  it('report each source state', async () => {
    const stack = await startStack({ configured: ['netbird', 'games'] });
    try {
      const base = stack.url.replace(/\/graphql$/, '');
      expect(await (await fetch(`${base}/healthz`)).json()).toEqual({ status: 'ok' });
      const ready = await fetch(`${base}/readyz`);
      expect(ready.status).toBe(200);
      const body = (await ready.json()) as { status: string; sources: Array<{ source: string; configured: boolean; circuit: string | null }> };
      expect(body.status).toBe('ready');
      expect(body.sources.map((s) => [s.source, s.configured, s.circuit])).toEqual([
        ['CRAFTER_TICKET', false, null],
        ['CRAFTER_ACCESS_TOKEN', false, null],
        ['ASTRA', false, null],
        ['NETBIRD', true, 'CLOSED'],
        ['GAME', true, 'CLOSED'],
      ]);
    } finally {
      await stack.close();
    }
  });
});

async function until(condition: () => boolean, timeoutMs = 2000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

