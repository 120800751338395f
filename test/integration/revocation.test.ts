/**
 * Revocation over real HTTP against the loopback upstreams (contract §9): every outcome for every
 * source, with the method, path and number of upstream calls asserted; the upstream's failures on
 * the revocation call; who may call it; no blind retry; nothing cached showing a revoked token
 * (memory and Redis, request, cache and inventory); the audit line and the metric.
 *
 * Revoking changes the demo upstreams' data, so every test that revokes gets a stack of its own.
 */
import { Writable } from 'node:stream';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import pino from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { readConfig, type CacheConfig } from '../../src/config/readConfig.js';
import { DEMO_CREDENTIALS } from '../../src/demo/demoData.js';
import type { Fault, RecordedCall } from '../../src/demo/fakeUpstream.js';
import { apiKeyFingerprint } from '../../src/security/apiKeys.js';
import type { UpstreamName } from '../../src/sources.js';
import { startStack, type Stack, type StackOptions } from '../harness.js';
import { startRedis, type TestRedis } from '../redisServer.js';

const ADMIN_KEY = 'admin-key-0123456789abcdef';
const READ_KEY = 'read-only-key-0123456789';
const ACCESS_TOKEN = 'f81d4fae-7dec-11d0-a765-00a0c91e6bf6';
const TICKET = '8f14e45f-ceea-467a-9a1b-3c5d2f9e0a61';

/**
 * One demo token of each source, as a TokenRef, with where it lives upstream and the upstream's own
 * answer that it is gone (`gone`; null where the revocation call has none: Crafter's access-token
 * delete answers 200 for any id).
 */
const TOKENS = {
  NETBIRD: {
    ref: { source: 'NETBIRD', userId: 'alice', tokenId: 'nb-demo-1' },
    upstream: 'netbird',
    read: 'GET /api/users/alice/tokens/nb-demo-1',
    revoke: 'DELETE /api/users/alice/tokens/nb-demo-1',
    gone: { kind: 'body', status: 404, body: '{"message":"pat: nb-demo-1 not found","code":404}\n', contentType: 'application/json; charset=UTF-8' },
  },
  ASTRA: {
    ref: { source: 'ASTRA', accountId: 'acme', userId: 'ops-admin', tokenId: 'astra-demo-1' },
    upstream: 'astra',
    read: 'GET /accounts/acme/core/v1/users/ops-admin/tokens/astra-demo-1',
    revoke: 'DELETE /accounts/acme/core/v1/users/ops-admin/tokens/astra-demo-1',
    // The fake's 404 for a DELETE: astra.json's problem 1.
    gone: { kind: 'status', status: 404 },
  },
  CRAFTER_ACCESS_TOKEN: {
    ref: { source: 'CRAFTER_ACCESS_TOKEN', tokenId: ACCESS_TOKEN },
    upstream: 'crafterProfile',
    read: 'GET /crafter-profile/api/1/access_token/all',
    revoke: `POST /crafter-profile/api/1/access_token/${ACCESS_TOKEN}/delete`,
    gone: null,
  },
  CRAFTER_TICKET: {
    ref: { source: 'CRAFTER_TICKET', tokenId: TICKET },
    upstream: 'crafterProfile',
    read: `GET /crafter-profile/api/1/authentication/ticket/${TICKET}`,
    revoke: `POST /crafter-profile/api/1/authentication/ticket/${TICKET}/invalidate`,
    gone: { kind: 'body', status: 404, body: `{"errorCode":"NO_SUCH_TICKET","message":"No ticket with ID \\"${TICKET}\\" found"}`, contentType: 'application/json;charset=UTF-8' },
  },
} as const satisfies Record<string, { ref: Record<string, string>; upstream: UpstreamName; read: string; revoke: string; gone: Fault | null }>;
/** A 404 no upstream writes of its own: a proxy's page (a wrong base URL). */
const PROXY_404: Fault = { kind: 'body', status: 404, body: '<html><head><title>404 Not Found</title></head><body><h1>404 Not Found</h1><hr><center>nginx</center></body></html>', contentType: 'text/html' };
type Revocable = keyof typeof TOKENS;
const SOURCES = Object.keys(TOKENS) as Revocable[];

const REVOKE = `mutation Revoke($refs: [TokenRef!]!, $dryRun: Boolean) {
  revokeTokens(refs: $refs, dryRun: $dryRun) { source tokenId outcome code message token { __typename id tokenId name } }
}`;
const READ_BACK = `query ReadBack($refs: [TokenRef!]!) { tokens(refs: $refs) { tokenId } }`;

const callText = (call: RecordedCall) => `${call.method} ${call.path}`;
const writes = (stack: Stack, upstream: UpstreamName) => stack.calls(upstream).filter((call) => call.method !== 'GET').map(callText);

const stacks: Stack[] = [];
async function stack(options: StackOptions = {}): Promise<Stack> {
  const started = await startStack({ adminKeys: [ADMIN_KEY], apiKeys: [READ_KEY], ...options });
  stacks.push(started);
  return started;
}
afterEach(async () => {
  await Promise.all(stacks.splice(0).map((s) => s.close()));
});
const asAdmin = { authorization: `Bearer ${ADMIN_KEY}` };

async function revoke(target: Stack, refs: unknown[], dryRun = false, headers: Record<string, string> = asAdmin) {
  const response = await target.query(REVOKE, { refs, dryRun }, headers);
  return { response, results: response.body.data?.revokeTokens as Array<Record<string, any>> | null | undefined };
}

describe.each(SOURCES)('%s', (source) => {
  const token = TOKENS[source];

  it('REVOKED: read first, then the one revocation call; the token is gone upstream', async () => {
    const s = await stack();
    const { results, response } = await revoke(s, [token.ref]);
    expect(response.body.errors).toBeUndefined();
    expect(results).toEqual([expect.objectContaining({ source, outcome: 'REVOKED', code: null, token: expect.objectContaining({ __typename: expect.any(String) }) })]);
    expect(s.calls(token.upstream).map(callText).map((text) => text.replace(/\?.*$/, ''))).toEqual([token.read, token.revoke]);
    // Read back: the upstream does not know it any more.
    const back = await s.query(READ_BACK, { refs: [token.ref] }, asAdmin);
    expect(back.body.data?.tokens).toEqual([null]);
  });

  it('WOULD_REVOKE on a dry run: the read only, and the token stays', async () => {
    const s = await stack();
    const { results } = await revoke(s, [token.ref], true);
    expect(results).toEqual([expect.objectContaining({ source, outcome: 'WOULD_REVOKE', code: null, token: expect.anything() })]);
    expect(writes(s, token.upstream)).toEqual([]);
    expect((await s.query(READ_BACK, { refs: [token.ref] }, asAdmin)).body.data?.tokens).toEqual([expect.anything()]);
  });

  it('NOT_FOUND for a token the upstream does not know: no revocation call', async () => {
    const s = await stack();
    const unknown = { ...token.ref, tokenId: source === 'CRAFTER_ACCESS_TOKEN' ? '00000000-0000-4000-8000-000000000000' : 'no-such-token' };
    const { results } = await revoke(s, [unknown]);
    expect(results).toEqual([expect.objectContaining({ source, outcome: 'NOT_FOUND', code: null, token: null })]);
    expect(writes(s, token.upstream)).toEqual([]);
    expect(s.calls(token.upstream)).toHaveLength(1);
  });

  it.each([
    [401, 'UPSTREAM_UNAUTHORIZED'],
    [403, 'UPSTREAM_FORBIDDEN'],
    [500, 'UPSTREAM_ERROR'],
  ])('FAILED with the contract code when the revocation call answers %i', async (status, code) => {
    const s = await stack();
    s.upstreams[token.upstream].inject({ fault: { kind: 'status', status }, match: (call) => call.method !== 'GET' });
    const { results } = await revoke(s, [token.ref]);
    expect(results).toEqual([expect.objectContaining({ source, outcome: 'FAILED', code, token: expect.anything() })]);
    expect(writes(s, token.upstream)).toEqual([token.revoke]);
    // Nothing of the upstream's error body that is a credential comes back.
    expect(JSON.stringify(results)).not.toContain(DEMO_CREDENTIALS.crafterProfile);
  });

  it.skipIf(token.gone === null)("NOT_FOUND when the revocation call answers with the upstream's own not-found: someone revoked it first", async () => {
    const s = await stack();
    s.upstreams[token.upstream].inject({ fault: token.gone!, match: (call) => call.method !== 'GET' });
    const { results } = await revoke(s, [token.ref]);
    expect(results).toEqual([expect.objectContaining({ source, outcome: 'NOT_FOUND', token: null })]);
  });

  it("FAILED with UPSTREAM_ERROR when the revocation call answers a 404 that is not the upstream's own (a proxy's page)", async () => {
    const s = await stack();
    s.upstreams[token.upstream].inject({ fault: PROXY_404, match: (call) => call.method !== 'GET' });
    const { results } = await revoke(s, [token.ref]);
    expect(results).toEqual([expect.objectContaining({ source, outcome: 'FAILED', code: 'UPSTREAM_ERROR', token: expect.anything() })]);
    expect(writes(s, token.upstream)).toEqual([token.revoke]);
  });

  it('FAILED with UPSTREAM_TIMEOUT, saying the outcome is unknown, after exactly one call even with retries on', async () => {
    const s = await stack({ timeoutMs: 300, resilience: { retries: 3, retryBaseDelayMs: 1, retryMaxDelayMs: 1 } });
    s.upstreams[token.upstream].inject({ fault: { kind: 'hang' }, match: (call) => call.method !== 'GET' });
    const { results } = await revoke(s, [token.ref]);
    expect(results).toEqual([expect.objectContaining({ outcome: 'FAILED', code: 'UPSTREAM_TIMEOUT', message: expect.stringContaining('outcome is unknown') })]);
    expect(writes(s, token.upstream)).toEqual([token.revoke]);
  });
});

describe('retries', () => {
  it('a DELETE answered 503 (not acted on) is tried again; a POST never is', async () => {
    const s = await stack({ resilience: { retries: 2, retryBaseDelayMs: 1, retryMaxDelayMs: 1 } });
    s.upstreams.netbird.inject({ fault: { kind: 'status', status: 503 }, match: (call) => call.method === 'DELETE', times: 1 });
    s.upstreams.crafterProfile.inject({ fault: { kind: 'status', status: 503 }, match: (call) => call.method === 'POST', times: 1 });
    const { results } = await revoke(s, [TOKENS.NETBIRD.ref, TOKENS.CRAFTER_TICKET.ref]);
    expect(results!.map((r) => [r.source, r.outcome, r.code])).toEqual([
      ['NETBIRD', 'REVOKED', null],
      ['CRAFTER_TICKET', 'FAILED', 'UPSTREAM_UNAVAILABLE'],
    ]);
    expect(writes(s, 'netbird')).toEqual([TOKENS.NETBIRD.revoke, TOKENS.NETBIRD.revoke]);
    expect(writes(s, 'crafterProfile')).toEqual([TOKENS.CRAFTER_TICKET.revoke]);
  });

  it('a DELETE answered 502 or reset is not tried again: the upstream may have acted', async () => {
    const s = await stack({ resilience: { retries: 2, retryBaseDelayMs: 1, retryMaxDelayMs: 1 } });
    s.upstreams.netbird.inject({ fault: { kind: 'status', status: 502 }, match: (call) => call.method === 'DELETE', times: 1 });
    s.upstreams.astra.inject({ fault: { kind: 'reset' }, match: (call) => call.method === 'DELETE', times: 1 });
    const { results } = await revoke(s, [TOKENS.NETBIRD.ref, TOKENS.ASTRA.ref]);
    expect(results!.map((r) => r.outcome)).toEqual(['FAILED', 'FAILED']);
    expect(writes(s, 'netbird')).toHaveLength(1);
    expect(writes(s, 'astra')).toHaveLength(1);
  });
});

describe('outcomes that make no revocation call', () => {
  it('UNSUPPORTED for a games token, with no call at all', async () => {
    const s = await stack();
    const { results } = await revoke(s, [{ source: 'GAME', tokenId: 'game-demo-1' }]);
    expect(results).toEqual([{ source: 'GAME', tokenId: 'game-demo-1', outcome: 'UNSUPPORTED', code: null, message: expect.stringContaining('cannot be revoked'), token: null }]);
    expect(s.calls('games')).toHaveLength(0);
  });

  it("REFUSED, code FORBIDDEN, for tokengraph's own Crafter credential, even on a dry run", async () => {
    const s = await stack();
    const own = { source: 'CRAFTER_ACCESS_TOKEN', tokenId: DEMO_CREDENTIALS.crafterProfile };
    for (const dryRun of [false, true]) {
      const { results } = await revoke(s, [own], dryRun);
      expect(results).toEqual([expect.objectContaining({ outcome: 'REFUSED', code: 'FORBIDDEN', tokenId: 'de30…6014', token: expect.objectContaining({ name: 'tokengraph' }) })]);
    }
    expect(writes(s, 'crafterProfile')).toEqual([]);
    expect(JSON.stringify(await revoke(s, [own]))).not.toContain(DEMO_CREDENTIALS.crafterProfile);
  });

  it('a ref given twice is revoked once and reported at both positions', async () => {
    const s = await stack();
    const { results } = await revoke(s, [TOKENS.NETBIRD.ref, TOKENS.ASTRA.ref, TOKENS.NETBIRD.ref]);
    expect(results!.map((r) => [r.source, r.outcome])).toEqual([
      ['NETBIRD', 'REVOKED'],
      ['ASTRA', 'REVOKED'],
      ['NETBIRD', 'REVOKED'],
    ]);
    expect(s.calls('netbird').map(callText)).toEqual([TOKENS.NETBIRD.read, TOKENS.NETBIRD.revoke]);
  });

  it('refs of two sources with the same id are two tokens, each revoked on its own', async () => {
    const s = await stack();
    // A Crafter ticket and a Crafter access token both name their token by `tokenId` alone.
    const ticketNamedLikeTheAccessToken = { source: 'CRAFTER_TICKET', tokenId: ACCESS_TOKEN };
    const { results } = await revoke(s, [ticketNamedLikeTheAccessToken, TOKENS.CRAFTER_ACCESS_TOKEN.ref]);
    expect(results!.map((r) => [r.source, r.outcome])).toEqual([
      ['CRAFTER_TICKET', 'NOT_FOUND'],
      ['CRAFTER_ACCESS_TOKEN', 'REVOKED'],
    ]);
    expect(writes(s, 'crafterProfile')).toEqual([TOKENS.CRAFTER_ACCESS_TOKEN.revoke]);
  });
});

describe('access tokens', () => {
  it('every access-token ref of one mutation is looked up in one list call (contract §4)', async () => {
    const s = await stack();
    const unknown = (i: number) => ({ source: 'CRAFTER_ACCESS_TOKEN', tokenId: `00000000-0000-4000-8000-00000000000${i}` });
    const { results } = await revoke(s, [TOKENS.CRAFTER_ACCESS_TOKEN.ref, unknown(1), unknown(2)], true);
    expect(results!.map((r) => r.outcome)).toEqual(['WOULD_REVOKE', 'NOT_FOUND', 'NOT_FOUND']);
    expect(s.calls('crafterProfile').map(callText).map((text) => text.replace(/\?.*$/, ''))).toEqual([TOKENS.CRAFTER_ACCESS_TOKEN.read]);
  });
});

describe('who may revoke', () => {
  it('a read-only key gets null and FORBIDDEN, and no upstream call is made; the admin key may', async () => {
    const s = await stack();
    const refused = await revoke(s, SOURCES.map((source) => TOKENS[source].ref), false, { authorization: `Bearer ${READ_KEY}` });
    expect(refused.results).toBeNull();
    expect(refused.response.body.errors).toEqual([expect.objectContaining({ path: ['revokeTokens'], extensions: { code: 'FORBIDDEN' } })]);
    expect(s.totalCalls()).toBe(0);
    // The same key reads.
    expect((await s.query(READ_BACK, { refs: [TOKENS.NETBIRD.ref] }, { authorization: `Bearer ${READ_KEY}` })).body.data?.tokens).toEqual([expect.anything()]);
    expect((await revoke(s, [TOKENS.NETBIRD.ref])).results).toEqual([expect.objectContaining({ outcome: 'REVOKED' })]);
  });

  it('without an admin key configured nobody may, outside demo mode', async () => {
    const s = await stack({ adminKeys: undefined });
    const { results, response } = await revoke(s, [TOKENS.NETBIRD.ref], false, { authorization: `Bearer ${READ_KEY}` });
    expect(results).toBeNull();
    expect(response.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(s.totalCalls()).toBe(0);
  });

  it('no key at all is a 401 before GraphQL', async () => {
    const s = await stack();
    const response = await revoke(s, [TOKENS.NETBIRD.ref], false, { authorization: '' });
    expect(response.response.status).toBe(401);
    expect(s.totalCalls()).toBe(0);
  });

  it('a mutation over GET is refused (405), and so is a POST that CSRF prevention stops', async () => {
    const s = await stack();
    const url = new URL(s.url);
    url.searchParams.set('query', 'mutation { revokeTokens(refs: [{ source: NETBIRD, userId: "alice", tokenId: "nb-demo-1" }]) { outcome } }');
    const overGet = await fetch(url, { headers: { ...asAdmin, 'apollo-require-preflight': 'true' } });
    expect(overGet.status).toBe(405);
    const simple = await fetch(s.url, {
      method: 'POST',
      headers: { ...asAdmin, 'content-type': 'text/plain' },
      body: JSON.stringify({ query: 'mutation { revokeTokens(refs: [{ source: NETBIRD, userId: "alice", tokenId: "nb-demo-1" }]) { outcome } }' }),
    });
    expect(simple.status).toBe(400);
    expect(s.totalCalls()).toBe(0);
  });

  it('the list limit applies, and one bad ref revokes nothing: BAD_USER_INPUT with no call', async () => {
    const s = await stack({ limits: { maxListLength: 3 } });
    const tooMany = await revoke(s, Array.from({ length: 4 }, () => TOKENS.NETBIRD.ref));
    expect(tooMany.response.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    const badRef = await revoke(s, [TOKENS.NETBIRD.ref, { source: 'ASTRA', tokenId: 'x', userId: 'u' }]);
    expect(badRef.results).toBeNull();
    expect(badRef.response.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(s.totalCalls()).toBe(0);
  });
});

describe('nothing cached shows a revoked token', () => {
  const INVENTORY = `query Inventory { inventory(first: 500) { nodes { source tokenId } } }`;
  const inInventory = async (s: Stack, source: string, tokenId: string) =>
    ((await s.query(INVENTORY, {}, asAdmin)).body.data?.inventory.nodes as Array<{ source: string; tokenId: string }>).some((n) => n.source === source && n.tokenId === tokenId);

  it('memory: the cross-request cache and the inventory snapshot forget it', async () => {
    const cache: CacheConfig = { mode: 'memory', maxEntries: 1000, maxBytes: 10_000_000 };
    const inventory = { ...readConfig({}).inventory, astraAccountIds: ['acme'], watch: [{ source: 'CRAFTER_TICKET' as const, tokenId: TICKET }] };
    const s = await stack({ config: { cache, inventory } });
    // Cached reads of every source, and a snapshot that holds them.
    await s.query(READ_BACK, { refs: SOURCES.map((source) => TOKENS[source].ref) }, asAdmin);
    expect(await inInventory(s, 'NETBIRD', 'nb-demo-1')).toBe(true);
    expect(await inInventory(s, 'ASTRA', 'astra-demo-1')).toBe(true);
    expect(await inInventory(s, 'CRAFTER_TICKET', TICKET)).toBe(true);
    expect(await inInventory(s, 'CRAFTER_ACCESS_TOKEN', 'f81d…6bf6')).toBe(true);
    const { results } = await revoke(s, SOURCES.map((source) => TOKENS[source].ref));
    expect(results!.map((r) => r.outcome)).toEqual(SOURCES.map(() => 'REVOKED'));
    expect((await s.query(READ_BACK, { refs: SOURCES.map((source) => TOKENS[source].ref) }, asAdmin)).body.data?.tokens).toEqual(SOURCES.map(() => null));
    expect(await inInventory(s, 'NETBIRD', 'nb-demo-1')).toBe(false);
    expect(await inInventory(s, 'ASTRA', 'astra-demo-1')).toBe(false);
    expect(await inInventory(s, 'CRAFTER_ACCESS_TOKEN', 'f81d…6bf6')).toBe(false);
    expect(await inInventory(s, 'CRAFTER_TICKET', TICKET)).toBe(false);
  });

  it('an inventory read already in flight when the token is revoked is not served after it', async () => {
    const inventory = { ...readConfig({}).inventory, watch: [{ source: 'GAME' as const, tokenId: 'game-demo-1' }] };
    const s = await stack({ config: { inventory } });
    // The read lists NetBird at once, then waits on the games upstream (that one call only, far
    // longer than the rest of the test): the revocation and a new read land meanwhile.
    s.upstreams.games.inject({ fault: { kind: 'delay', ms: 3000 }, times: 1 });
    const before = s.query(INVENTORY, {}, asAdmin);
    const listed = `GET /api/users/${TOKENS.NETBIRD.ref.userId}/tokens`;
    await expect.poll(() => s.calls('netbird').some((call) => callText(call).startsWith(listed) && !callText(call).includes('nb-demo')), { timeout: 2000, interval: 10 }).toBe(true);
    expect((await revoke(s, [TOKENS.NETBIRD.ref])).results).toEqual([expect.objectContaining({ outcome: 'REVOKED' })]);
    expect(await inInventory(s, 'NETBIRD', 'nb-demo-1')).toBe(false);
    // The read that started before still answers its own request, as read then.
    expect(((await before).body.data?.inventory.nodes as Array<{ tokenId: string }>).some((n) => n.tokenId === 'nb-demo-1')).toBe(true);
  });

  const MEMORY: CacheConfig = { mode: 'memory', maxEntries: 1000, maxBytes: 10_000_000 };
  const isRead = (path: string) => (call: RecordedCall) => call.method === 'GET' && call.path === path;

  it('memory: a read already in flight when the token is revoked does not write it into the cache afterwards', async () => {
    const s = await stack({ timeoutMs: 4000, config: { cache: MEMORY } });
    const path = TOKENS.NETBIRD.read.replace(/^GET /, '');
    // This read of the token (a cache miss) is answered as the upstream has it now, but its body
    // takes about 1.6 s to arrive: the revocation runs meanwhile.
    s.upstreams.netbird.inject({ fault: { kind: 'trickle', bytesPerChunk: 4, intervalMs: 35 }, match: isRead(path), times: 1 });
    let settled = false;
    const held = s.query(READ_BACK, { refs: [TOKENS.NETBIRD.ref] }, asAdmin).finally(() => (settled = true));
    await expect.poll(() => s.calls('netbird').length, { timeout: 2000, interval: 5 }).toBe(1);
    expect((await revoke(s, [TOKENS.NETBIRD.ref])).results).toEqual([expect.objectContaining({ outcome: 'REVOKED' })]);
    expect(settled).toBe(false);
    // It answers its own request as read then ...
    expect((await held).body.data?.tokens).toEqual([{ tokenId: 'nb-demo-1' }]);
    // ... and what it wrote is not served: the next read asks the upstream, which no longer knows it.
    const reads = s.calls('netbird').filter(isRead(path)).length;
    expect((await s.query(READ_BACK, { refs: [TOKENS.NETBIRD.ref] }, asAdmin)).body.data?.tokens).toEqual([null]);
    expect(s.calls('netbird').filter(isRead(path)).length).toBe(reads + 1);
  });

  describe('a revocation whose outcome is unknown is forgotten as if it had succeeded; one the upstream refused is not', () => {
    const inventory = { ...readConfig({}).inventory, astraAccountIds: ['acme'], watch: [{ source: 'CRAFTER_TICKET' as const, tokenId: TICKET }] };
    /** The revocation call, made by the test itself: the upstream did act, whatever tokengraph was told. */
    async function actedUpstream(s: Stack, source: 'NETBIRD' | 'ASTRA') {
      const token = TOKENS[source];
      const [method, path] = token.revoke.split(' ') as [string, string];
      const authorization = source === 'NETBIRD' ? `Token ${DEMO_CREDENTIALS.netbird}` : `Bearer ${DEMO_CREDENTIALS.astra}`;
      const answer = await fetch(new URL(path, s.upstreams[token.upstream].url), { method, headers: { authorization } });
      expect(answer.status).toBeLessThan(300);
    }

    it.each([
      { name: 'a 502', source: 'NETBIRD', fault: { kind: 'status', status: 502 }, code: 'UPSTREAM_ERROR', acts: 'after' },
      { name: 'a reset connection', source: 'ASTRA', fault: { kind: 'reset' }, code: 'UPSTREAM_UNAVAILABLE', acts: 'after' },
      { name: 'a timeout', source: 'CRAFTER_TICKET', fault: { kind: 'delay', ms: 700 }, code: 'UPSTREAM_TIMEOUT', acts: 'itself' },
      { name: 'the admin client going away mid-call', source: 'NETBIRD', fault: { kind: 'delay', ms: 500 }, code: undefined, acts: 'itself' },
    ] as const)('$name: FAILED, then no cached read shows it once the upstream has acted', async ({ source, fault, code, acts }) => {
      const token = TOKENS[source];
      const s = await stack({ timeoutMs: fault.kind === 'delay' && code ? 300 : 2000, config: { cache: MEMORY, inventory } });
      const shown = source === 'CRAFTER_TICKET' ? TICKET : token.ref.tokenId;
      // Cached, and kept in the inventory's snapshot.
      expect((await s.query(READ_BACK, { refs: [token.ref] }, asAdmin)).body.data?.tokens).toEqual([{ tokenId: shown }]);
      expect(await inInventory(s, source, shown)).toBe(true);
      s.upstreams[token.upstream].inject({ fault, match: (call) => call.method !== 'GET', times: 1 });
      if (code) {
        expect((await revoke(s, [token.ref])).results).toEqual([expect.objectContaining({ outcome: 'FAILED', code })]);
      } else {
        // The admin's client leaves while the call is out; the upstream acts after its delay anyway.
        const leaving = new AbortController();
        const request = fetch(s.url, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...asAdmin },
          body: JSON.stringify({ query: REVOKE, variables: { refs: [token.ref] } }),
          signal: leaving.signal,
        }).catch(() => undefined);
        await expect.poll(() => writes(s, token.upstream).length, { timeout: 2000, interval: 5 }).toBe(1);
        leaving.abort();
        await request;
      }
      if (acts === 'after') await actedUpstream(s, source as 'NETBIRD' | 'ASTRA');
      // By reference (the cross-request cache) and in the inventory (the kept snapshot): gone.
      await expect.poll(async () => (await s.query(READ_BACK, { refs: [token.ref] }, asAdmin)).body.data?.tokens, { timeout: 3000, interval: 50 }).toEqual([null]);
      expect(await inInventory(s, source, shown)).toBe(false);
    });

    it.each([
      { name: '503 (it did not act)', fault: { kind: 'status', status: 503 } },
      { name: '401', fault: { kind: 'status', status: 401 } },
    ] as const)('answered $name: the token is still listed and read', async ({ fault }) => {
      const s = await stack({ config: { cache: MEMORY, inventory } });
      expect(await inInventory(s, 'NETBIRD', 'nb-demo-1')).toBe(true);
      s.upstreams.netbird.inject({ fault, match: (call) => call.method !== 'GET', times: 1 });
      expect((await revoke(s, [TOKENS.NETBIRD.ref])).results).toEqual([expect.objectContaining({ outcome: 'FAILED' })]);
      expect(await inInventory(s, 'NETBIRD', 'nb-demo-1')).toBe(true);
      expect((await s.query(READ_BACK, { refs: [TOKENS.NETBIRD.ref] }, asAdmin)).body.data?.tokens).toEqual([{ tokenId: 'nb-demo-1' }]);
    });
  });

  describe('Redis, two replicas', () => {
    let redis: TestRedis;
    beforeAll(async () => {
      redis = await startRedis();
    });
    afterAll(() => redis.stop());

    it("one replica's revocation empties the shared cache and the other replica's snapshot, whoever read them", async () => {
      const cache: CacheConfig = { mode: 'redis', maxEntries: 1, maxBytes: 1024, redisUrl: redis.url };
      const a = await stack({ config: { cache } });
      const replica = await stack({ config: { cache }, upstreams: a.upstreams });
      await replica.query(READ_BACK, { refs: [TOKENS.NETBIRD.ref] }, asAdmin);
      expect(await inInventory(replica, 'NETBIRD', 'nb-demo-1')).toBe(true);
      const revoked = await revoke(a, [TOKENS.NETBIRD.ref]);
      expect(revoked.results).toEqual([expect.objectContaining({ outcome: 'REVOKED' })]);
      expect((await replica.query(READ_BACK, { refs: [TOKENS.NETBIRD.ref] }, asAdmin)).body.data?.tokens).toEqual([null]);
      expect(await inInventory(replica, 'NETBIRD', 'nb-demo-1')).toBe(false);
    });
  });
});

/** A logger whose JSON lines the test reads back. */
function recordingLogger(level: string) {
  const raw: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      raw.push(chunk.toString());
      done();
    },
  });
  const text = () => raw.join('');
  return {
    logger: pino({ level }, sink),
    text,
    lines: () => text().split('\n').filter(Boolean).map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

describe('audit', () => {
  it("a read-only key's refused attempt is one FORBIDDEN audit line per distinct ref, counted, with no upstream call", async () => {
    const log = recordingLogger('info');
    const s = await stack({ logger: log.logger });
    const refs = [TOKENS.NETBIRD.ref, TOKENS.CRAFTER_ACCESS_TOKEN.ref, TOKENS.NETBIRD.ref, { source: 'GAME', tokenId: 'game-demo-1' }];
    const refused = await revoke(s, refs, true, { authorization: `Bearer ${READ_KEY}`, 'x-request-id': 'refused-1' });
    expect(refused.results).toBeNull();
    expect(refused.response.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    expect(s.totalCalls()).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const audits = log.lines().filter((line) => line.audit === 'revoke');
    const fingerprint = apiKeyFingerprint(READ_KEY);
    expect(audits.map((line) => [line.level, line.source, line.tokenId, line.outcome, line.code, line.dryRun, line.requestId, line.keyFingerprint].join(' ')).sort()).toEqual(
      [
        `30 CRAFTER_ACCESS_TOKEN f81d…6bf6 FORBIDDEN FORBIDDEN true refused-1 ${fingerprint}`,
        `30 GAME game-demo-1 FORBIDDEN FORBIDDEN true refused-1 ${fingerprint}`,
        `30 NETBIRD nb-demo-1 FORBIDDEN FORBIDDEN true refused-1 ${fingerprint}`,
      ].sort(),
    );
    for (const secret of [READ_KEY, ACCESS_TOKEN]) expect(log.text()).not.toContain(secret);
    const metrics = await (await fetch(new URL('/metrics', s.url), { headers: asAdmin })).text();
    expect(metrics).toContain('tokengraph_revocations_total{source="NETBIRD",outcome="FORBIDDEN"} 1');
    expect(metrics).toContain('tokengraph_revocations_total{source="CRAFTER_ACCESS_TOKEN",outcome="FORBIDDEN"} 1');
  });

  it('a refused attempt with more refs than the list limit logs that many lines, then one line saying how many more', async () => {
    const log = recordingLogger('info');
    const s = await stack({ logger: log.logger, limits: { maxListLength: 2 } });
    const refs = Array.from({ length: 5 }, (_, i) => ({ source: 'GAME', tokenId: `game-${i}` }));
    expect((await revoke(s, refs, false, { authorization: `Bearer ${READ_KEY}` })).response.body.errors?.[0]?.extensions?.code).toBe('FORBIDDEN');
    await new Promise((resolve) => setTimeout(resolve, 50));
    const audits = log.lines().filter((line) => line.audit === 'revoke');
    expect(audits.map((line) => [line.level, line.tokenId ?? null, line.outcome, line.refsNotLogged ?? null])).toEqual([
      [30, 'game-0', 'FORBIDDEN', null],
      [30, 'game-1', 'FORBIDDEN', null],
      [40, null, 'FORBIDDEN', 3],
    ]);
  });

  it("an admin's attempt refused as bad input is audited too: a BAD_USER_INPUT line per distinct ref, an invalid one without its id, and no upstream call", async () => {
    const log = recordingLogger('info');
    const s = await stack({ logger: log.logger });
    const refs = [TOKENS.CRAFTER_ACCESS_TOKEN.ref, { source: 'ASTRA', tokenId: 'x', userId: 'u' }, TOKENS.CRAFTER_ACCESS_TOKEN.ref];
    const refused = await revoke(s, refs, false, { ...asAdmin, 'x-request-id': 'bad-1' });
    expect(refused.response.body.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(s.totalCalls()).toBe(0);
    const audits = log.lines().filter((line) => line.audit === 'revoke');
    expect(audits.map((line) => [line.level, line.source, line.tokenId, line.outcome, line.code, line.requestId, line.keyFingerprint].join(' '))).toEqual([
      `30 CRAFTER_ACCESS_TOKEN f81d…6bf6 BAD_USER_INPUT BAD_USER_INPUT bad-1 ${apiKeyFingerprint(ADMIN_KEY)}`,
      `30 ASTRA  BAD_USER_INPUT BAD_USER_INPUT bad-1 ${apiKeyFingerprint(ADMIN_KEY)}`,
    ]);
    expect(log.text()).not.toContain(ACCESS_TOKEN);
  });

  it('one info line per token acted on, naming the key by fingerprint; no credential anywhere in the log; counted by source and outcome; a span per call', async () => {
    const log = recordingLogger('debug');
    const exporter = new InMemorySpanExporter();
    const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
    const s = await stack({ logger: log.logger, observability: { tracer: provider.getTracer('test') } });
    await revoke(s, [TOKENS.CRAFTER_TICKET.ref, TOKENS.CRAFTER_ACCESS_TOKEN.ref, TOKENS.NETBIRD.ref, { source: 'GAME', tokenId: 'game-demo-1' }, TOKENS.NETBIRD.ref], false, {
      ...asAdmin,
      'x-request-id': 'audit-test-1',
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    const audits = log.lines().filter((line) => line.audit === 'revoke');
    const rows = audits.map((line) => [line.level, line.source, line.tokenId, line.outcome, line.code, line.requestId, line.keyFingerprint].join(' '));
    const fingerprint = apiKeyFingerprint(ADMIN_KEY);
    expect(rows.sort()).toEqual(
      [
        `30 CRAFTER_ACCESS_TOKEN f81d…6bf6 REVOKED  audit-test-1 ${fingerprint}`,
        `30 CRAFTER_TICKET 8f14…0a61 REVOKED  audit-test-1 ${fingerprint}`,
        `30 GAME game-demo-1 UNSUPPORTED  audit-test-1 ${fingerprint}`,
        `30 NETBIRD nb-demo-1 REVOKED  audit-test-1 ${fingerprint}`,
      ].sort(),
    );
    const text = log.text();
    for (const secret of [ADMIN_KEY, TICKET, ACCESS_TOKEN, DEMO_CREDENTIALS.crafterProfile, DEMO_CREDENTIALS.netbird]) expect(text).not.toContain(secret);

    const metrics = await (await fetch(new URL('/metrics', s.url), { headers: asAdmin })).text();
    expect(metrics).toContain('tokengraph_revocations_total{source="NETBIRD",outcome="REVOKED"} 1');
    expect(metrics).toContain('tokengraph_revocations_total{source="GAME",outcome="UNSUPPORTED"} 1');

    const spans = exporter.getFinishedSpans().filter((span) => span.name.startsWith('DELETE') || span.name.startsWith('POST'));
    expect(spans.map((span) => [span.name, span.attributes['http.request.method'], span.attributes['url.path']]).sort()).toEqual(
      [
        ['DELETE NETBIRD', 'DELETE', '/api/users/alice/tokens/nb-demo-1'],
        ['POST CRAFTER_ACCESS_TOKEN', 'POST', '/crafter-profile/api/1/access_token/f81d%E2%80%A66bf6/delete'],
        ['POST CRAFTER_TICKET', 'POST', '/crafter-profile/api/1/authentication/ticket/8f14%E2%80%A60a61/invalidate'],
      ].sort(),
    );
    await provider.shutdown();
  });
});
