/**
 * The hot path does per-document work once: Apollo's document store keeps each parsed
 * and validated document, so a repeated query is neither parsed nor validated again. A
 * document that writes a credential (secretLiteralsRule) fails validation and is never kept,
 * in the document store or, with APQ on, the persisted-query cache.
 */
import { createHash } from 'node:crypto';
import type { ApolloServerPlugin } from '@apollo/server';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Context } from '../../src/resolvers/context.js';
import { createLogger } from '../../src/observability/createLogger.js';
import { createTokengraph, type Tokengraph } from '../../src/http/createTokengraph.js';
import { toGlobalId } from '../../src/security/globalId.js';
import { testConfig } from '../harness.js';

const ACCESS_TOKEN = 'e8f5170c-877b-416f-b70f-4b09772f8e2d';
const TICKET = '2e911e0b-ac47-423e-9174-4e8896f1b387';
/** What a lookup that ran answers here, with no upstream configured. */
const RAN = { data: { crafterAccessToken: null }, errors: [{ extensions: { code: 'SOURCE_NOT_CONFIGURED' } }] };

const counts = { parsed: 0, validated: 0, requests: 0 };
const counter: ApolloServerPlugin<Context> = {
  async requestDidStart() {
    counts.requests += 1;
    return {
      async parsingDidStart() {
        counts.parsed += 1;
      },
      async validationDidStart() {
        counts.validated += 1;
      },
    };
  },
};

let tokengraph: Tokengraph;
let url: string;
beforeAll(async () => {
  tokengraph = await createTokengraph(testConfig(), createLogger('silent'), [counter]);
  url = await tokengraph.listen();
});
afterAll(() => tokengraph.close());

const post = (query: string, variables?: Record<string, unknown>, to = url) =>
  fetch(to, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) }).then((r) => r.json() as Promise<any>);

it('parses and validates a document once, however often it is sent', async () => {
  const query = '{ a: netbirdToken(userId: "alice", tokenId: "nb-demo-1") { name } }';
  for (let i = 0; i < 5; i++) await post(query);
  expect(counts).toEqual({ parsed: 1, validated: 1, requests: 5 });
  await post('{ b: gameToken(id: "game-demo-1") { name } }');
  expect(counts).toEqual({ parsed: 2, validated: 2, requests: 6 });
});

it('never keeps a document that writes a credential: it is parsed and refused each time it is sent', async () => {
  const before = { ...counts };
  const written = `{ crafterAccessToken(id: "${ACCESS_TOKEN}") { name } }`;
  for (let i = 0; i < 3; i++) {
    const body = await post(written);
    expect(body.errors).toEqual([expect.objectContaining({ message: expect.stringMatching(/^crafterAccessToken\(id:\) is a credential .*: pass it as a variable$/), extensions: expect.objectContaining({ code: 'GRAPHQL_VALIDATION_FAILED' }) })]);
  }
  expect({ parsed: counts.parsed - before.parsed, validated: counts.validated - before.validated }).toEqual({ parsed: 3, validated: 3 });
  // The same lookup with the id as a variable runs (no upstream here: SOURCE_NOT_CONFIGURED), and its document is kept.
  const query = 'query ($id: String!) { crafterAccessToken(id: $id) { name } }';
  for (let i = 0; i < 3; i++) expect(await post(query, { id: ACCESS_TOKEN })).toMatchObject(RAN);
  expect({ parsed: counts.parsed - before.parsed, validated: counts.validated - before.validated }).toEqual({ parsed: 4, validated: 4 });
});

it('never keeps a document that writes a Crafter ticket\'s global id, which carries the ticket id', async () => {
  const before = { ...counts };
  const ticketGlobalId = toGlobalId('CrafterTicket', [TICKET]);
  const written = `{ node(id: "${ticketGlobalId}") { id } }`;
  for (let i = 0; i < 3; i++) {
    const body = await post(written);
    expect(body.errors).toEqual([expect.objectContaining({ message: expect.stringMatching(/^node\(id:\) is the global id of a Crafter ticket .*: pass it as a variable$/), extensions: expect.objectContaining({ code: 'GRAPHQL_VALIDATION_FAILED' }) })]);
  }
  expect({ parsed: counts.parsed - before.parsed, validated: counts.validated - before.validated }).toEqual({ parsed: 3, validated: 3 });
  // As a variable it runs (no upstream here: SOURCE_NOT_CONFIGURED).
  expect(await post('query ($id: ID!) { node(id: $id) { id } }', { id: ticketGlobalId })).toMatchObject({ data: { node: null }, errors: [{ extensions: { code: 'SOURCE_NOT_CONFIGURED' } }] });
});

it('never keeps such a document as a persisted query either (TOKENGRAPH_APQ=on)', async () => {
  const apq = await createTokengraph(testConfig({ apq: true }), createLogger('silent'));
  try {
    const apqUrl = await apq.listen();
    const send = (body: Record<string, unknown>) =>
      fetch(apqUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }).then((r) => r.json() as Promise<any>);
    const persisted = (query: string) => ({ persistedQuery: { version: 1, sha256Hash: createHash('sha256').update(query).digest('hex') } });
    const written = `{ crafterAccessToken(id: "${ACCESS_TOKEN}") { name } }`;
    expect((await send({ query: written, extensions: persisted(written) })).errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
    expect((await send({ extensions: persisted(written) })).errors[0].extensions.code).toBe('PERSISTED_QUERY_NOT_FOUND');
    // A document with the id as a variable is registered, and then found by its hash alone.
    const query = 'query ($id: String!) { crafterAccessToken(id: $id) { name } }';
    expect(await send({ query, variables: { id: ACCESS_TOKEN }, extensions: persisted(query) })).toMatchObject(RAN);
    expect(await send({ variables: { id: ACCESS_TOKEN }, extensions: persisted(query) })).toMatchObject(RAN);
  } finally {
    await apq.close();
  }
});
