import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/observability/createLogger.js';
import { createTokengraph } from '../../src/http/createTokengraph.js';
import { closedPort, errorAt, startStack, testConfig, testSource, type Stack } from '../harness.js';

describe('only some sources configured', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ configured: ['netbird', 'games'] });
  });
  afterAll(() => stack.close());

  it('answers SOURCE_NOT_CONFIGURED for the others, and the configured ones normally', async () => {
    const response = await stack.query(
      `query ($ticket: String!, $accessToken: String!) {
        crafterTicket(id: $ticket) { tenant }
        crafterAccessTokens { name }
        crafterAccessToken(id: $accessToken) { name }
        astraToken(accountId: "acme", userId: "ops-admin", tokenId: "astra-demo-1") { name }
        netbirdToken(userId: "alice", tokenId: "nb-demo-1") { name }
        gameToken(id: "game-demo-1") { tokenId }
        tokens(refs: [{ source: ASTRA, accountId: "acme", userId: "ops-admin", tokenId: "astra-demo-1" }, { source: GAME, tokenId: "game-demo-1" }]) { tokenId }
      }`,
      { ticket: '2e911e0b-ac47-423e-9174-4e8896f1b387', accessToken: 'e8f5170c-877b-416f-b70f-4b09772f8e2d' },
    );
    const data = response.body.data!;
    expect(data.netbirdToken).not.toBeNull();
    expect(data.gameToken).toEqual({ tokenId: 'game-demo-1' });
    expect(data.tokens).toEqual([null, { tokenId: 'game-demo-1' }]);
    for (const [path, source] of [
      [['crafterTicket'], 'CRAFTER_TICKET'],
      [['crafterAccessTokens'], 'CRAFTER_ACCESS_TOKEN'],
      [['crafterAccessToken'], 'CRAFTER_ACCESS_TOKEN'],
      [['astraToken'], 'ASTRA'],
      [['tokens', 0], 'ASTRA'],
    ] as const) {
      expect(errorAt(response, ...path)?.extensions).toEqual({ code: 'SOURCE_NOT_CONFIGURED', upstream: { source } });
    }
    expect(response.body.errors).toHaveLength(5);
    expect(stack.calls('crafterProfile')).toHaveLength(0);
    expect(stack.calls('astra')).toHaveLength(0);
  });
});

describe('an upstream that refuses connections', () => {
  it('is UPSTREAM_UNAVAILABLE', async () => {
    const port = await closedPort();
    const tokengraph = await createTokengraph(
      testConfig({ upstreams: { netbird: testSource(`http://127.0.0.1:${port}/`, 'secret-netbird') } }),
      createLogger('silent'),
    );
    const url = await tokengraph.listen();
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ netbirdToken(userId: "alice", tokenId: "nb-demo-1") { name } }' }),
      });
      const body = (await response.json()) as any;
      expect(body.data).toEqual({ netbirdToken: null });
      expect(body.errors[0].extensions).toEqual({ code: 'UPSTREAM_UNAVAILABLE', upstream: { source: 'NETBIRD' } });
      expect(body.errors[0].message).toContain('ECONNREFUSED');
      expect(JSON.stringify(body)).not.toContain(String(port));
    } finally {
      await tokengraph.close();
    }
  });
});
