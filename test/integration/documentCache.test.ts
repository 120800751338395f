/**
 * The hot path does per-document work once: Apollo's document store keeps each parsed
 * and validated document, so a repeated query is neither parsed nor validated again.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Context } from '../../src/resolvers/context.js';
import { createLogger } from '../../src/observability/createLogger.js';
import { createTokengraph, type Tokengraph } from '../../src/http/createTokengraph.js';
import { testConfig } from '../harness.js';

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

const post = (query: string) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) }).then((r) => r.json());

it('parses and validates a document once, however often it is sent', async () => {
  const query = '{ a: netbirdToken(userId: "alice", tokenId: "nb-demo-1") { name } }';
  for (let i = 0; i < 5; i++) await post(query);
  expect(counts).toEqual({ parsed: 1, validated: 1, requests: 5 });
  await post('{ b: gameToken(id: "game-demo-1") { name } }');
  expect(counts).toEqual({ parsed: 2, validated: 2, requests: 6 });
});
