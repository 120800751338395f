/**
 * Batching, counted at the upstream: within one GraphQL request every distinct upstream
 * resource is fetched once, whichever root fields ask for it, and every Crafter
 * access-token lookup is served by one `access_token/all` call.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_CREDENTIALS } from '../../src/demo/demoData.js';
import { toGlobalId } from '../../src/security/globalId.js';
import { fingerprintSecretId } from '../../src/security/secretIds.js';
import { UPSTREAM_NAMES } from '../../src/sources.js';
import { startStack, type Stack } from '../harness.js';

const ADMINCONSOLE = 'e8f5170c-877b-416f-b70f-4b09772f8e2d';
const CRAFTERENGINE = 'b4d44030-d0af-11e3-9c1a-0800200c9a66';
const CRAFTERSOCIAL = '2ba3ac10-c43e-11e3-9c1a-0800200c9a66';
const TICKET = '2e911e0b-ac47-423e-9174-4e8896f1b387';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack.close());
beforeEach(() => stack.reset());

const paths = (name: Parameters<Stack['calls']>[0]) => stack.calls(name).map((c) => c.path);

describe('batching', () => {
  it('fetches one resource once across aliases, token, tokens, node and nodes', async () => {
    const id = toGlobalId('NetbirdPAT', ['alice', 'nb-demo-1']);
    const response = await stack.query(
      `query ($id: ID!) {
        a: netbirdToken(userId: "alice", tokenId: "nb-demo-1") { name }
        b: netbirdToken(userId: "alice", tokenId: "nb-demo-1") { tokenId }
        c: token(ref: { source: NETBIRD, userId: "alice", tokenId: "nb-demo-1" }) { name }
        d: tokens(refs: [{ source: NETBIRD, userId: "alice", tokenId: "nb-demo-1" }, { source: NETBIRD, userId: "alice", tokenId: "nb-demo-1" }]) { name }
        e: node(id: $id) { id }
        f: nodes(ids: [$id, $id]) { id }
      }`,
      { id },
    );
    expect(response.body.errors).toBeUndefined();
    expect(response.body.data?.a.name).toBeTruthy();
    expect(response.body.data?.e.id).toBe(id);
    expect(paths('netbird')).toEqual(['/api/users/alice/tokens/nb-demo-1']);
    expect(stack.totalCalls()).toBe(1);
  });

  it('serves twenty Crafter access-token lookups plus the list with one access_token/all call', async () => {
    const ids = [ADMINCONSOLE, CRAFTERENGINE, CRAFTERSOCIAL, DEMO_CREDENTIALS.crafterProfile, 'no-such-access-token-id'];
    // Access-token ids are credentials: variables, never written in the document.
    const lookups = Array.from({ length: 20 }, (_, i) => `t${i}: crafterAccessToken(id: $id${i % ids.length}) { name }`);
    const response = await stack.query(
      `query (${ids.map((_, i) => `$id${i}: String!`).join(', ')}, $ref: TokenRef!) {
        ${lookups.join('\n')}
        crafterAccessTokens { id name }
        viaRef: token(ref: $ref) { name }
        viaNode: node(id: "${toGlobalId('CrafterAccessToken', [fingerprintSecretId(CRAFTERSOCIAL)])}") { ... on Token { name } }
      }`,
      { ...Object.fromEntries(ids.map((id, i) => [`id${i}`, id])), ref: { source: 'CRAFTER_ACCESS_TOKEN', tokenId: CRAFTERENGINE } },
    );
    expect(response.body.errors).toBeUndefined();
    const data = response.body.data!;
    expect(data.t0.name).toBe('adminconsole');
    expect(data.t1.name).toBe('crafterengine');
    expect(data.t4).toBeNull();
    expect(data.viaRef.name).toBe('crafterengine');
    expect(data.viaNode.name).toBe('craftersocial');
    expect(data.crafterAccessTokens.length).toBeGreaterThanOrEqual(4);
    expect(paths('crafterProfile')).toEqual(['/crafter-profile/api/1/access_token/all']);
    expect(stack.totalCalls()).toBe(1);
  });

  it('makes one call per distinct resource for a mixed tokens request of many refs', async () => {
    const distinct = [
      { source: 'CRAFTER_TICKET', tokenId: TICKET },
      { source: 'CRAFTER_TICKET', tokenId: 'no-such-ticket' },
      { source: 'CRAFTER_ACCESS_TOKEN', tokenId: ADMINCONSOLE },
      { source: 'CRAFTER_ACCESS_TOKEN', tokenId: CRAFTERENGINE },
      { source: 'ASTRA', accountId: 'acme', userId: 'ops-admin', tokenId: 'astra-demo-1' },
      { source: 'ASTRA', accountId: 'acme', userId: 'ops-admin', tokenId: 'astra-missing' },
      { source: 'NETBIRD', userId: 'alice', tokenId: 'nb-demo-1' },
      { source: 'NETBIRD', userId: 'alice', tokenId: 'nb-demo-2' },
      { source: 'NETBIRD', userId: 'svc-ci', tokenId: 'nb-demo-1' },
      { source: 'GAME', tokenId: 'game-demo-1' },
      { source: 'GAME', tokenId: 'game-demo-2' },
    ];
    // Every ref three times, interleaved, plus the same tokens through the per-source fields.
    const refs = [...distinct, ...[...distinct].reverse(), ...distinct];
    const response = await stack.query(
      `query ($refs: [TokenRef!]!, $ticket: String!) {
        tokens(refs: $refs) { source tokenId }
        gameToken(id: "game-demo-1") { name }
        crafterTicket(id: $ticket) { tenant }
        astraToken(accountId: "acme", userId: "ops-admin", tokenId: "astra-demo-1") { name }
      }`,
      { refs, ticket: TICKET },
    );
    expect(response.body.errors).toBeUndefined();
    expect(response.body.data?.tokens).toHaveLength(33);
    expect(response.body.data?.tokens[1]).toBeNull();
    expect(paths('crafterProfile').sort()).toEqual(
      [`/crafter-profile/api/1/authentication/ticket/${TICKET}`, '/crafter-profile/api/1/authentication/ticket/no-such-ticket', '/crafter-profile/api/1/access_token/all'].sort(),
    );
    expect(paths('astra').sort()).toEqual(
      ['/accounts/acme/core/v1/users/ops-admin/tokens/astra-demo-1', '/accounts/acme/core/v1/users/ops-admin/tokens/astra-missing'].sort(),
    );
    expect(paths('netbird').sort()).toEqual(
      ['/api/users/alice/tokens/nb-demo-1', '/api/users/alice/tokens/nb-demo-2', '/api/users/svc-ci/tokens/nb-demo-1'].sort(),
    );
    expect(paths('games').sort()).toEqual(['/v1/tokens/game-demo-1', '/v1/tokens/game-demo-2']);
    expect(stack.totalCalls()).toBe(10);
  });

  it('does not share loaders between requests: a second request fetches again', async () => {
    const document = '{ gameToken(id: "game-demo-1") { name } }';
    await stack.query(document);
    await stack.query(document);
    expect(paths('games')).toEqual(['/v1/tokens/game-demo-1', '/v1/tokens/game-demo-1']);
  });
});

describe('concurrency', () => {
  it('has all five sources in flight at once', async () => {
    for (const name of UPSTREAM_NAMES) stack.upstreams[name].latencyMs = 300;
    try {
      const response = await stack.query(
        `query ($ticket: String!) {
          crafterTicket(id: $ticket) { tenant }
          crafterAccessTokens { name }
          astraToken(accountId: "acme", userId: "ops-admin", tokenId: "astra-demo-1") { name }
          netbirdToken(userId: "alice", tokenId: "nb-demo-1") { name }
          gameToken(id: "game-demo-1") { name }
        }`,
        { ticket: TICKET },
      );
      expect(response.body.errors).toBeUndefined();
      expect(stack.totalCalls()).toBe(5);
      // Sequential calls would never have more than one request open at a time.
      expect(stack.meter.max).toBe(5);
    } finally {
      for (const name of UPSTREAM_NAMES) stack.upstreams[name].latencyMs = 0;
    }
  });
});
