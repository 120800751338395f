/**
 * Every error code of the contract, produced over HTTP by the loopback upstreams with
 * their own error bodies, and partial results: one field's or one source's failure
 * never touches the others.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Fault } from '../../src/demo/fakeUpstream.js';
import { errorAt, startStack, type Stack } from '../harness.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ timeoutMs: 500 });
});
afterAll(() => stack.close());
beforeEach(() => stack.reset());

const TICKET = '2e911e0b-ac47-423e-9174-4e8896f1b387';

type Upstream = 'crafterProfile' | 'astra' | 'netbird' | 'games';
interface FieldCase {
  source: string;
  upstream: Upstream;
  field: string;
  document: string;
  /** String variables the field's document uses (a ticket id is a credential: never written in a document). */
  variables?: Record<string, string>;
}

const FIELDS: FieldCase[] = [
  { source: 'CRAFTER_TICKET', upstream: 'crafterProfile', field: 'crafterTicket', document: 'crafterTicket(id: $ticket) { tenant }', variables: { ticket: TICKET } },
  { source: 'CRAFTER_ACCESS_TOKEN', upstream: 'crafterProfile', field: 'crafterAccessTokens', document: 'crafterAccessTokens { name }' },
  { source: 'ASTRA', upstream: 'astra', field: 'astraToken', document: 'astraToken(accountId: "acme", userId: "ops-admin", tokenId: "astra-demo-1") { name }' },
  { source: 'NETBIRD', upstream: 'netbird', field: 'netbirdToken', document: 'netbirdToken(userId: "alice", tokenId: "nb-demo-1") { name }' },
  { source: 'GAME', upstream: 'games', field: 'gameToken', document: 'gameToken(id: "game-demo-1") { name }' },
];

const FAULTS: Array<[string, Fault, string, number | undefined]> = [
  ['400', { kind: 'status', status: 400 }, 'UPSTREAM_BAD_REQUEST', 400],
  ['401', { kind: 'status', status: 401 }, 'UPSTREAM_UNAUTHORIZED', 401],
  ['403', { kind: 'status', status: 403 }, 'UPSTREAM_FORBIDDEN', 403],
  // With Retry-After: 0, so that the pause a 429 starts (rateBudget.test.ts) is over at once.
  ['429', { kind: 'status', status: 429, headers: { 'retry-after': '0' } }, 'UPSTREAM_UNAVAILABLE', 429],
  ['500', { kind: 'status', status: 500 }, 'UPSTREAM_ERROR', 500],
  ['502', { kind: 'status', status: 502 }, 'UPSTREAM_ERROR', 502],
  ['503', { kind: 'status', status: 503 }, 'UPSTREAM_UNAVAILABLE', 503],
  ['504', { kind: 'status', status: 504 }, 'UPSTREAM_TIMEOUT', 504],
  ['a hang past the deadline', { kind: 'hang' }, 'UPSTREAM_TIMEOUT', undefined],
  ['a malformed body', { kind: 'malformed' }, 'UPSTREAM_INVALID_RESPONSE', 200],
  ['a reset before any answer', { kind: 'reset' }, 'UPSTREAM_UNAVAILABLE', undefined],
  ['a 100 KB response header', { kind: 'hugeHeader', bytes: 100 * 1024 }, 'UPSTREAM_INVALID_RESPONSE', undefined],
];

/** One operation asking for every field of `cases`, with the variables they use. */
function operation(cases: FieldCase[]): [string, Record<string, string>] {
  const variables: Record<string, string> = Object.assign({}, ...cases.map((c) => c.variables ?? {}));
  const names = Object.keys(variables);
  const head = names.length > 0 ? `query (${names.map((name) => `$${name}: String!`).join(', ')}) ` : '';
  return [`${head}{ ${cases.map((c) => c.document).join(' ')} }`, variables];
}

describe.each(FIELDS)('$field', (fieldCase) => {
  const { source, upstream, field } = fieldCase;
  it.each(FAULTS)('%s → %s, with the other sources still answered', async (_, fault, code, status) => {
    stack.upstreams[upstream].inject({ fault });
    const others = FIELDS.filter((f) => f.upstream !== upstream);
    const response = await stack.query(...operation([fieldCase, ...others]));
    expect(response.status).toBe(200);
    expect(response.body.data?.[field]).toBeNull();
    const error = errorAt(response, field);
    expect(error?.extensions?.code).toBe(code);
    expect(error?.extensions?.upstream).toMatchObject(status === undefined ? { source } : { source, status });
    if (status === undefined) expect(error?.extensions?.upstream).not.toHaveProperty('status');
    expect(response.body.errors).toHaveLength(1);
    for (const other of others) expect(response.body.data?.[other.field]).not.toBeNull();
  });
});

describe('upstream error bodies reach extensions.upstream', () => {
  it('Crafter 403: errorCode and message', async () => {
    stack.upstreams.crafterProfile.inject({ fault: { kind: 'status', status: 403 } });
    const response = await stack.query('{ crafterAccessTokens { name } }');
    expect(errorAt(response, 'crafterAccessTokens')?.extensions).toEqual({
      code: 'UPSTREAM_FORBIDDEN',
      upstream: {
        source: 'CRAFTER_ACCESS_TOKEN',
        status: 403,
        errorCode: 'ACTION_DENIED',
        detail: 'Current subject does not have permission to execute global action "READ_TOKEN"',
      },
    });
  });

  it('Astra 401: detail and correlationID', async () => {
    stack.upstreams.astra.inject({ fault: { kind: 'status', status: 401 } });
    const response = await stack.query('{ astraToken(accountId: "acme", userId: "ops-admin", tokenId: "astra-demo-1") { name } }');
    const upstream = errorAt(response, 'astraToken')?.extensions?.upstream;
    expect(upstream).toMatchObject({ source: 'ASTRA', status: 401 });
    expect(typeof upstream.detail).toBe('string');
    expect(typeof upstream.correlationId).toBe('string');
  });
});

describe('not found is null without an error', () => {
  it.each([
    ['crafterTicket', 'query ($id: String!) { crafterTicket(id: $id) { tenant } }', { id: 'no-such-ticket' }],
    ['crafterAccessToken', 'query ($id: String!) { crafterAccessToken(id: $id) { name } }', { id: 'no-such-access-token' }],
    ['astraToken', '{ astraToken(accountId: "acme", userId: "ops-admin", tokenId: "missing") { name } }', undefined],
    ['netbirdToken', '{ netbirdToken(userId: "alice", tokenId: "missing") { name } }', undefined],
    ['gameToken', '{ gameToken(id: "missing") { name } }', undefined],
    ['token', '{ token(ref: { source: GAME, tokenId: "missing" }) { name } }', undefined],
  ])('%s', async (field, document, variables) => {
    const response = await stack.query(document, variables);
    expect(response.body).toEqual({ data: { [field]: null } });
  });

  it("Crafter's 404 NO_SUCH_TICKET for a ticket it has had; a plain 404 (Tomcat's page: a wrong base URL) is UPSTREAM_ERROR", async () => {
    const document = 'query ($id: String!) { crafterTicket(id: $id) { tenant } }';
    const noSuchTicket = JSON.stringify({ errorCode: 'NO_SUCH_TICKET', message: `No ticket with ID "${TICKET}" found` });
    stack.upstreams.crafterProfile.inject({ fault: { kind: 'body', status: 404, body: noSuchTicket, contentType: 'application/json;charset=UTF-8' }, times: 1 });
    expect((await stack.query(document, { id: TICKET })).body).toEqual({ data: { crafterTicket: null } });
    stack.upstreams.crafterProfile.inject({ fault: { kind: 'status', status: 404 }, times: 1 });
    const plain = await stack.query(document, { id: TICKET });
    expect(plain.body.data).toEqual({ crafterTicket: null });
    expect(plain.body.errors?.map((error) => error.extensions)).toEqual([{ code: 'UPSTREAM_ERROR', upstream: { source: 'CRAFTER_TICKET', status: 404 } }]);
  });

  it('in tokens: null at that position, the rest answered', async () => {
    const response = await stack.query(`{ tokens(refs: [
      { source: GAME, tokenId: "missing" },
      { source: GAME, tokenId: "game-demo-1" }
    ]) { tokenId } }`);
    expect(response.body).toEqual({ data: { tokens: [null, { tokenId: 'game-demo-1' }] } });
  });
});

describe('BAD_USER_INPUT before any upstream call', () => {
  it.each([
    ['an empty id', 'gameToken(id: "") { name }', 'gameToken'],
    ['a ".." id', 'gameToken(id: "..") { name }', 'gameToken'],
    ['a control character', 'netbirdToken(userId: "al\\u0000ice", tokenId: "t") { name }', 'netbirdToken'],
    ['an id of 257 characters', `gameToken(id: "${'x'.repeat(257)}") { name }`, 'gameToken'],
    ['an ASTRA ref without accountId', 'token(ref: { source: ASTRA, userId: "u", tokenId: "t" }) { name }', 'token'],
    ['a NETBIRD ref without userId', 'token(ref: { source: NETBIRD, tokenId: "t" }) { name }', 'token'],
    ['a malformed global id', 'node(id: "not-an-id") { id }', 'node'],
    ['a foreign global id', `node(id: "${Buffer.from('["User","1"]').toString('base64url')}") { id }`, 'node'],
  ])('%s', async (_, document, field) => {
    const response = await stack.query(`{ ${document} }`);
    expect(response.body.data?.[field]).toBeNull();
    expect(errorAt(response, field)?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(stack.totalCalls()).toBe(0);
  });

  it('one bad ref in tokens is an error at its position only', async () => {
    const response = await stack.query(`{ tokens(refs: [
      { source: GAME, tokenId: "game-demo-1" },
      { source: NETBIRD, tokenId: "nb-demo-1" },
      { source: GAME, tokenId: ".." }
    ]) { tokenId } }`);
    expect(response.body.data?.tokens).toEqual([{ tokenId: 'game-demo-1' }, null, null]);
    expect(response.body.errors?.map((e) => [e.path, e.extensions?.code])).toEqual([
      [['tokens', 1], 'BAD_USER_INPUT'],
      [['tokens', 2], 'BAD_USER_INPUT'],
    ]);
    expect(stack.calls('games')).toHaveLength(1);
  });

  it('one bad id in nodes is an error at its position only', async () => {
    const good = Buffer.from('["GameToken","game-demo-1"]').toString('base64url');
    const response = await stack.query(`{ nodes(ids: ["nope", "${good}"]) { id } }`);
    expect(response.body.data?.nodes).toEqual([null, { id: good }]);
    expect(response.body.errors?.map((e) => [e.path, e.extensions?.code])).toEqual([[['nodes', 0], 'BAD_USER_INPUT']]);
  });
});

describe('unreadable dates', () => {
  it('null that field with UPSTREAM_INVALID_RESPONSE, status UNKNOWN, rest answered', async () => {
    stack.upstreams.netbird.inject({
      fault: {
        kind: 'body',
        contentType: 'application/json',
        body: JSON.stringify({ id: 'nb-demo-1', name: 'ci', expiration_date: 'next tuesday', created_by: 'alice', created_at: '2023-04-26T12:12:56.621Z' }),
      },
    });
    const response = await stack.query('{ netbirdToken(userId: "alice", tokenId: "nb-demo-1") { name createdAt expiresAt lastUsedAt status } }');
    expect(response.body.data?.netbirdToken).toEqual({
      name: 'ci',
      createdAt: '2023-04-26T12:12:56.621Z',
      expiresAt: null,
      lastUsedAt: null,
      status: 'UNKNOWN',
    });
    expect(response.body.errors).toHaveLength(1);
    expect(errorAt(response, 'netbirdToken', 'expiresAt')?.extensions).toEqual({
      code: 'UPSTREAM_INVALID_RESPONSE',
      upstream: { source: 'NETBIRD' },
    });
  });
});

describe('a wrong credential', () => {
  it('is UPSTREAM_UNAUTHORIZED from the upstream itself, and never echoed', async () => {
    const wrong = await startStack({ credentials: { crafterProfile: 'wrong-credential-1234567890', netbird: 'wrong-netbird-token' } });
    try {
      const response = await wrong.query('{ crafterAccessTokens { name } netbirdToken(userId: "alice", tokenId: "nb-demo-1") { name } }');
      expect(errorAt(response, 'crafterAccessTokens')?.extensions?.code).toBe('UPSTREAM_UNAUTHORIZED');
      expect(errorAt(response, 'netbirdToken')?.extensions?.code).toBe('UPSTREAM_UNAUTHORIZED');
      const text = JSON.stringify(response.body);
      expect(text).not.toContain('wrong-credential-1234567890');
      expect(text).not.toContain('wrong-netbird-token');
      expect(text).not.toContain('accessTokenId');
    } finally {
      await wrong.close();
    }
  });
});
