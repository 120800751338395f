/**
 * A real gateway, end to end: Apollo Gateway (from npm) on the composed supergraph, in an
 * Apollo Server on loopback, in front of tokengraph, people and reviews, each a real HTTP
 * server. Queries cross subgraphs both ways; the test asserts the data, every fetch the
 * gateway sends to a subgraph, and every call that reaches an upstream token API.
 */
import { ApolloGateway, RemoteGraphQLDataSource } from '@apollo/gateway';
import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { toGlobalId } from '../../src/security/globalId.js';
import { fingerprintSecretId } from '../../src/security/secretIds.js';
import { startStack, type Stack } from '../harness.js';
import { startPeopleSubgraph, TICKET_ALICE, type RunningSubgraph } from './peopleSubgraph.js';
import { DEMO_SITE_ACCESS_TOKEN, startReviewsSubgraph } from './reviewsSubgraph.js';
import { composeSupergraph } from './supergraph.js';

let stack: Stack;
let people: RunningSubgraph;
let reviews: RunningSubgraph;
let gateway: ApolloServer;
let gatewayUrl: string;
/** `subgraph name` per fetch the gateway sent, in order. */
const fetches: string[] = [];

beforeAll(async () => {
  [stack, people, reviews] = await Promise.all([startStack(), startPeopleSubgraph(), startReviewsSubgraph()]);
  const { supergraphSdl } = await composeSupergraph(stack, { people: people.url, reviews: reviews.url });
  gateway = new ApolloServer({
    gateway: new ApolloGateway({
      supergraphSdl: supergraphSdl!,
      buildService: ({ name, url }) =>
        new (class extends RemoteGraphQLDataSource {
          override willSendRequest() {
            fetches.push(name);
          }
        })({ url }),
    }),
    logger: { debug() {}, info() {}, warn() {}, error() {} },
  });
  ({ url: gatewayUrl } = await startStandaloneServer(gateway, { listen: { port: 0, host: '127.0.0.1' } }));
});
afterAll(async () => {
  await gateway?.stop();
  await Promise.all([stack.close(), people.close(), reviews.close()]);
});
beforeEach(() => {
  stack.reset();
  fetches.length = 0;
});

async function query(document: string) {
  const response = await fetch(gatewayUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: document }),
  });
  expect(response.status).toBe(200);
  return (await response.json()) as { data?: Record<string, any>; errors?: unknown[] };
}

const paths = (name: Parameters<Stack['calls']>[0]) => stack.calls(name).map((c) => c.path).sort();

describe('Apollo Gateway over tokengraph, people and reviews', () => {
  it('people → tokengraph: a person\'s NetBird tokens and Crafter tickets, by key', async () => {
    const result = await query('{ person(id: "alice") { name netbirdTokens { name status } tickets { tenant owner } } }');
    expect(result).toEqual({
      data: {
        person: {
          name: 'Alice Liddell',
          netbirdTokens: [
            { name: 'CI deploy', status: 'ACTIVE' },
            { name: 'old laptop', status: 'EXPIRED' },
          ],
          tickets: [{ tenant: 'default', owner: '5925a68def86951f895cf497' }],
        },
      },
    });
    // The plan: people, then one tokengraph `_entities` fetch per entity type, in parallel.
    expect(fetches.sort()).toEqual(['people', 'tokengraph', 'tokengraph']);
    expect(paths('netbird')).toEqual(['/api/users/alice/tokens/nb-demo-1', '/api/users/alice/tokens/nb-demo-2']);
    expect(paths('crafterProfile')).toEqual([`/crafter-profile/api/1/authentication/ticket/${TICKET_ALICE}`]);
    expect(stack.totalCalls()).toBe(3);
  });

  it('tokengraph → people and reviews: tokens get a holder and a review note', async () => {
    const result = await query(`{
      tokens(refs: [
        { source: NETBIRD, userId: "alice", tokenId: "nb-demo-1" }
        { source: NETBIRD, userId: "svc-monitoring", tokenId: "nb-demo-3" }
        { source: GAME, tokenId: "game-demo-2" }
        { source: NETBIRD, userId: "alice", tokenId: "nb-demo-1" }
      ]) { name reviewNote ... on NetbirdPAT { holder { name } } }
    }`);
    expect(result).toEqual({
      data: {
        tokens: [
          { name: 'CI deploy', reviewNote: null, holder: { name: 'Alice Liddell' } },
          { name: 'monitoring', reviewNote: 'created by someone else', holder: { name: 'Bob Builder' } },
          { name: 'Treasure Hunt', reviewNote: null },
          { name: 'CI deploy', reviewNote: null, holder: { name: 'Alice Liddell' } },
        ],
      },
    });
    expect(fetches.sort()).toEqual(['people', 'reviews', 'tokengraph']);
    expect(paths('netbird')).toEqual(['/api/users/alice/tokens/nb-demo-1', '/api/users/svc-monitoring/tokens/nb-demo-3']);
    expect(paths('games')).toEqual(['/v1/tokens/game-demo-2']);
    expect(stack.totalCalls()).toBe(3);
  });

  it('reviews → tokengraph → people: tokens known only by global id resolve through the Token interface entity', async () => {
    const result = await query('{ tokensUnderReview { __typename id name status reviewNote ... on NetbirdPAT { holder { name } } } }');
    expect(result).toEqual({
      data: {
        tokensUnderReview: [
          { __typename: 'GameToken', id: toGlobalId('GameToken', ['game-demo-1']), name: 'Spin & Win <Deluxe>', status: 'EXPIRED', reviewNote: 'expired, still listed' },
          { __typename: 'AstraToken', id: toGlobalId('AstraToken', ['acme', 'ops-admin', 'astra-demo-1']), name: 'ops automation', status: 'NEVER_EXPIRES', reviewNote: 'scope too broad' },
          {
            __typename: 'CrafterAccessToken',
            id: toGlobalId('CrafterAccessToken', [fingerprintSecretId(DEMO_SITE_ACCESS_TOKEN)]),
            name: 'demo-site',
            status: 'ACTIVE',
            reviewNote: 'rotate yearly',
          },
          {
            __typename: 'NetbirdPAT',
            id: toGlobalId('NetbirdPAT', ['svc-monitoring', 'nb-demo-3']),
            name: 'monitoring',
            status: 'ACTIVE',
            reviewNote: 'created by someone else',
            holder: { name: 'Bob Builder' },
          },
        ],
      },
    });
    expect(fetches).toEqual(['reviews', 'tokengraph', 'people']);
    expect(paths('crafterProfile')).toEqual(['/crafter-profile/api/1/access_token/all']);
    expect(paths('astra')).toEqual(['/accounts/acme/core/v1/users/ops-admin/tokens/astra-demo-1']);
    expect(paths('netbird')).toEqual(['/api/users/svc-monitoring/tokens/nb-demo-3']);
    expect(paths('games')).toEqual(['/v1/tokens/game-demo-1']);
    expect(stack.totalCalls()).toBe(4);
  });
});
