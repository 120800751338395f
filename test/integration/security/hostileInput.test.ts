/**
 * Hostile input over HTTP, at the default limits: arbitrary unicode identifiers reach the
 * upstream as exactly the expected path (property-based), and malformed bodies, wrong
 * content types, null bytes, huge variables, deep and cyclic fragments, alias bombs and a
 * thousand refs each get a 4xx or a GraphQL error; after each, the server keeps serving.
 */
import fc from 'fast-check';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { errorAt, startStack, type Stack } from '../../harness.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack.close());
beforeEach(() => stack.reset());
afterEach(async () => {
  // Whatever the test sent, tokengraph still answers.
  const after = await stack.query('{ gameToken(id: "game-demo-1") { tokenId } }');
  expect(after.body).toEqual({ data: { gameToken: { tokenId: 'game-demo-1' } } });
});

const identifier = fc.oneof(
  fc.string({ unit: 'binary', minLength: 1, maxLength: 30 }),
  fc.string({ unit: fc.constantFrom('/', '.', '?', '#', '%', '2', 'F', '&', '=', '\\', ' ', 'é', '😀', '\u0000'), minLength: 1, maxLength: 10 }),
);

describe('identifiers (property)', () => {
  it('reach NetBird as exactly /api/users/{userId}/tokens/{tokenId}, or are refused with no call', async () => {
    await fc.assert(
      fc.asyncProperty(identifier, identifier, async (userId, tokenId) => {
        stack.reset();
        const response = await stack.query('query ($u: String!, $t: String!) { netbirdToken(userId: $u, tokenId: $t) { name } }', { u: userId, t: tokenId });
        expect(response.status).toBe(200);
        const calls = stack.calls('netbird');
        if (response.body.errors) {
          expect(errorAt(response, 'netbirdToken')?.extensions?.code).toBe('BAD_USER_INPUT');
          expect(calls).toHaveLength(0);
          return;
        }
        expect(calls).toHaveLength(1);
        const call = calls[0]!;
        expect(call.query).toEqual({});
        expect(call.path).not.toMatch(/[?#]/);
        const segments = call.path.split('/');
        expect(segments.slice(0, 3)).toEqual(['', 'api', 'users']);
        expect(segments.slice(3).map(decodeURIComponent)).toEqual([userId, 'tokens', tokenId]);
      }),
      { numRuns: 60 },
    );
  });

  it('reach Crafter as one ticket segment, with accessTokenId the only query parameter', async () => {
    await fc.assert(
      fc.asyncProperty(identifier, async (ticketId) => {
        stack.reset();
        const response = await stack.query('query ($id: String!) { crafterTicket(id: $id) { tenant } }', { id: ticketId });
        const calls = stack.calls('crafterProfile');
        if (errorAt(response, 'crafterTicket')?.extensions?.code === 'BAD_USER_INPUT') {
          expect(calls).toHaveLength(0);
          return;
        }
        expect(calls).toHaveLength(1);
        expect(Object.keys(calls[0]!.query)).toEqual(['accessTokenId']);
        expect(calls[0]!.path.split('/').map(decodeURIComponent)).toEqual(['', 'crafter-profile', 'api', '1', 'authentication', 'ticket', ticketId]);
      }),
      { numRuns: 40 },
    );
  });
});

async function raw(body: string | Uint8Array, contentType?: string) {
  const response = await fetch(stack.url, { method: 'POST', headers: contentType ? { 'content-type': contentType } : {}, body });
  const text = await response.text();
  return { status: response.status, text };
}

describe('malformed requests get a 4xx', () => {
  it.each([
    ['cut-off JSON', '{"query": '],
    ['a JSON string', '"{ __typename }"'],
    ['JSON null', 'null'],
    ['a number', '42'],
    ['a non-string query', '{"query": 42}'],
    ['string variables', '{"query": "{ __typename }", "variables": "{}"}'],
    ['an array of variables', '{"query": "{ __typename }", "variables": [1]}'],
    ['an empty body', ''],
    ['invalid UTF-8', new Uint8Array([0x7b, 0x22, 0x71, 0xff, 0xfe, 0x22, 0x7d])],
    ['a batch (JSON array)', '[{"query": "{ __typename }"}]'],
  ])('%s', async (_, body) => {
    const response = await raw(body, 'application/json');
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
    expect(JSON.parse(response.text).errors.length).toBeGreaterThan(0);
  });

  it.each([
    ['text/plain', 'text/plain'],
    ['form encoded', 'application/x-www-form-urlencoded'],
    ['multipart', 'multipart/form-data; boundary=x'],
    ['GraphQL source', 'application/graphql'],
    ['a latin-1 charset', 'application/json; charset=latin1'],
    ['no content type', undefined],
  ])('wrong content type: %s', async (_, contentType) => {
    const response = await raw(JSON.stringify({ query: '{ __typename }' }), contentType);
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
  });
});

describe('hostile operations get a 4xx or a GraphQL error', () => {
  it('null bytes in an identifier, a literal and a variable name', async () => {
    const inVariable = await stack.query('query ($id: String!) { gameToken(id: $id) { name } }', { id: 'game\u0000demo' });
    expect(errorAt(inVariable, 'gameToken')?.extensions?.code).toBe('BAD_USER_INPUT');
    const inLiteral = await stack.query('{ gameToken(id: "game\\u0000demo") { name } }');
    expect(errorAt(inLiteral, 'gameToken')?.extensions?.code).toBe('BAD_USER_INPUT');
    // GraphQL 16 allows any scalar value in a string literal, a raw NUL too: the identifier rule refuses it.
    const inSource = await stack.query('{ gameToken(id: "a\u0000b") { name } }');
    expect(errorAt(inSource, 'gameToken')?.extensions?.code).toBe('BAD_USER_INPUT');
    const outsideString = await stack.query('{ gameToken\u0000(id: "a") { name } }');
    expect(outsideString.status).toBe(400);
    const inKey = await stack.query('{ __typename }', { ['\u0000']: 1 });
    expect(inKey.status).toBe(200);
    expect(stack.totalCalls()).toBe(0);
  });

  it('huge variables: a 900 KB identifier', async () => {
    const response = await stack.query('query ($id: String!) { gameToken(id: $id) { name } }', { id: 'x'.repeat(900 * 1024) });
    expect(errorAt(response, 'gameToken')).toMatchObject({ message: 'id must be at most 256 characters', extensions: { code: 'BAD_USER_INPUT' } });
    expect(stack.totalCalls()).toBe(0);
  });

  it('huge variables: 50 000 unused ones', async () => {
    const variables = Object.fromEntries(Array.from({ length: 50_000 }, (_, i) => [`v${i}`, i]));
    const response = await stack.query('{ __typename }', variables);
    expect(response.status).toBeLessThan(500);
  });

  it('huge variables: JSON nested 200 000 levels deep', async () => {
    const body = `{"query": "{ __typename }", "variables": {"v": ${'['.repeat(200_000)}${']'.repeat(200_000)}}}`;
    expect((await raw(body, 'application/json')).status).toBeLessThan(500);
  });

  it('a chain of 500 fragments', async () => {
    const fragments = Array.from({ length: 500 }, (_, i) => `fragment F${i} on Query { ${i < 499 ? `...F${i + 1}` : '__typename'} }`).join(' ');
    const response = await stack.query(`{ ...F0 } ${fragments}`);
    expect(response.status).toBe(400);
  });

  it('cyclic fragments', async () => {
    const response = await stack.query('{ ...A } fragment A on Query { ...B gameToken(id: "x") { name } } fragment B on Query { ...A }');
    expect(response.status).toBe(400);
    expect(response.body.errors?.map((e) => e.message).join(' ')).toMatch(/Cannot spread fragment "A" within itself/);
  });

  it('an alias bomb', async () => {
    const aliases = Array.from({ length: 1000 }, (_, i) => `a${i}: gameToken(id: "game-demo-1") { name }`).join(' ');
    const response = await stack.query(`{ ${aliases} }`);
    expect(response.status).toBe(400);
    expect(stack.totalCalls()).toBe(0);
  });

  it('a field repeated 3000 times, and 1000 directives', async () => {
    expect((await stack.query(`{ ${'__typename '.repeat(3000)} }`)).status).toBe(400);
    expect((await stack.query(`{ __typename ${'@include(if: true) '.repeat(1000)} }`)).status).toBe(400);
  });

  it('a thousand refs, as a variable: that field alone is refused, with no upstream call', async () => {
    const refs = Array.from({ length: 1000 }, (_, i) => ({ source: 'GAME', tokenId: `t${i}` }));
    const response = await stack.query('query ($refs: [TokenRef!]!) { tokens(refs: $refs) { name } }', { refs });
    expect(response.body.data).toEqual({ tokens: null });
    expect(errorAt(response, 'tokens')).toMatchObject({ message: 'tokens takes at most 100 refs (TOKENGRAPH_MAX_LIST_LENGTH); got 1000', extensions: { code: 'BAD_USER_INPUT' } });
    expect(stack.totalCalls()).toBe(0);
  });

  it('a thousand refs, inline: over the token limit', async () => {
    const refs = Array.from({ length: 1000 }, (_, i) => `{ source: GAME, tokenId: "t${i}" }`).join(' ');
    const response = await stack.query(`{ tokens(refs: [${refs}]) { name } }`);
    expect(response.status).toBe(400);
    expect(stack.totalCalls()).toBe(0);
  });
});
