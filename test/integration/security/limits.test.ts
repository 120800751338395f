/**
 * Every operation limit over HTTP, set low so each is easy to cross: a request over a
 * request-level limit is a 400 with one GraphQL error naming the limit and its value, and
 * reaches no upstream; a list argument over its limit nulls that field alone
 * (`BAD_USER_INPUT`, contract §3). Then introspection, suggestions, batching and CORS.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULTS, type Limits } from '../../../src/config/readConfig.js';
import { toGlobalId } from '../../../src/security/globalId.js';
import { errorAt, startStack, type Stack } from '../../harness.js';

const LIMITS: Limits = {
  ...DEFAULTS.limits,
  maxBodyBytes: 16 * 1024,
  maxQueryBytes: 1000,
  maxDepth: 2,
  maxAliases: 2,
  maxRootFields: 3,
  maxTokens: 80,
  maxDirectives: 2,
  maxCost: 30,
  maxListLength: 3,
  maxEntities: 100,
};
const SCALARS = 'id tokenId name owner createdBy createdAt expiresAt lastUsedAt status master';
const GAME = 'gameToken(id: "game-demo-1") { name }';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ config: { limits: LIMITS } });
});
afterAll(() => stack.close());
beforeEach(() => stack.reset());

describe('request-level limits', () => {
  it.each([
    ['depth', '{ crafterAccessTokens { tenantPermissions { tenant } } }', 'the operation\'s depth is over the limit of 2 (TOKENGRAPH_MAX_DEPTH)'],
    ['depth, through fragments', '{ ...A } fragment A on Query { crafterAccessTokens { ...B } } fragment B on CrafterAccessToken { tenantPermissions { tenant } }', 'the operation\'s depth is over the limit of 2 (TOKENGRAPH_MAX_DEPTH)'],
    ['aliases', `{ a: ${GAME} b: ${GAME} c: ${GAME} }`, 'the number of aliases is over the limit of 2 (TOKENGRAPH_MAX_ALIASES)'],
    ['root fields', `{ gameToken(id: "g") { name } crafterAccessTokens { name } a: ${GAME} b: ${GAME} }`, 'the number of root fields is over the limit of 3 (TOKENGRAPH_MAX_ROOT_FIELDS)'],
    ['root fields, through fragments', `{ ...R ...on Query { gameToken(id: "x") { name } } } fragment R on Query { crafterAccessTokens { name } a: ${GAME} b: ${GAME} }`, 'the number of root fields is over the limit of 3 (TOKENGRAPH_MAX_ROOT_FIELDS)'],
    ['directives', `{ gameToken(id: "g") @include(if: true) @skip(if: false) { name @include(if: true) } }`, 'the number of directives is over the limit of 2 (TOKENGRAPH_MAX_DIRECTIVES)'],
    ['cost', `{ crafterAccessTokens { ${SCALARS} } a: crafterAccessTokens { ${SCALARS} } }`, 'the operation\'s cost is over the limit of 30 (TOKENGRAPH_MAX_COST)'],
  ])('%s', async (_, document, message) => {
    const response = await stack.query(document);
    expect(response.status).toBe(400);
    expect(response.body.data).toBeUndefined();
    // A limit is not a syntax error: the message is ours alone, with no "Syntax Error: " prefix.
    expect(response.body.errors).toContainEqual(expect.objectContaining({ message, extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }));
    expect(JSON.stringify(response.body.errors)).not.toMatch(/Syntax Error/);
    expect(stack.totalCalls()).toBe(0);
  });

  it('lexer tokens', async () => {
    const response = await stack.query(`{ ${Array.from({ length: 20 }, () => '__typename').join(' ')} gameToken(id: "g") { name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name name } }`);
    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual([expect.objectContaining({ message: expect.stringMatching(/more that 80 tokens/), extensions: expect.objectContaining({ code: 'GRAPHQL_PARSE_FAILED' }) })]);
  });

  it('query document size, counted in UTF-8 bytes, over POST and GET', async () => {
    const document = `{ gameToken(id: "${'é'.repeat(490)}") { name } }`;
    expect(document.length).toBeLessThan(LIMITS.maxQueryBytes);
    const post = await stack.query(document);
    expect(post.status).toBe(400);
    expect(post.body.errors).toEqual([{ message: 'the query document is over the limit of 1000 bytes (TOKENGRAPH_MAX_QUERY_BYTES)', extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } }]);
    const get = await fetch(`${stack.url}?query=${encodeURIComponent(document)}`, { headers: { 'content-type': 'application/json' } });
    expect(get.status).toBe(400);
    expect(stack.totalCalls()).toBe(0);
  });

  it('request body size: 413', async () => {
    const response = await stack.query('query ($pad: String) { __typename }', { pad: 'x'.repeat(LIMITS.maxBodyBytes) });
    expect(response.status).toBe(413);
    expect(response.body.errors?.[0]?.message).toBe(`request body is larger than ${LIMITS.maxBodyBytes} bytes`);
  });

  it('request body size: 413 for a chunked body with no content-length, found while reading it', async () => {
    const chunk = new TextEncoder().encode('x'.repeat(64 * 1024));
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent > 2 * LIMITS.maxBodyBytes) return controller.close();
        sent += chunk.length;
        controller.enqueue(chunk);
      },
    });
    const response = await fetch(stack.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body, duplex: 'half' } as RequestInit);
    expect(response.status).toBe(413);
    expect(((await response.json()) as any).errors[0].message).toBe(`request body is larger than ${LIMITS.maxBodyBytes} bytes`);
    const after = await stack.query(`{ ${GAME} }`);
    expect(after.status).toBe(200);
  });

  it('lets an operation at every limit through', async () => {
    const response = await stack.query(`{ a: ${GAME} b: ${GAME} crafterAccessTokens @include(if: true) { name } }`);
    expect(response.status).toBe(200);
    expect(response.body.errors).toBeUndefined();
  });
});

describe('list arguments', () => {
  const refs = (n: number) => Array.from({ length: n }, (_, i) => ({ source: 'GAME', tokenId: `game-demo-${(i % 2) + 1}` }));
  const ids = (n: number) => Array.from({ length: n }, () => toGlobalId('GameToken', ['game-demo-1']));

  it('tokens(refs:) over the limit nulls that field alone, with no upstream call for it', async () => {
    const response = await stack.query(`query ($refs: [TokenRef!]!) { tokens(refs: $refs) { name } ${GAME} }`, { refs: refs(4) });
    expect(response.status).toBe(200);
    expect(response.body.data?.tokens).toBeNull();
    expect(response.body.data?.gameToken).toEqual({ name: expect.any(String) });
    expect(errorAt(response, 'tokens')).toMatchObject({ message: 'tokens takes at most 3 refs (TOKENGRAPH_MAX_LIST_LENGTH); got 4', extensions: { code: 'BAD_USER_INPUT' } });
    expect(stack.calls('games')).toHaveLength(1);
  });

  it('nodes(ids:) over the limit nulls that field alone', async () => {
    const response = await stack.query('query ($ids: [ID!]!) { nodes(ids: $ids) { id } }', { ids: ids(4) });
    expect(response.body.data).toEqual({ nodes: null });
    expect(errorAt(response, 'nodes')).toMatchObject({ message: 'nodes takes at most 3 ids (TOKENGRAPH_MAX_LIST_LENGTH); got 4', extensions: { code: 'BAD_USER_INPUT' } });
    expect(stack.totalCalls()).toBe(0);
  });

  it('answers lists at the limit', async () => {
    const response = await stack.query('query ($refs: [TokenRef!]!, $ids: [ID!]!) { tokens(refs: $refs) { name } nodes(ids: $ids) { id } }', { refs: refs(3), ids: ids(3) });
    expect(response.body.errors).toBeUndefined();
    expect(response.body.data?.tokens).toHaveLength(3);
    expect(response.body.data?.nodes).toHaveLength(3);
  });

  it('_entities(representations:) over TOKENGRAPH_MAX_ENTITIES is refused', async () => {
    const representations = Array.from({ length: 101 }, () => ({ __typename: 'GameToken', id: toGlobalId('GameToken', ['game-demo-1']) }));
    const response = await stack.query('query ($r: [_Any!]!) { _entities(representations: $r) { __typename } }', { r: representations });
    expect(response.body.data).toBeNull();
    expect(response.body.errors).toEqual([expect.objectContaining({ message: '_entities takes at most 100 representations (TOKENGRAPH_MAX_ENTITIES); got 101', extensions: expect.objectContaining({ code: 'BAD_USER_INPUT' }) })]);
    expect(stack.totalCalls()).toBe(0);
  });
});

describe('schema discovery, batching, CORS (defaults outside demo mode)', () => {
  it('refuses introspection', async () => {
    const response = await stack.query('{ __schema { types { name } } }');
    expect(response.status).toBe(400);
    expect(response.body.errors?.[0]?.message).toMatch(/introspection is not allowed/i);
  });

  it('gives no field suggestions', async () => {
    const response = await stack.query('{ gameTokn(id: "x") { name } }');
    expect(response.status).toBe(400);
    expect(response.body.errors?.[0]?.message).toBe('Cannot query field "gameTokn" on type "Query".');
  });

  it('refuses a batched (JSON array) request with 400', async () => {
    const response = await fetch(stack.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify([{ query: '{ __typename }' }, { query: '{ __typename }' }]),
    });
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(/batch/i);
  });

  it('sends no CORS headers and refuses preflights', async () => {
    const simple = await fetch(stack.url, { method: 'POST', headers: { 'content-type': 'application/json', origin: 'https://evil.example' }, body: JSON.stringify({ query: '{ __typename }' }) });
    expect(simple.headers.get('access-control-allow-origin')).toBeNull();
    const preflight = await fetch(stack.url, { method: 'OPTIONS', headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' } });
    expect(preflight.status).toBe(405);
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('refuses a GET without a preflight-forcing header (CSRF prevention)', async () => {
    const response = await fetch(`${stack.url}?query=${encodeURIComponent('{ __typename }')}`);
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(/CSRF/);
  });
});

describe('when configured', () => {
  let open: Stack;
  beforeAll(async () => {
    open = await startStack({ apiKeys: ['cors-test-key-0123456789'], config: { introspection: true, corsOrigins: ['https://app.example.com'] } });
  });
  afterAll(() => open.close());

  it('allows introspection and suggestions', async () => {
    const schema = await open.query('{ __schema { queryType { name } } }');
    expect(schema.body).toEqual({ data: { __schema: { queryType: { name: 'Query' } } } });
    const typo = await open.query('{ gameTokn(id: "x") { name } }');
    expect(typo.body.errors?.[0]?.message).toMatch(/Did you mean "gameToken"/);
  });

  it('answers a preflight from an allowed origin without a key, naming the headers it may send', async () => {
    const response = await fetch(open.url, {
      method: 'OPTIONS',
      headers: { origin: 'https://app.example.com', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type' },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
    expect(response.headers.get('access-control-allow-headers')).toContain('authorization');
  });

  it('allows only the listed origins', async () => {
    const allowed = await fetch(open.url, { method: 'POST', headers: { ...open.authorization, 'content-type': 'application/json', origin: 'https://app.example.com' }, body: JSON.stringify({ query: '{ __typename }' }) });
    expect(allowed.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
    const other = await fetch(open.url, { method: 'OPTIONS', headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' } });
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
  });
});
