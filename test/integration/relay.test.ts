/**
 * Relay's object identification, with an id of every token type: global ids are the same
 * after a restart (they are derived from the upstream keys alone, so they are pinned here
 * as literals), and `nodes` answers in the order of its input with `null` where no token
 * exists, one upstream call per distinct resource.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toGlobalId } from '../../src/security/globalId.js';
import { fingerprintSecretId } from '../../src/security/secretIds.js';
import { startStack, type Stack } from '../harness.js';

const REFS = [
  { source: 'CRAFTER_TICKET', tokenId: '2e911e0b-ac47-423e-9174-4e8896f1b387' },
  { source: 'CRAFTER_ACCESS_TOKEN', tokenId: 'f81d4fae-7dec-11d0-a765-00a0c91e6bf6' },
  { source: 'ASTRA', accountId: 'acme', userId: 'ops-admin', tokenId: 'astra-demo-1' },
  { source: 'NETBIRD', userId: 'alice', tokenId: 'nb-demo-1' },
  { source: 'GAME', tokenId: 'game-demo-1' },
];

/** What tokengraph answered for REFS on the day these were written; a change breaks every stored id. */
const IDS = {
  CrafterTicket: 'WyJDcmFmdGVyVGlja2V0IiwiMmU5MTFlMGItYWM0Ny00MjNlLTkxNzQtNGU4ODk2ZjFiMzg3Il0',
  CrafterAccessToken:
    'WyJDcmFmdGVyQWNjZXNzVG9rZW4iLCIzMGE1MTU0Yjc3YWI4YjJkZGJlMTlmNWU3YWY3MmYzM2NjMmE0YTQxZjIyOTQwZDk2NTEwMjY1MGExYzcyODYzIl0',
  AstraToken: 'WyJBc3RyYVRva2VuIiwiYWNtZSIsIm9wcy1hZG1pbiIsImFzdHJhLWRlbW8tMSJd',
  NetbirdPAT: 'WyJOZXRiaXJkUEFUIiwiYWxpY2UiLCJuYi1kZW1vLTEiXQ',
  GameToken: 'WyJHYW1lVG9rZW4iLCJnYW1lLWRlbW8tMSJd',
};

const TOKENS = `query ($refs: [TokenRef!]!) { tokens(refs: $refs) { __typename id } }`;

describe('global ids', () => {
  it('are the same from one tokengraph start to the next (fresh upstreams, ports and clock)', async () => {
    const expected = Object.entries(IDS).map(([__typename, id]) => ({ __typename, id }));
    for (const now of [new Date(), new Date(Date.now() + 86_400_000)]) {
      const stack = await startStack({ now });
      try {
        const response = await stack.query(TOKENS, { refs: REFS });
        expect(response.body.errors).toBeUndefined();
        expect(response.body.data?.tokens).toEqual(expected);
        // nodes(ids:) on this start finds each token by the ids the other start issued.
        const again = await stack.query(`query ($ids: [ID!]!) { nodes(ids: $ids) { id } }`, { ids: Object.values(IDS) });
        expect(again.body.data?.nodes).toEqual(Object.values(IDS).map((id) => ({ id })));
      } finally {
        await stack.close();
      }
    }
  });
});

describe('nodes', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack();
  });
  afterAll(() => stack.close());

  it('keeps the order of its input, with null where no token exists', async () => {
    const missing = {
      CrafterTicket: toGlobalId('CrafterTicket', ['no-such-ticket']),
      CrafterAccessToken: toGlobalId('CrafterAccessToken', [fingerprintSecretId('no-such-access-token')]),
      AstraToken: toGlobalId('AstraToken', ['acme', 'ops-admin', 'no-such-astra-token']),
      NetbirdPAT: toGlobalId('NetbirdPAT', ['svc-ci', 'nb-demo-1']),
      GameToken: toGlobalId('GameToken', ['no-such-game-token']),
    };
    const ids = [
      missing.GameToken,
      IDS.NetbirdPAT,
      missing.CrafterTicket,
      IDS.AstraToken,
      missing.CrafterAccessToken,
      IDS.GameToken,
      IDS.CrafterTicket,
      missing.NetbirdPAT,
      IDS.CrafterAccessToken,
      missing.AstraToken,
      IDS.GameToken,
    ];
    const response = await stack.query(`query ($ids: [ID!]!) { nodes(ids: $ids) { __typename id ... on Token { tokenId name } } }`, { ids });
    expect(response.body.errors).toBeUndefined();
    expect(response.body.data?.nodes).toEqual([
      null,
      { __typename: 'NetbirdPAT', id: IDS.NetbirdPAT, tokenId: 'nb-demo-1', name: 'CI deploy' },
      null,
      { __typename: 'AstraToken', id: IDS.AstraToken, tokenId: 'astra-demo-1', name: 'ops automation' },
      null,
      { __typename: 'GameToken', id: IDS.GameToken, tokenId: 'game-demo-1', name: 'Spin & Win <Deluxe>' },
      { __typename: 'CrafterTicket', id: IDS.CrafterTicket, tokenId: '2e911e0b-ac47-423e-9174-4e8896f1b387', name: null },
      null,
      { __typename: 'CrafterAccessToken', id: IDS.CrafterAccessToken, tokenId: 'f81d…6bf6', name: 'demo-site' },
      null,
      { __typename: 'GameToken', id: IDS.GameToken, tokenId: 'game-demo-1', name: 'Spin & Win <Deluxe>' },
    ]);
    // Ten distinct tokens, nine calls: both access-token lookups share one access_token/all call.
    expect(stack.calls('crafterProfile')).toHaveLength(3);
    expect(stack.calls('astra')).toHaveLength(2);
    expect(stack.calls('netbird')).toHaveLength(2);
    expect(stack.calls('games')).toHaveLength(2);
    expect(stack.totalCalls()).toBe(9);
  });
});
