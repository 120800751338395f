/**
 * tokengraph against the upstreams as their own source code behaves (contract §10), over real HTTP:
 * the demo fakes do what netbirdio/netbird and craftercms/profile do (each fact named in
 * src/demo/*Upstream.ts), and each test here is one fact and what tokengraph makes of it, with the
 * upstream calls counted.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { readConfig, type InventoryConfig } from '../../src/config/readConfig.js';
import {
  DEMO_ASTRA_ACCOUNTS,
  DEMO_CREDENTIALS,
  DEMO_NETBIRD_SERVICE_CREDENTIAL,
  DEMO_NETBIRD_USER_CREDENTIAL,
  demoData,
  NETBIRD_HIDDEN_SERVICE_USER,
  NETBIRD_IDLE_SERVICE_USER,
} from '../../src/demo/demoData.js';
import type { Fault } from '../../src/demo/fakeUpstream.js';
import { netbirdPat } from '../../src/demo/netbirdPats.js';
import type { UpstreamName } from '../../src/sources.js';
import { errorAt, startStack, type Stack, type StackOptions } from '../harness.js';

const NOW = new Date();
const DATA = demoData(NOW);
const ADMIN_KEY = 'admin-key-0123456789abcdef';
const INVENTORY: InventoryConfig = { ...readConfig({}).inventory, minRefreshMs: 0, watch: [], astraAccountIds: [...DEMO_ASTRA_ACCOUNTS] };
const TICKET = '2e911e0b-ac47-423e-9174-4e8896f1b387';
/** Seed 001's adminconsole token: a master token that expired on 2024-01-01. */
const EXPIRED_MASTER = 'e8f5170c-877b-416f-b70f-4b09772f8e2d';
/** demo-site: not a master token, MANAGE_TICKETS on the default tenant. */
const NOT_MASTER = 'f81d4fae-7dec-11d0-a765-00a0c91e6bf6';
/** reports: not a master token, allowedActions null on the default tenant. */
const NO_ACTIONS = '7a8b9c0d-1e2f-4a3b-8c4d-5e6f7a8b9c0d';
/** legacy-widget: not a master token, tenantPermissions null. */
const NULL_PERMISSIONS = '5c1d9e2f-3a4b-4c6d-8e7f-9a0b1c2d3e4f';

/** A ticket id is a session credential: always a variable, never a literal in a document. */
const TICKET_QUERY = 'query ($id: String!) { crafterTicket(id: $id) { tenant } }';
const INVENTORY_QUERY = `query ($refresh: Boolean, $filter: TokenFilter, $orderBy: TokenOrder) {
  inventory(first: 500, refresh: $refresh, filter: $filter, orderBy: $orderBy) { totalCount gaps { source code count scopes message } nodes { source tokenId owner status expiresAt } }
}`;

const stacks: Stack[] = [];
async function stack(options: StackOptions = {}): Promise<Stack> {
  const started = await startStack({ now: NOW, adminKeys: [ADMIN_KEY], config: { inventory: INVENTORY }, ...options });
  stacks.push(started);
  return started;
}
afterAll(() => Promise.all(stacks.map((s) => s.close())));

const paths = (s: Stack, upstream: UpstreamName) => s.calls(upstream).map((call) => `${call.method} ${call.path}`);

async function inventory(s: Stack, variables: Record<string, unknown> = {}) {
  const response = await s.query(INVENTORY_QUERY, { refresh: true, ...variables });
  expect(response.body.errors).toBeUndefined();
  return response.body.data!.inventory as { totalCount: number; gaps: Array<Record<string, unknown>>; nodes: Array<Record<string, string | null>> };
}

describe('NetBird', () => {
  it("GET /api/users/current is refused to a service user's token: the inventory never calls it, and a service user's credential lists with no gap", async () => {
    const s = await stack({ credentials: { netbird: DEMO_NETBIRD_SERVICE_CREDENTIAL }, configured: ['netbird'] });
    const read = await inventory(s);
    expect(read.gaps).toEqual([]);
    const listed = DATA.netbirdUsers.filter((user) => user.is_service_user && !user.non_deletable).map((user) => user.id);
    // One users list, then one list per service user (svc-ci, the caller, among them): never /api/users/current.
    expect(paths(s, 'netbird').sort()).toEqual(['GET /api/users', ...listed.map((id) => `GET /api/users/${id}/tokens`)].sort());
    expect(new Set(read.nodes.map((node) => node.owner))).toEqual(new Set(listed.filter((id) => id !== NETBIRD_IDLE_SERVICE_USER)));
  });

  it('a credential of role user may read no token at all: its one user is a gap that says what NetBird allows', async () => {
    const s = await stack({ credentials: { netbird: DEMO_NETBIRD_USER_CREDENTIAL }, configured: ['netbird'] });
    const read = await inventory(s);
    expect(read.nodes).toEqual([]);
    expect(read.gaps).toEqual([
      {
        source: 'NETBIRD',
        code: 'UPSTREAM_FORBIDDEN',
        count: 1,
        scopes: ['user bob'],
        message: expect.stringContaining("NetBird lets an admin or owner read only their own tokens and service users' tokens, a service user its own, and a regular user of role user none at all"),
      },
    ]);
    expect(paths(s, 'netbird')).toEqual(['GET /api/users', 'GET /api/users/bob/tokens']);
  });

  it("another regular user's token, read one by one, is refused to an admin too (403): the field fails, and a dry run says FAILED, not WOULD_REVOKE, and deletes nothing", async () => {
    const s = await stack({ configured: ['netbird'] });
    const bobs = DATA.netbird.find((entry) => entry.userId === 'bob')!.token.id;
    const read = await s.query(`{ netbirdToken(userId: "bob", tokenId: "${bobs}") { name } }`);
    expect(read.body.data?.netbirdToken).toBeNull();
    expect(errorAt(read, 'netbirdToken')?.extensions).toEqual({
      code: 'UPSTREAM_FORBIDDEN',
      upstream: { source: 'NETBIRD', status: 403, detail: 'admin role required to perform this action' },
    });
    const dryRun = await s.query('mutation ($refs: [TokenRef!]!) { revokeTokens(refs: $refs, dryRun: true) { outcome code } }', { refs: [{ source: 'NETBIRD', userId: 'bob', tokenId: bobs }] });
    expect(dryRun.body.data?.revokeTokens).toEqual([{ outcome: 'FAILED', code: 'UPSTREAM_FORBIDDEN' }]);
    expect(s.calls('netbird').filter((call) => call.method === 'DELETE')).toEqual([]);
  });

  it("a service user with no tokens is answered null: listed as none, no gap", async () => {
    const s = await stack({ configured: ['netbird'] });
    const read = await inventory(s);
    expect(read.gaps).toEqual([]);
    expect(paths(s, 'netbird')).toContain(`GET /api/users/${NETBIRD_IDLE_SERVICE_USER}/tokens`);
    expect(read.nodes.filter((node) => node.owner === NETBIRD_IDLE_SERVICE_USER)).toEqual([]);
  });

  it("a non-deletable service user is left out of NetBird's users list: its tokens are never listed, though they can be read by id", async () => {
    const s = await stack({ configured: ['netbird'] });
    const read = await inventory(s);
    expect(read.nodes.filter((node) => node.owner === NETBIRD_HIDDEN_SERVICE_USER)).toEqual([]);
    const hidden = DATA.netbird.find((entry) => entry.userId === NETBIRD_HIDDEN_SERVICE_USER)!.token;
    const byId = await s.query(`{ netbirdToken(userId: "${NETBIRD_HIDDEN_SERVICE_USER}", tokenId: "${hidden.id}") { name } }`);
    expect(byId.body).toEqual({ data: { netbirdToken: { name: hidden.name } } });
  });

  it("NetBird answers an unknown (revoked) PAT with 404 'invalid token': tokengraph's credential refused, never a token not found", async () => {
    const revoked = netbirdPat('RevokedTokengraphCredential000');
    const s = await stack({ credentials: { netbird: revoked }, configured: ['netbird'] });
    const read = await s.query('{ netbirdToken(userId: "alice", tokenId: "nb-demo-1") { name } }');
    expect(read.body.data?.netbirdToken).toBeNull();
    expect(errorAt(read, 'netbirdToken')?.extensions).toMatchObject({ code: 'UPSTREAM_UNAUTHORIZED', upstream: { source: 'NETBIRD', status: 404 } });
    expect(errorAt(read, 'netbirdToken')?.extensions?.upstream.detail).toMatch(/^invalid token: pat: .* not found$/);
    const listing = await inventory(s);
    expect(listing.gaps).toEqual([expect.objectContaining({ source: 'NETBIRD', code: 'UPSTREAM_UNAUTHORIZED', scopes: ['users'] })]);
  });

  it("tokengraph's own PAT revoked through tokengraph: REVOKED, and from then on NetBird refuses it (404 invalid token), UPSTREAM_UNAUTHORIZED", async () => {
    const s = await stack({ configured: ['netbird'] });
    const revoke = await s.query('mutation ($refs: [TokenRef!]!) { revokeTokens(refs: $refs) { outcome } }', { refs: [{ source: 'NETBIRD', userId: 'alice', tokenId: 'nb-tokengraph' }] });
    expect(revoke.body.data?.revokeTokens).toEqual([{ outcome: 'REVOKED' }]);
    const read = await s.query('{ netbirdToken(userId: "alice", tokenId: "nb-demo-1") { name } }');
    expect(read.body.data?.netbirdToken).toBeNull();
    expect(errorAt(read, 'netbirdToken')?.extensions).toMatchObject({ code: 'UPSTREAM_UNAUTHORIZED', upstream: { source: 'NETBIRD', status: 404 } });
    expect(errorAt(read, 'netbirdToken')?.extensions?.upstream.detail).toMatch(/^invalid token: pat: .* not found$/);
  });

  it('reads dates with nine fraction digits and an offset (as Go writes a local time) to the millisecond, in UTC', async () => {
    const s = await stack({ configured: ['netbird'] });
    const entry = DATA.netbird.find((e) => /\+02:00$/.test(e.token.created_at))!;
    const read = await s.query(`{ netbirdToken(userId: "${entry.userId}", tokenId: "${entry.token.id}") { createdAt } }`);
    expect(entry.token.created_at).toMatch(/\.\d{9}\+02:00$/);
    expect(read.body.data?.netbirdToken).toEqual({ createdAt: new Date(Date.parse(entry.token.created_at)).toISOString() });
  });

  it("a PAT whose expiration_date is Go's zero time (a NULL expiry) is one NetBird refuses as expired: expiresAt the year 1, EXPIRED, found and exported so", async () => {
    // pat_handler.go writes pat.GetExpirationDate(), Go's zero time for a NULL column, and
    // auth_middleware.go refuses the PAT: time.Now().After(pat.GetExpirationDate()), "token expired".
    const data = demoData(NOW);
    const created = new Date(NOW.getTime() - 86_400_000).toISOString();
    data.netbird.push({ userId: 'alice', token: { id: 'nb-zero-expiry', name: 'zero expiry', expiration_date: '0001-01-01T00:00:00Z', created_by: 'alice', created_at: created } });
    const s = await stack({ data, configured: ['netbird'], config: { inventory: { ...INVENTORY, refreshS: 1 } } });
    const read = await s.query('{ netbirdToken(userId: "alice", tokenId: "nb-zero-expiry") { expiresAt status } }');
    expect(read.body).toEqual({ data: { netbirdToken: { expiresAt: '0001-01-01T00:00:00.000Z', status: 'EXPIRED' } } });
    const expired = await inventory(s, { filter: { findings: ['EXPIRED'], sources: ['NETBIRD'] } });
    expect(expired.nodes).toContainEqual(expect.objectContaining({ tokenId: 'nb-zero-expiry', status: 'EXPIRED', expiresAt: '0001-01-01T00:00:00.000Z' }));
    // The expiry series Prometheus alerts on (TokenExpired: time() - expiry >= 0) has it, expired.
    let series: string | undefined;
    for (let i = 0; i < 100 && series === undefined; i++) {
      const text = await (await fetch(new URL('/metrics', s.url), { headers: s.authorization })).text();
      series = text.split('\n').find((line) => line.startsWith('tokengraph_token_expiry_timestamp_seconds{') && line.includes('token_id="nb-zero-expiry"'));
      if (series === undefined) await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect(series).toMatch(/ -62135596800$/);
  });

  it("reads Go's zero time (a last use a NetBird before 0.36.0 stored) as no date, not the year 1", async () => {
    const s = await stack({ configured: ['netbird'] });
    const body = JSON.stringify({ ...DATA.netbird[0]!.token, last_used: '0001-01-01T00:00:00Z' });
    s.upstreams.netbird.inject({ fault: { kind: 'body', body, contentType: 'application/json' }, times: 1 });
    const read = await s.query('{ netbirdToken(userId: "alice", tokenId: "nb-demo-1") { lastUsedAt } }');
    expect(read.body).toEqual({ data: { netbirdToken: { lastUsedAt: null } } });
  });
});

describe('Crafter Profile', () => {
  it.each([
    ['an expired one (Access token "<id>" for application … expired on …)', EXPIRED_MASTER],
    ['an unknown one (No access token found for ID "<id>")', 'c0ffee00-0000-4000-8000-000000000000'],
  ])("answers tokengraph's accessTokenId, %s, with 403 ACCESS_DENIED: UPSTREAM_UNAUTHORIZED, the id cut out", async (_, credential) => {
    const s = await stack({ credentials: { crafterProfile: credential }, configured: ['crafterProfile'] });
    const read = await s.query('query ($ticket: String!) { crafterAccessTokens { name } crafterTicket(id: $ticket) { tenant } }', { ticket: TICKET });
    for (const field of ['crafterAccessTokens', 'crafterTicket']) {
      expect(errorAt(read, field)?.extensions).toMatchObject({ code: 'UPSTREAM_UNAUTHORIZED', upstream: { status: 403, errorCode: 'ACCESS_DENIED', detail: expect.stringContaining('"[redacted]"') } });
    }
    expect(JSON.stringify(read.body)).not.toContain(credential);
  });

  it('a token without a permission is 403 ACTION_DENIED: UPSTREAM_FORBIDDEN (the list needs a master token, a ticket MANAGE_TICKETS on its tenant)', async () => {
    const notMaster = await stack({ credentials: { crafterProfile: NOT_MASTER }, configured: ['crafterProfile'] });
    const list = await notMaster.query('{ crafterAccessTokens { name } }');
    expect(errorAt(list, 'crafterAccessTokens')?.extensions).toMatchObject({ code: 'UPSTREAM_FORBIDDEN', upstream: { status: 403, errorCode: 'ACTION_DENIED' } });
    const noActions = await stack({ credentials: { crafterProfile: NO_ACTIONS }, configured: ['crafterProfile'] });
    const ticket = await noActions.query(TICKET_QUERY, { id: TICKET });
    expect(errorAt(ticket, 'crafterTicket')?.extensions).toMatchObject({
      code: 'UPSTREAM_FORBIDDEN',
      upstream: { status: 403, errorCode: 'ACTION_DENIED', detail: 'Current subject does not have permission to execute action "MANAGE_TICKETS" on tenant "default"' },
    });
  });

  it('a token with null tenantPermissions reading a ticket: Crafter fails with 500 (a NullPointerException), UPSTREAM_ERROR', async () => {
    const s = await stack({ credentials: { crafterProfile: NULL_PERMISSIONS }, configured: ['crafterProfile'] });
    const read = await s.query(TICKET_QUERY, { id: TICKET });
    expect(read.body.data?.crafterTicket).toBeNull();
    expect(errorAt(read, 'crafterTicket')?.extensions).toEqual({ code: 'UPSTREAM_ERROR', upstream: { source: 'CRAFTER_TICKET', status: 500, detail: 'Internal server error' } });
  });

  it('reading a ticket extends its session: Crafter sets its lastRequestTime to the read, so tokengraph shows no last use, and the ticket ACTIVE', async () => {
    // The upstream's own data, held here: what Crafter stored, seen without another GET of the ticket.
    const data = demoData(NOW);
    const s = await stack({ data, configured: ['crafterProfile'] });
    const ticket = data.crafterProfile.tickets.find((t) => t.id === TICKET)!;
    const before = ticket.lastRequestTime;
    const read = await s.query('query ($id: String!) { crafterTicket(id: $id) { lastUsedAt status } }', { id: TICKET });
    const answered = Date.now();
    expect(read.body).toEqual({ data: { crafterTicket: { lastUsedAt: null, status: 'ACTIVE' } } });
    // tokengraph's one GET of the ticket moved its lastRequestTime from the seed's to the time of that call.
    const gets = s.calls('crafterProfile').filter((call) => call.method === 'GET' && call.path.endsWith(`/ticket/${TICKET}`));
    expect(gets).toHaveLength(1);
    expect(ticket.lastRequestTime).toBeGreaterThan(before);
    expect(ticket.lastRequestTime).toBeGreaterThanOrEqual(gets[0]!.at);
    expect(ticket.lastRequestTime).toBeLessThanOrEqual(answered);
  });

  it.each<[string, Fault]>([
    ['404 NO_SUCH_TICKET (Crafter Profile 3.0.1 on)', { kind: 'status', status: 404 }],
    ['400 NO_SUCH_TICKET', { kind: 'body', status: 400, body: '{"errorCode":"NO_SUCH_TICKET","message":"gone"}', contentType: 'application/json' }],
    ['200 with an empty body (before 3.0.1)', { kind: 'body', status: 200, body: '', contentType: 'application/json' }],
  ])('an unknown ticket answered %s is null, with no error', async (_, fault) => {
    const s = await stack({ configured: ['crafterProfile'] });
    if (fault.kind === 'status') {
      const read = await s.query(TICKET_QUERY, { id: 'no-such-ticket' });
      expect(read.body).toEqual({ data: { crafterTicket: null } });
      return;
    }
    s.upstreams.crafterProfile.inject({ fault, times: 1 });
    const read = await s.query(TICKET_QUERY, { id: TICKET });
    expect(read.body).toEqual({ data: { crafterTicket: null } });
  });

  it('invalidate and delete answer 200 even for an id that does not exist: only the read before them says NOT_FOUND, and then nothing is sent', async () => {
    const s = await stack({ configured: ['crafterProfile'] });
    const raw = await fetch(`${s.upstreams.crafterProfile.baseUrl}/api/1/authentication/ticket/no-such-ticket/invalidate?accessTokenId=${DEMO_CREDENTIALS.crafterProfile}`, { method: 'POST' });
    expect(raw.status).toBe(200);
    s.reset();
    const revoke = await s.query('mutation ($refs: [TokenRef!]!) { revokeTokens(refs: $refs) { outcome } }', {
      refs: [
        { source: 'CRAFTER_TICKET', tokenId: 'no-such-ticket' },
        { source: 'CRAFTER_ACCESS_TOKEN', tokenId: 'c0ffee00-0000-4000-8000-000000000000' },
      ],
    });
    expect(revoke.body.data?.revokeTokens).toEqual([{ outcome: 'NOT_FOUND' }, { outcome: 'NOT_FOUND' }]);
    expect(s.calls('crafterProfile').filter((call) => call.method === 'POST')).toEqual([]);
  });

  it("a master token created without an expiry never expires: NEVER_EXPIRES, null expiresAt, last in either order by expiry", async () => {
    const s = await stack({ configured: ['crafterProfile'] });
    for (const orderBy of ['EXPIRES_AT_ASC', 'EXPIRES_AT_DESC']) {
      const read = await inventory(s, { orderBy });
      expect(read.nodes.at(-1)).toMatchObject({ tokenId: '0b8e…0b1c', status: 'NEVER_EXPIRES', expiresAt: null });
    }
  });
});

describe('Astra Control', () => {
  it('API tokens never expire: every one NEVER_EXPIRES, found by that status', async () => {
    const s = await stack({ configured: ['astra'] });
    const read = await inventory(s, { filter: { status: ['NEVER_EXPIRES'] } });
    expect(read.totalCount).toBe(DATA.astra.length);
    expect(read.nodes.every((node) => node.source === 'ASTRA' && node.expiresAt === null)).toBe(true);
  });

  it('list pages continue with opaque standard base64 (+, / and =), sent back URL-encoded', async () => {
    const s = await stack({ configured: ['astra'] });
    const read = await inventory(s);
    expect(read.gaps).toEqual([]);
    expect(read.totalCount).toBe(DATA.astra.length);
    const raw = s.calls('astra').filter((call) => call.query.continue !== undefined);
    expect(raw.length).toBeGreaterThan(0);
    for (const call of raw) expect(call.query.continue).toMatch(/^[A-Za-z0-9+/]+=+$/);
    expect(raw.some((call) => /[+/]/.test(call.query.continue!))).toBe(true);
  });
});

describe("a 404 is not found only when it is the upstream's own answer that the token does not exist", () => {
  const REVOKE = 'mutation ($refs: [TokenRef!]!) { revokeTokens(refs: $refs) { outcome code } }';
  const READ = 'query ($ref: TokenRef!) { token(ref: $ref) { tokenId } }';
  const NETBIRD = { source: 'NETBIRD', userId: 'alice', tokenId: 'nb-demo-1' };
  const CRAFTER_TICKET = { source: 'CRAFTER_TICKET', tokenId: TICKET };
  const ASTRA = { source: 'ASTRA', accountId: 'acme', userId: 'ops-admin', tokenId: 'astra-demo-1' };
  const GAME = { source: 'GAME', tokenId: 'game-demo-1' };
  const html = (body: string): Fault => ({ kind: 'body', status: 404, body, contentType: 'text/html' });
  const json = (value: unknown, contentType = 'application/json'): Fault => ({ kind: 'body', status: 404, body: JSON.stringify(value), contentType });
  const NGINX = html('<html>\r\n<head><title>404 Not Found</title></head>\r\n<body>\r\n<center><h1>404 Not Found</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n');

  it.each<[string, UpstreamName, Fault, Record<string, string>]>([
    ["NetBird: gorilla/mux's 404 page not found (a path no route matches)", 'netbird', { kind: 'status', status: 404 }, NETBIRD],
    ["NetBird: a proxy's page", 'netbird', NGINX, NETBIRD],
    ["Crafter: Tomcat's page (a path outside the webapp, or no handler before Spring 6.1)", 'crafterProfile', { kind: 'status', status: 404 }, CRAFTER_TICKET],
    ['Crafter on Spring 6.1: No endpoint, errorCode OTHER', 'crafterProfile', json({ errorCode: 'OTHER', message: `No endpoint GET /crafter-profile/api/1/authentication/tickets/${TICKET}.` }), CRAFTER_TICKET],
    ["Astra: a proxy's page", 'astra', NGINX, ASTRA],
    ['Astra: a problem astra.json does not give for a token (13, User not found)', 'astra', json({ type: 'https://astra.netapp.io/problems/13', title: 'User not found', detail: 'x', status: '404' }, 'application/problem+json'), ASTRA],
    ["Games: Web API's answer for a path no route matches", 'games', { kind: 'status', status: 404 }, GAME],
    ["Games: IIS's page", 'games', html('<!DOCTYPE html><html><head><title>IIS 10.0 Detailed Error - 404.0 - Not Found</title></head><body><h3>HTTP Error 404.0 - Not Found</h3></body></html>'), GAME],
  ])('%s: the read fails UPSTREAM_ERROR (404), and revoking it is FAILED with nothing sent', async (_, upstream, fault, ref) => {
    const s = await stack({ configured: [upstream] });
    s.upstreams[upstream].inject({ fault });
    const read = await s.query(READ, { ref });
    expect(read.body.data?.token).toBeNull();
    expect(errorAt(read, 'token')?.extensions).toMatchObject({ code: 'UPSTREAM_ERROR', upstream: { source: ref.source, status: 404 } });
    if (ref.source === 'GAME') return; // games tokens cannot be revoked
    const revoke = await s.query(REVOKE, { refs: [ref] });
    expect(revoke.body.data?.revokeTokens).toEqual([{ outcome: 'FAILED', code: 'UPSTREAM_ERROR' }]);
    expect(s.calls(upstream).filter((call) => call.method !== 'GET')).toEqual([]);
  });

  it.each<[string, UpstreamName, Fault, Record<string, string>]>([
    ["NetBird's pat: <id> not found", 'netbird', json({ message: 'pat: nb-demo-1 not found', code: 404 }, 'application/json; charset=UTF-8'), NETBIRD],
    ["NetBird's user: <id> not found", 'netbird', json({ message: 'user: alice not found', code: 404 }, 'application/json; charset=UTF-8'), NETBIRD],
    ["Crafter's 404 NO_SUCH_TICKET", 'crafterProfile', json({ errorCode: 'NO_SUCH_TICKET', message: `No ticket with ID "${TICKET}" found` }), CRAFTER_TICKET],
    ["Astra's problem 2 (a GET's 404)", 'astra', json({ type: 'https://astra.netapp.io/problems/2', title: 'Collection not found', detail: "The collection specified in the request URI wasn't found.", status: '404' }, 'application/problem+json'), ASTRA],
    ["Astra's problem 1", 'astra', json({ type: 'https://astra.netapp.io/problems/1', title: 'Resource not found', detail: "The resource specified in the request URI wasn't found.", status: '404' }, 'application/problem+json'), ASTRA],
    ["Games: Web API's NotFound(), no body", 'games', { kind: 'body', status: 404, body: '', contentType: 'application/json' }, GAME],
    ['Games: a Web API error of its own', 'games', json({ Message: 'Token game-demo-1 was not found.' }), GAME],
  ])('%s: the read is null with no error, and revoking it NOT_FOUND with nothing sent', async (_, upstream, fault, ref) => {
    const s = await stack({ configured: [upstream] });
    s.upstreams[upstream].inject({ fault, match: (call) => call.method === 'GET' });
    const read = await s.query(READ, { ref });
    expect(read.body).toEqual({ data: { token: null } });
    if (ref.source === 'GAME') return;
    const revoke = await s.query(REVOKE, { refs: [ref] });
    expect(revoke.body.data?.revokeTokens).toEqual([{ outcome: 'NOT_FOUND', code: null }]);
    expect(s.calls(upstream).filter((call) => call.method !== 'GET')).toEqual([]);
  });
});
