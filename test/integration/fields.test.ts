/**
 * Every root field and every field of every type, over HTTP against the demo upstreams,
 * with the normalized values the contract's mapping table asks for.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/observability/createLogger.js';
import { demoData, DEMO_CREDENTIALS } from '../../src/demo/demoData.js';
import { startGamesUpstream, type GamesFormat } from '../../src/demo/gamesUpstream.js';
import { toGlobalId } from '../../src/security/globalId.js';
import { fingerprintSecretId } from '../../src/security/secretIds.js';
import { createTokengraph } from '../../src/http/createTokengraph.js';
import { startStack, testConfig, testSource, type Stack } from '../harness.js';

const NOW = new Date();
const t = NOW.getTime();
const DAY = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString();
const isoSeconds = (ms: number) => iso(Math.floor(ms / 1000) * 1000);

const TOKEN_FIELDS = 'id tokenId source name owner createdBy createdAt expiresAt lastUsedAt status';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ now: NOW });
});
afterAll(() => stack.close());

describe('every field of every type', () => {
  it('CrafterTicket', async () => {
    const response = await stack.query(`query ($id: String!) { crafterTicket(id: $id) { __typename ${TOKEN_FIELDS} tenant profileId } }`, { id: '2e911e0b-ac47-423e-9174-4e8896f1b387' });
    expect(response.body).toEqual({
      data: {
        crafterTicket: {
          __typename: 'CrafterTicket',
          id: toGlobalId('CrafterTicket', ['2e911e0b-ac47-423e-9174-4e8896f1b387']),
          tokenId: '2e911e0b-ac47-423e-9174-4e8896f1b387',
          source: 'CRAFTER_TICKET',
          name: null,
          owner: '5925a68def86951f895cf497',
          createdBy: null,
          createdAt: null,
          expiresAt: null,
          // Crafter sets lastRequestTime to the time of every read, this one's too: no last use is known.
          lastUsedAt: null,
          // A ticket Crafter returns is live.
          status: 'ACTIVE',
          tenant: 'default',
          profileId: '5925a68def86951f895cf497',
        },
      },
    });
  });

  it("null tenantPermissions and allowedActions, which Crafter writes for a token created without them, are [] (one such token does not fail the list)", async () => {
    const response = await stack.query(
      `query ($legacy: String!, $reports: String!) {
        legacy: crafterAccessToken(id: $legacy) { name tenantPermissions { tenant allowedActions } }
        reports: crafterAccessToken(id: $reports) { name tenantPermissions { tenant allowedActions } }
        crafterAccessTokens { name }
      }`,
      { legacy: '5c1d9e2f-3a4b-4c6d-8e7f-9a0b1c2d3e4f', reports: '7a8b9c0d-1e2f-4a3b-8c4d-5e6f7a8b9c0d' },
    );
    expect(response.body).toEqual({
      data: {
        legacy: { name: 'legacy-widget', tenantPermissions: [] },
        reports: { name: 'reports', tenantPermissions: [{ tenant: 'default', allowedActions: [] }] },
        crafterAccessTokens: expect.arrayContaining([{ name: 'legacy-widget' }, { name: 'reports' }]),
      },
    });
    expect(stack.calls('crafterProfile').filter((call) => call.path.endsWith('/access_token/all'))).toHaveLength(1);
  });

  it('CrafterAccessToken, masked, by id and in the list', async () => {
    const response = await stack.query(
      `query ($id: String!) {
        crafterAccessToken(id: $id) { __typename ${TOKEN_FIELDS} master tenantPermissions { tenant allowedActions } }
        crafterAccessTokens { tokenId name status master expiresAt }
      }`,
      { id: 'e8f5170c-877b-416f-b70f-4b09772f8e2d' },
    );
    expect(response.body.errors).toBeUndefined();
    expect(response.body.data?.crafterAccessToken).toEqual({
      __typename: 'CrafterAccessToken',
      id: toGlobalId('CrafterAccessToken', [fingerprintSecretId('e8f5170c-877b-416f-b70f-4b09772f8e2d')]),
      tokenId: 'e8f5…8e2d',
      source: 'CRAFTER_ACCESS_TOKEN',
      name: 'adminconsole',
      owner: null,
      createdBy: null,
      createdAt: null,
      expiresAt: '2024-01-01T00:00:00.000Z',
      lastUsedAt: null,
      status: 'EXPIRED',
      master: true,
      tenantPermissions: [{ tenant: '*', allowedActions: ['*'] }],
    });
    expect(response.body.data?.crafterAccessTokens).toEqual([
      { tokenId: 'e8f5…8e2d', name: 'adminconsole', status: 'EXPIRED', master: true, expiresAt: '2024-01-01T00:00:00.000Z' },
      { tokenId: 'b4d4…9a66', name: 'crafterengine', status: 'EXPIRED', master: false, expiresAt: '2024-01-01T00:00:00.000Z' },
      { tokenId: '2ba3…9a66', name: 'craftersocial', status: 'EXPIRED', master: false, expiresAt: '2024-01-01T00:00:00.000Z' },
      { tokenId: 'de30…6014', name: 'tokengraph', status: 'ACTIVE', master: true, expiresAt: iso(t + 180 * DAY) },
      { tokenId: 'f81d…6bf6', name: 'demo-site', status: 'ACTIVE', master: false, expiresAt: iso(t + 365 * DAY) },
      // expiresOn null: it never expires, and sorts with the nulls.
      { tokenId: '0b8e…0b1c', name: 'provisioning', status: 'NEVER_EXPIRES', master: true, expiresAt: null },
      { tokenId: '5c1d…3e4f', name: 'legacy-widget', status: 'ACTIVE', master: false, expiresAt: iso(t + 90 * DAY) },
      { tokenId: '7a8b…9c0d', name: 'reports', status: 'ACTIVE', master: false, expiresAt: iso(t + 200 * DAY) },
    ]);
    // No real access-token id anywhere in the answer.
    const text = JSON.stringify(response.body);
    for (const ref of demoData(NOW).crafterProfile.accessTokens) expect(text).not.toContain(ref.id);
    expect(text).not.toContain(DEMO_CREDENTIALS.crafterProfile);
  });

  it('AstraToken', async () => {
    const response = await stack.query(
      `{ astraToken(accountId: "acme", userId: "ops-admin", tokenId: "astra-demo-1") { __typename ${TOKEN_FIELDS} accountId userId resourceType version labels { name value } modifiedAt modifiedBy } }`,
    );
    expect(response.body).toEqual({
      data: {
        astraToken: {
          __typename: 'AstraToken',
          id: toGlobalId('AstraToken', ['acme', 'ops-admin', 'astra-demo-1']),
          tokenId: 'astra-demo-1',
          source: 'ASTRA',
          name: 'ops automation',
          owner: 'ops-admin',
          createdBy: 'ops-admin',
          createdAt: isoSeconds(t - 90 * DAY),
          expiresAt: null,
          lastUsedAt: null,
          // Astra API tokens never expire: valid until revoked.
          status: 'NEVER_EXPIRES',
          accountId: 'acme',
          userId: 'ops-admin',
          resourceType: 'application/astra-token',
          version: '1.0',
          labels: [
            { name: 'team', value: 'platform' },
            { name: 'purpose', value: 'ci-backups' },
          ],
          modifiedAt: isoSeconds(t - 7 * DAY),
          modifiedBy: 'sec-auditor',
        },
      },
    });
  });

  it('NetbirdPAT', async () => {
    const response = await stack.query(`{ netbirdToken(userId: "alice", tokenId: "nb-demo-1") { __typename ${TOKEN_FIELDS} userId } }`);
    expect(response.body).toEqual({
      data: {
        netbirdToken: {
          __typename: 'NetbirdPAT',
          id: toGlobalId('NetbirdPAT', ['alice', 'nb-demo-1']),
          tokenId: 'nb-demo-1',
          source: 'NETBIRD',
          name: 'CI deploy',
          owner: 'alice',
          createdBy: 'alice',
          createdAt: iso(t - 60 * DAY),
          expiresAt: iso(t + 30 * DAY),
          lastUsedAt: iso(t - 3_600_000),
          status: 'ACTIVE',
          userId: 'alice',
        },
      },
    });
  });

  it('GameToken, with .NET dates truncated to milliseconds', async () => {
    const response = await stack.query(
      `{ gameToken(id: "game-demo-1") { __typename ${TOKEN_FIELDS} participantSourceId gameSourceId gameIconUrl reason gamePlayKey } }`,
    );
    expect(response.body).toEqual({
      data: {
        gameToken: {
          __typename: 'GameToken',
          id: toGlobalId('GameToken', ['game-demo-1']),
          tokenId: 'game-demo-1',
          source: 'GAME',
          name: 'Spin & Win <Deluxe>',
          owner: 'player-4711',
          createdBy: null,
          createdAt: iso(t - 45 * DAY),
          expiresAt: iso(t - 15 * DAY),
          lastUsedAt: null,
          status: 'EXPIRED',
          participantSourceId: 'player-4711',
          gameSourceId: 'spin-and-win',
          gameIconUrl: 'https://games.example/icons/spin-and-win.png?size=64&theme=dark',
          reason: 'Welcome bonus',
          gamePlayKey: '3f2b8c1e-9d4a-4e6b-8f7c-2a1d5e9b0c34',
        },
      },
    });
  });
});

describe('every root field', () => {
  it('token, tokens, node and nodes answer every type through one Token selection', async () => {
    const refs = [
      { source: 'CRAFTER_TICKET', tokenId: '2e911e0b-ac47-423e-9174-4e8896f1b387' },
      { source: 'CRAFTER_ACCESS_TOKEN', tokenId: 'f81d4fae-7dec-11d0-a765-00a0c91e6bf6' },
      { source: 'ASTRA', accountId: 'acme', userId: 'ops-admin', tokenId: 'astra-demo-2' },
      { source: 'NETBIRD', userId: 'alice', tokenId: 'nb-demo-2' },
      { source: 'GAME', tokenId: 'game-demo-2' },
    ];
    const first = await stack.query(`query ($refs: [TokenRef!]!, $one: TokenRef!) {
      tokens(refs: $refs) { __typename ${TOKEN_FIELDS} }
      token(ref: $one) { __typename tokenId status }
    }`, { refs, one: refs[3] });
    expect(first.body.errors).toBeUndefined();
    const tokens = first.body.data!.tokens as Array<Record<string, unknown>>;
    expect(tokens.map((x) => [x.__typename, x.source, x.status])).toEqual([
      ['CrafterTicket', 'CRAFTER_TICKET', 'ACTIVE'],
      ['CrafterAccessToken', 'CRAFTER_ACCESS_TOKEN', 'ACTIVE'],
      ['AstraToken', 'ASTRA', 'NEVER_EXPIRES'],
      ['NetbirdPAT', 'NETBIRD', 'EXPIRED'],
      ['GameToken', 'GAME', 'ACTIVE'],
    ]);
    expect(tokens[3]!.lastUsedAt).toBeNull();
    expect(first.body.data!.token).toEqual({ __typename: 'NetbirdPAT', tokenId: 'nb-demo-2', status: 'EXPIRED' });

    // node(id:) and nodes(ids:) fetch each one again, in order, with null where none exists.
    const ids = tokens.map((x) => x.id as string);
    const missing = toGlobalId('GameToken', ['no-such-game-token']);
    const again = await stack.query(`query ($ids: [ID!]!, $one: ID!) {
      nodes(ids: $ids) { __typename ... on Token { ${TOKEN_FIELDS} } }
      node(id: $one) { id }
    }`, { ids: [...ids, missing], one: ids[0] });
    expect(again.body.errors).toBeUndefined();
    expect(again.body.data!.nodes).toEqual([...tokens, null]);
    expect(again.body.data!.node).toEqual({ id: ids[0] });
  });
});

describe.each(['xml', 'html'] as GamesFormat[])('a games upstream answering %s', (format) => {
  it('is read the same as JSON', async () => {
    const games = await startGamesUpstream({ format, data: demoData(NOW).games });
    const tokengraph = await createTokengraph(
      testConfig({ upstreams: { games: testSource(games.url, DEMO_CREDENTIALS.games) } }),
      createLogger('silent'),
    );
    try {
      const url = await tokengraph.listen();
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ a: gameToken(id: "game-demo-1") { name createdAt expiresAt status reason } b: gameToken(id: "game-demo-2") { reason status } }' }),
      });
      expect(await response.json()).toEqual({
        data: {
          a: { name: 'Spin & Win <Deluxe>', createdAt: iso(t - 45 * DAY), expiresAt: iso(t - 15 * DAY), status: 'EXPIRED', reason: 'Welcome bonus' },
          b: { reason: null, status: 'ACTIVE' },
        },
      });
      expect(games.calls).toHaveLength(2);
    } finally {
      await tokengraph.close();
      await games.close();
    }
  });
});
