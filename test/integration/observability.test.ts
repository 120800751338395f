/**
 * Logs and metrics over real HTTP: the request id, the one log line per GraphQL request
 * (operation, status, upstream calls per source, error codes), upstream calls at debug
 * level with their path only, no credential anywhere, and `/metrics` counting what happened.
 */
import { connect } from 'node:net';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_CREDENTIALS } from '../../src/demo/demoData.js';
import { startStack, type Stack } from '../harness.js';

const TICKET = '2e911e0b-ac47-423e-9174-4e8896f1b387';
const API_KEY = 'observability-test-key-0123456789';
const MIXED_QUERY = `query Mixed($ticket: String!, $a: String!, $b: String!) {
  crafterTicket(id: $ticket) { tenant }
  crafterAccessTokens { name }
  a: crafterAccessToken(id: $a) { name }
  b: crafterAccessToken(id: $b) { name }
  netbirdToken(userId: "alice", tokenId: "nb-demo-1") { name }
  n2: netbirdToken(userId: "alice", tokenId: "nb-demo-2") { name }
  gameToken(id: "game-demo-1") { name }
}`;
/** The body of the mixed request: the ticket and access-token ids (credentials) as variables. */
const MIXED = { query: MIXED_QUERY, variables: { ticket: TICKET, a: 'e8f5170c-877b-416f-b70f-4b09772f8e2d', b: 'b4d44030-d0af-11e3-9c1a-0800200c9a66' } };

let stack: Stack;
let lines: Array<Record<string, any>> = [];
let raw = '';
/** A log destination that parses every line into `lines` (and keeps the text in `raw`), whichever stack writes it. */
const sink = () =>
  new Writable({
    write(chunk: Buffer, _encoding, done) {
      raw += chunk.toString();
      for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
beforeAll(async () => {
  stack = await startStack({ logger: pino({ level: 'debug' }, sink()), config: { metricsOperations: ['Mixed'] } });
});
afterAll(() => stack.close());
beforeEach(() => {
  stack.reset();
  lines = [];
  raw = '';
});

function post(body: unknown, headers: Record<string, string> = {}) {
  return fetch(stack.url, { method: 'POST', headers: { 'content-type': 'application/json', ...stack.authorization, ...headers }, body: JSON.stringify(body) });
}

/** The request lines appear when the response has finished; give the close event a moment. */
async function requestLines() {
  for (let i = 0; i < 50 && !lines.some((l) => l.msg === 'graphql request'); i++) await new Promise((r) => setTimeout(r, 10));
  return lines.filter((l) => l.msg === 'graphql request');
}

async function metrics(): Promise<string> {
  const response = await fetch(new URL('/metrics', stack.url), { headers: stack.authorization });
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return response.text();
}

/** The value of one sample line, e.g. `metric(text, 'x_total{a="b"}')`; 0 when absent. */
function sample(text: string, series: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : 0;
}

describe('request id', () => {
  it('echoes a sane x-request-id and logs it', async () => {
    const response = await post({ query: '{ gameToken(id: "game-demo-1") { name } }' }, { 'x-request-id': 'req-42.abc' });
    expect(response.headers.get('x-request-id')).toBe('req-42.abc');
    expect((await requestLines())[0]?.requestId).toBe('req-42.abc');
  });

  it.each([
    ['absent', undefined],
    ['too long', 'x'.repeat(129)],
    ['with a space', 'a b'],
    ['non-ASCII', 'é'],
  ])('generates a UUID when the header is %s', async (_, header) => {
    const response = await post({ query: '{ gameToken(id: "game-demo-1") { name } }' }, header === undefined ? {} : { 'x-request-id': header });
    const id = response.headers.get('x-request-id');
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect((await requestLines())[0]?.requestId).toBe(id);
  });

  it('is different for every request without one', async () => {
    const [a, b] = await Promise.all([post({ query: '{ __typename }' }), post({ query: '{ __typename }' })]);
    expect(a.headers.get('x-request-id')).not.toBe(b.headers.get('x-request-id'));
  });
});

describe('the request log line', () => {
  it('is one info line with operation, status, duration and exact upstream calls per source', async () => {
    const response = await post(MIXED);
    expect(((await response.json()) as any).errors).toBeUndefined();
    const [line, ...more] = await requestLines();
    expect(more).toHaveLength(0);
    expect(line).toMatchObject({
      level: 30,
      operationName: 'Mixed',
      status: 200,
      outcome: 'success',
      upstreamCalls: { CRAFTER_TICKET: 1, CRAFTER_ACCESS_TOKEN: 1, NETBIRD: 2, GAME: 1 },
      errorCodes: [],
    });
    expect(line!.durationMs).toBeGreaterThan(0);
  });

  it('carries the error codes, in order, and says the answer was partial', async () => {
    stack.upstreams.netbird.inject({ fault: { kind: 'status', status: 401 } });
    stack.upstreams.games.inject({ fault: { kind: 'status', status: 503 } });
    await post(MIXED);
    const [line] = await requestLines();
    expect(line).toMatchObject({ outcome: 'partial', status: 200 });
    expect([...line!.errorCodes].sort()).toEqual(['UPSTREAM_UNAUTHORIZED', 'UPSTREAM_UNAUTHORIZED', 'UPSTREAM_UNAVAILABLE']);
  });

  it('logs requests refused before GraphQL, with their status', async () => {
    const response = await fetch(stack.url, { method: 'POST', headers: { 'content-type': 'application/json', ...stack.authorization }, body: '{not json' });
    expect(response.status).toBe(400);
    const [line] = await requestLines();
    expect(line).toMatchObject({ status: 400, outcome: 'error', operationName: null });
  });
});

describe('refused API keys', () => {
  let keyed: Stack;
  beforeAll(async () => {
    keyed = await startStack({ logger: pino({ level: 'debug' }, sink()), apiKeys: [API_KEY] });
  });
  afterAll(() => keyed.close());

  it.each([
    ['missing', {}, 'API key refused: none was sent'],
    ['invalid', { authorization: 'Bearer wrong-key-0123456789abcdef' }, 'API key refused: it matches no configured key'],
  ])('are logged at warn with the request id, never the key, and counted: %s', async (reason, headers, message) => {
    const keyedMetrics = async () => (await fetch(new URL('/metrics', keyed.url), { headers: keyed.authorization })).text();
    const before = sample(await keyedMetrics(), `tokengraph_auth_refused_total{reason="${reason}"}`);
    const response = await fetch(keyed.url, { method: 'POST', headers: { 'content-type': 'application/json', 'x-request-id': `refused-${reason}`, ...headers }, body: '{"query":"{ __typename }"}' });
    expect(response.status).toBe(401);
    expect(response.headers.get('x-request-id')).toBe(`refused-${reason}`);
    const [line] = await requestLines();
    expect(line).toMatchObject({ requestId: `refused-${reason}`, status: 401, outcome: 'error' });
    expect(lines.filter((l) => l.level === 40)).toEqual([expect.objectContaining({ msg: message, requestId: `refused-${reason}`, reason })]);
    expect(raw).not.toContain('wrong-key-0123456789abcdef');
    expect(sample(await keyedMetrics(), `tokengraph_auth_refused_total{reason="${reason}"}`)).toBe(before + 1);
  });
});

describe('a client that disconnects in the middle of its body', () => {
  it('is a debug line, not an error with a stack, and the request line says 499', async () => {
    const { port } = new URL(stack.url);
    await new Promise<void>((resolve) => {
      const socket = connect(Number(port), '127.0.0.1', () => {
        socket.write(`POST /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${API_KEY}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"query":`);
        setTimeout(() => socket.destroy(), 50);
        socket.once('close', () => resolve());
      });
    });
    const [line] = await requestLines();
    expect(line).toMatchObject({ status: 499, outcome: 'error' });
    expect(lines.filter((l) => l.level >= 40)).toEqual([]);
    expect(lines).toContainEqual(expect.objectContaining({ level: 20, msg: 'the client went away before its request body ended' }));
  });
});

describe('the operation label', () => {
  it('keeps a shipped operation\'s name however many other names clients send first', async () => {
    for (let i = 0; i < 120; i++) await post({ query: `query Junk${i} { __typename }` });
    await post({ query: 'query TokenOverview { __typename }' });
    const text = await metrics();
    expect(sample(text, 'tokengraph_graphql_requests_total{operation="TokenOverview",outcome="success"}')).toBe(1);
    expect(text).not.toMatch(/operation="Junk/);
  });
});

describe('upstream calls at debug level', () => {
  it('name source, method, path without the query string, status and duration', async () => {
    await post(MIXED);
    await requestLines();
    const calls = lines.filter((l) => l.msg === 'upstream call');
    expect(calls.map((c) => c.source).sort()).toEqual(['CRAFTER_ACCESS_TOKEN', 'CRAFTER_TICKET', 'GAME', 'NETBIRD', 'NETBIRD']);
    for (const call of calls) {
      expect(call).toMatchObject({ level: 20, method: 'GET', status: 200 });
      expect(call.path).not.toContain('?');
      expect(typeof call.durationMs).toBe('number');
    }
    expect(calls.find((c) => c.source === 'CRAFTER_ACCESS_TOKEN')?.path).toBe('/crafter-profile/api/1/access_token/all');
    // A ticket id is a session credential: shown masked like an access-token id.
    expect(calls.find((c) => c.source === 'CRAFTER_TICKET')?.path).toBe('/crafter-profile/api/1/authentication/ticket/2e91%E2%80%A6b387');
  });

  it('never contain a credential, on success or failure', async () => {
    await post(MIXED, { authorization: `Bearer ${DEMO_CREDENTIALS.astra}` });
    stack.upstreams.crafterProfile.inject({ fault: { kind: 'status', status: 403 } });
    await post(MIXED);
    await requestLines();
    expect(raw).toContain('upstream call');
    for (const secret of [...Object.values(DEMO_CREDENTIALS), TICKET]) expect(raw).not.toContain(secret);
    expect(raw).not.toContain('accessTokenId');
  });
});

/** Runs `work`, then gives the change of any series across it. */
async function deltaAcross(work: () => Promise<unknown>): Promise<(series: string) => number> {
  const before = await metrics();
  await work();
  await requestLines();
  const after = await metrics();
  return (series) => sample(after, series) - sample(before, series);
}

describe('/metrics', () => {
  it('counts GraphQL requests by operation and outcome, with a latency histogram', async () => {
    const delta = await deltaAcross(async () => {
      await post(MIXED);
      stack.upstreams.games.inject({ fault: { kind: 'status', status: 500 } });
      await post(MIXED);
      await post({ query: '{ __typename }' });
    });
    expect(delta('tokengraph_graphql_requests_total{operation="Mixed",outcome="success"}')).toBe(1);
    expect(delta('tokengraph_graphql_requests_total{operation="Mixed",outcome="partial"}')).toBe(1);
    expect(delta('tokengraph_graphql_requests_total{operation="anonymous",outcome="success"}')).toBe(1);
    expect(delta('tokengraph_graphql_request_duration_seconds_count{operation="Mixed",outcome="success"}')).toBe(1);
  });

  it('counts upstream calls by source and status, with a latency histogram', async () => {
    stack.upstreams.games.inject({ fault: { kind: 'status', status: 404 } });
    const delta = await deltaAcross(() => post(MIXED));
    expect(delta('tokengraph_upstream_requests_total{source="NETBIRD",status="200"}')).toBe(2);
    expect(delta('tokengraph_upstream_requests_total{source="GAME",status="404"}')).toBe(1);
    expect(delta('tokengraph_upstream_requests_total{source="CRAFTER_ACCESS_TOKEN",status="200"}')).toBe(1);
    expect(delta('tokengraph_upstream_request_duration_seconds_count{source="NETBIRD",status="200"}')).toBe(2);
  });

  it('observes DataLoader batch sizes per source', async () => {
    const delta = await deltaAcross(() => post(MIXED));
    // Both NetBird tokens in one batch; three access-token lookups served by one list call.
    expect(delta('tokengraph_dataloader_batch_size_count{source="NETBIRD"}')).toBe(1);
    expect(delta('tokengraph_dataloader_batch_size_sum{source="NETBIRD"}')).toBe(2);
    expect(delta('tokengraph_dataloader_batch_size_sum{source="CRAFTER_ACCESS_TOKEN"}')).toBe(3);
  });

  it('shows each source\'s circuit state', async () => {
    const text = await metrics();
    for (const source of ['CRAFTER_TICKET', 'CRAFTER_ACCESS_TOKEN', 'ASTRA', 'NETBIRD', 'GAME']) {
      expect(sample(text, `tokengraph_circuit_state{source="${source}",state="CLOSED"}`)).toBe(1);
      expect(sample(text, `tokengraph_circuit_state{source="${source}",state="OPEN"}`)).toBe(0);
    }
  });
});

describe('/metrics with an open circuit', () => {
  it('shows OPEN for that source', async () => {
    const own = await startStack({ configured: ['netbird'], resilience: { breakerThreshold: 1, breakerHalfOpenMs: 60_000 } });
    try {
      own.upstreams.netbird.inject({ fault: { kind: 'status', status: 500 } });
      await own.query('{ netbirdToken(userId: "alice", tokenId: "nb-demo-1") { name } }');
      const text = await (await fetch(new URL('/metrics', own.url))).text();
      expect(sample(text, 'tokengraph_circuit_state{source="NETBIRD",state="OPEN"}')).toBe(1);
      expect(sample(text, 'tokengraph_circuit_state{source="NETBIRD",state="CLOSED"}')).toBe(0);
    } finally {
      await own.close();
    }
  });
});
