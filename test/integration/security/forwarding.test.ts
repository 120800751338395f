/**
 * Credential forwarding: with `<PREFIX>_FORWARD_HEADER` set, each upstream call carries the
 * caller's own credential from that header, sent the upstream's documented way, so the
 * upstream's own authorization applies to the caller. Without the header there is no
 * upstream call and no fallback to a static credential.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DEMO_CREDENTIALS } from '../../../src/demo/demoData.js';
import { errorAt, startStack, type Stack } from '../../harness.js';

const TICKET = '2e911e0b-ac47-423e-9174-4e8896f1b387';
/** `demo-site`: a valid Crafter access token that is not a master token. */
const NON_MASTER = 'f81d4fae-7dec-11d0-a765-00a0c91e6bf6';

const HEADERS = {
  crafterProfile: 'x-crafter-access-token-id',
  astra: 'x-astra-token',
  netbird: 'x-netbird-token',
  games: 'x-games-token',
};
const CALLER = {
  [HEADERS.crafterProfile]: DEMO_CREDENTIALS.crafterProfile,
  [HEADERS.astra]: DEMO_CREDENTIALS.astra,
  [HEADERS.netbird]: DEMO_CREDENTIALS.netbird,
  [HEADERS.games]: DEMO_CREDENTIALS.games,
};

const EVERY_SOURCE = `query ($ticket: String!) {
  crafterTicket(id: $ticket) { tenant }
  crafterAccessTokens { name }
  astraToken(accountId: "acme", userId: "ops-admin", tokenId: "astra-demo-1") { name }
  netbirdToken(userId: "alice", tokenId: "nb-demo-1") { name }
  gameToken(id: "game-demo-1") { name }
}`;
/** The ticket id is a session credential: a variable, never written in the document. */
const TICKET_VARIABLES = { ticket: TICKET };

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ forwardHeaders: HEADERS });
});
afterAll(() => stack.close());
beforeEach(() => stack.reset());

describe('credential forwarding', () => {
  it("sends each caller's credential the upstream's documented way", async () => {
    const response = await stack.query(EVERY_SOURCE, TICKET_VARIABLES, CALLER);
    expect(response.body.errors).toBeUndefined();
    expect(response.body.data).toMatchObject({ crafterTicket: { tenant: 'default' }, netbirdToken: { name: 'CI deploy' }, gameToken: { name: expect.any(String) } });
    expect(stack.calls('crafterProfile').map((c) => c.query)).toEqual([
      { accessTokenId: DEMO_CREDENTIALS.crafterProfile },
      { accessTokenId: DEMO_CREDENTIALS.crafterProfile },
    ]);
    expect(stack.calls('astra').map((c) => c.headers.authorization)).toEqual([`Bearer ${DEMO_CREDENTIALS.astra}`]);
    expect(stack.calls('netbird').map((c) => c.headers.authorization)).toEqual([`Token ${DEMO_CREDENTIALS.netbird}`]);
    expect(stack.calls('games').map((c) => c.headers.authorization)).toEqual([`Bearer ${DEMO_CREDENTIALS.games}`]);
  });

  it('without the header: UNAUTHENTICATED naming the header, and no upstream call', async () => {
    const response = await stack.query(EVERY_SOURCE, TICKET_VARIABLES);
    expect(response.status).toBe(200);
    expect(stack.totalCalls()).toBe(0);
    const expected: Array<[string, string, string]> = [
      ['crafterTicket', 'CRAFTER_TICKET', HEADERS.crafterProfile],
      ['crafterAccessTokens', 'CRAFTER_ACCESS_TOKEN', HEADERS.crafterProfile],
      ['astraToken', 'ASTRA', HEADERS.astra],
      ['netbirdToken', 'NETBIRD', HEADERS.netbird],
      ['gameToken', 'GAME', HEADERS.games],
    ];
    for (const [field, source, header] of expected) {
      expect(response.body.data?.[field], field).toBeNull();
      expect(errorAt(response, field)).toMatchObject({
        message: expect.stringContaining(`in the ${header} request header`),
        extensions: { code: 'UNAUTHENTICATED', upstream: { source } },
      });
    }
  });

  it("one source's missing header touches no other source", async () => {
    const response = await stack.query(EVERY_SOURCE, TICKET_VARIABLES, { 'X-NetBird-Token': DEMO_CREDENTIALS.netbird });
    expect(response.body.data?.netbirdToken).toEqual({ name: 'CI deploy' });
    expect(response.body.errors?.map((e) => e.extensions?.code)).toEqual(Array(4).fill('UNAUTHENTICATED'));
    expect(stack.totalCalls()).toBe(1);
  });

  it("applies the upstream's authorization to the caller", async () => {
    const response = await stack.query(EVERY_SOURCE, TICKET_VARIABLES, {
      ...CALLER,
      [HEADERS.crafterProfile]: NON_MASTER,
      [HEADERS.netbird]: 'someone-elses-token',
    });
    // A non-master Crafter token may read a ticket but not the access-token list.
    expect(response.body.data?.crafterTicket).toEqual({ tenant: 'default' });
    expect(errorAt(response, 'crafterAccessTokens')?.extensions?.code).toBe('UPSTREAM_FORBIDDEN');
    expect(errorAt(response, 'netbirdToken')?.extensions?.code).toBe('UPSTREAM_UNAUTHORIZED');
    expect(response.body.data?.gameToken).not.toBeNull();
  });

  it('removes a forwarded credential that the upstream echoes in its error body', async () => {
    const unknown = 'caller-crafter-id-not-known-upstream';
    const response = await stack.query('query ($id: String!) { crafterTicket(id: $id) { tenant } }', { id: TICKET }, { [HEADERS.crafterProfile]: unknown });
    const error = errorAt(response, 'crafterTicket');
    // Crafter refuses an unknown accessTokenId with 403 ACCESS_DENIED: tokengraph's credential not accepted.
    expect(error?.extensions).toMatchObject({ code: 'UPSTREAM_UNAUTHORIZED', upstream: { status: 403, errorCode: 'ACCESS_DENIED', detail: 'No access token found for ID "[redacted]"' } });
    expect(JSON.stringify(response.body)).not.toContain(unknown);
  });

  it("never serves one caller's answer to another, even concurrently", async () => {
    const document = '{ netbirdToken(userId: "alice", tokenId: "nb-demo-1") { name } }';
    const [good, bad] = await Promise.all([
      stack.query(document, undefined, { [HEADERS.netbird]: DEMO_CREDENTIALS.netbird }),
      stack.query(document, undefined, { [HEADERS.netbird]: 'an-invalid-caller-token' }),
    ]);
    expect(good.body).toEqual({ data: { netbirdToken: { name: 'CI deploy' } } });
    expect(bad.body.data?.netbirdToken).toBeNull();
    expect(errorAt(bad, 'netbirdToken')?.extensions?.code).toBe('UPSTREAM_UNAUTHORIZED');
    expect(stack.calls('netbird').map((c) => c.headers.authorization).sort()).toEqual(['Token an-invalid-caller-token', `Token ${DEMO_CREDENTIALS.netbird}`]);
  });
});

describe('credential forwarding with the cross-request cache on', () => {
  const NETBIRD = '{ netbirdToken(userId: "alice", tokenId: "nb-demo-1") { name } }';
  let cachedStack: Stack;
  beforeAll(async () => {
    cachedStack = await startStack({ forwardHeaders: { netbird: HEADERS.netbird }, config: { cache: { mode: 'memory', maxEntries: 100, maxBytes: 1024 * 1024 } } });
  });
  afterAll(() => cachedStack.close());

  it("keys entries by the caller's credential: another caller never gets them, and a wrong one gets the upstream's own 401", async () => {
    const alice = { [HEADERS.netbird]: DEMO_CREDENTIALS.netbird };
    const first = await cachedStack.query(NETBIRD, undefined, alice);
    expect(first.body.data).toEqual({ netbirdToken: { name: 'CI deploy' } });
    const again = await cachedStack.query(NETBIRD, undefined, alice);
    expect(again.body.data).toEqual({ netbirdToken: { name: 'CI deploy' } });
    expect(cachedStack.calls('netbird')).toHaveLength(1);

    const mallory = await cachedStack.query(NETBIRD, undefined, { [HEADERS.netbird]: 'not-alices-token' });
    expect(mallory.body.data).toEqual({ netbirdToken: null });
    expect(errorAt(mallory, 'netbirdToken')?.extensions?.code).toBe('UPSTREAM_UNAUTHORIZED');
    expect(cachedStack.calls('netbird').map((c) => c.headers.authorization)).toEqual([`Token ${DEMO_CREDENTIALS.netbird}`, 'Token not-alices-token']);

    const anonymous = await cachedStack.query(NETBIRD);
    expect(errorAt(anonymous, 'netbirdToken')?.extensions?.code).toBe('UNAUTHENTICATED');
    expect(cachedStack.calls('netbird')).toHaveLength(2);
  });
});
