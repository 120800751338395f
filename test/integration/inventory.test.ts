/**
 * The inventory over real HTTP against the loopback upstreams (contract §7): what one full read
 * costs, call by call, counted at the upstreams; snapshots shared by concurrent requests and kept
 * for their TTL; gaps instead of failures; filters and orderings; and arguments refused before
 * any upstream call.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { readConfig, type InventoryConfig } from '../../src/config/readConfig.js';
import { demoData, DEMO_ASTRA_ACCOUNTS, DEMO_NETBIRD_CURRENT_USER, DEMO_WATCH } from '../../src/demo/demoData.js';
import type { TokenKey } from '../../src/sources.js';
import { startStack, type Stack } from '../harness.js';

const DATA = demoData(new Date());
const PAGE = 25;
const pages = (items: number) => Math.max(1, Math.ceil(items / PAGE));
/** The users `GET /api/users` answers: not the non-deletable one, not another account's. */
const NETBIRD_LISTED = DATA.netbirdUsers.filter((user) => !user.non_deletable && !user.account);
const SERVICE_USERS = NETBIRD_LISTED.filter((user) => user.is_service_user).map((user) => user.id);
const LISTED_NETBIRD_USERS = [DEMO_NETBIRD_CURRENT_USER, ...SERVICE_USERS];
const UNKNOWN_GAME: TokenKey = { source: 'GAME', tokenId: 'no-such-game' };
const SETTINGS: InventoryConfig = {
  ...readConfig({}).inventory,
  ttlMs: 60_000,
  // These tests read anew at will; the throttle of refresh: true has tests of its own.
  minRefreshMs: 0,
  watch: [...(DEMO_WATCH as TokenKey[]), UNKNOWN_GAME],
  netbirdUsers: 'service',
  astraAccountIds: [...DEMO_ASTRA_ACCOUNTS],
};

/** What one full read costs at each upstream, from the demo data (contract §7's count). */
function expectedCalls() {
  const astra = DEMO_ASTRA_ACCOUNTS.reduce((calls, account) => {
    const users = DATA.astraUsers.filter((entry) => entry.accountId === account);
    const tokenPages = users.reduce((sum, { user }) => sum + pages(DATA.astra.filter((e) => e.accountId === account && e.token.userID === user.id).length), 0);
    return calls + pages(users.length) + tokenPages;
  }, 0);
  return {
    // The access-token list, and one call per watched ticket.
    crafterProfile: 1 + DEMO_WATCH.filter((ref) => ref.source === 'CRAFTER_TICKET').length,
    astra,
    // The users (one call, never /api/users/current), then one list per listed user.
    netbird: 1 + LISTED_NETBIRD_USERS.length,
    // One call per watched game token, the unknown one too.
    games: DEMO_WATCH.filter((ref) => ref.source === 'GAME').length + 1,
  };
}

const A_DAY_AGO = new Date(Date.now() - 86_400_000).toISOString();
const IN_A_WEEK = new Date(Date.now() + 7 * 86_400_000).toISOString();

const calls = (stack: Stack, upstream: 'netbird' | 'astra' | 'crafterProfile' | 'games') => stack.calls(upstream).map((call) => `${call.method} ${call.path}`);
const callsOf = (stack: Stack) => ({
  crafterProfile: stack.calls('crafterProfile').length,
  astra: stack.calls('astra').length,
  netbird: stack.calls('netbird').length,
  games: stack.calls('games').length,
});

const EVERYTHING = `query Inventory($first: Int, $after: String, $orderBy: TokenOrder, $filter: TokenFilter, $refresh: Boolean) {
  inventory(first: $first, after: $after, orderBy: $orderBy, filter: $filter, refresh: $refresh) {
    totalCount collectedAt
    gaps { source code count scopes message }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor node { id } }
    nodes { id source tokenId name owner createdAt expiresAt lastUsedAt status }
  }
}`;

interface Node {
  id: string;
  source: string;
  tokenId: string;
  name: string | null;
  owner: string | null;
  createdAt: string | null;
  expiresAt: string | null;
  lastUsedAt: string | null;
  status: string;
}

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ config: { inventory: SETTINGS } });
});
afterAll(() => stack.close());
beforeEach(() => stack.reset());

async function inventory(variables: Record<string, unknown> = {}, target: Stack = stack) {
  const response = await target.query(EVERYTHING, { first: 500, ...variables });
  return { response, connection: response.body.data?.inventory as Record<string, any> | null | undefined };
}

describe('one full read', () => {
  it('lists every source, watches the rest, and costs exactly the calls of contract §7', async () => {
    const { connection, response } = await inventory({ refresh: true });
    expect(response.body.errors).toBeUndefined();
    expect(callsOf(stack)).toEqual(expectedCalls());
    const nodes = connection!.nodes as Node[];
    const count = (source: string) => nodes.filter((node) => node.source === source).length;
    const listedNetbird = DATA.netbird.filter((entry) => LISTED_NETBIRD_USERS.includes(entry.userId)).length;
    expect({
      CRAFTER_ACCESS_TOKEN: count('CRAFTER_ACCESS_TOKEN'),
      CRAFTER_TICKET: count('CRAFTER_TICKET'),
      ASTRA: count('ASTRA'),
      NETBIRD: count('NETBIRD'),
      GAME: count('GAME'),
    }).toEqual({
      CRAFTER_ACCESS_TOKEN: DATA.crafterProfile.accessTokens.length,
      CRAFTER_TICKET: DATA.crafterProfile.tickets.length,
      ASTRA: DATA.astra.length,
      NETBIRD: listedNetbird,
      GAME: DATA.games.length,
    });
    expect(connection!.totalCount).toBe(nodes.length);
    expect(connection!.gaps).toEqual([]);
    expect(nodes.find((node) => node.tokenId === 'nb-demo-3')).toMatchObject({ owner: 'svc-monitoring' });
    expect(calls(stack, 'netbird')).not.toContain('GET /api/users/current');
    // Access-token ids are shown masked, in the inventory as everywhere.
    expect(nodes.filter((node) => node.source === 'CRAFTER_ACCESS_TOKEN').every((node) => /^.{4}….{4}$/.test(node.tokenId))).toBe(true);
  });

  it('is one read for concurrent requests, and none again within the TTL', async () => {
    const answers = await Promise.all(Array.from({ length: 5 }, () => inventory({ refresh: true, first: 3 })));
    expect(new Set(answers.map(({ connection }) => connection!.collectedAt)).size).toBe(1);
    expect(callsOf(stack)).toEqual(expectedCalls());
    stack.reset();
    const kept = await inventory({ first: 3 });
    expect(kept.connection!.collectedAt).toBe(answers[0]!.connection!.collectedAt);
    expect(stack.totalCalls()).toBe(0);
  });

  it('keeps a watched token the list also returns once, at the cost of its own call', async () => {
    const alices: TokenKey = { source: 'NETBIRD', userId: DEMO_NETBIRD_CURRENT_USER, tokenId: 'nb-demo-1' };
    const watching = await startStack({ config: { inventory: { ...SETTINGS, watch: [alices] } } });
    try {
      const { connection } = await inventory({}, watching);
      expect((connection!.nodes as Node[]).filter((node) => node.tokenId === 'nb-demo-1')).toHaveLength(1);
      expect(watching.calls('netbird').filter((call) => call.path === '/api/users/alice/tokens/nb-demo-1')).toHaveLength(1);
    } finally {
      await watching.close();
    }
  });
  it("gives two inventory fields of one request (the overview page's rows and counts) one read and one snapshot, even with a TTL of 0 and refresh: true", async () => {
    const everyRequest = await startStack({ config: { inventory: { ...SETTINGS, ttlMs: 0 } } });
    try {
      const twice = `query Twice($refresh: Boolean) {
        rows: inventory(first: 5, refresh: $refresh, filter: { findings: [NEVER_EXPIRES] }) { collectedAt totalCount }
        counts: inventory(first: 1, refresh: $refresh) { collectedAt totalCount findingCounts { finding count } }
      }`;
      for (const refresh of [false, true]) {
        everyRequest.reset();
        const response = await everyRequest.query(twice, { refresh });
        expect(response.body.errors).toBeUndefined();
        const { rows, counts } = response.body.data as { rows: { collectedAt: string; totalCount: number }; counts: { collectedAt: string; findingCounts: Array<{ finding: string; count: number }> } };
        expect(rows.collectedAt).toBe(counts.collectedAt);
        expect(counts.findingCounts.find((count) => count.finding === 'NEVER_EXPIRES')!.count).toBe(rows.totalCount);
        expect(callsOf(everyRequest)).toEqual(expectedCalls());
      }
    } finally {
      await everyRequest.close();
    }
  });
});

describe('gaps', () => {
  it('NETBIRD_INVENTORY=all: each regular user NetBird refuses is one part of one UPSTREAM_FORBIDDEN gap, the rest listed', async () => {
    const all = await startStack({ config: { inventory: { ...SETTINGS, watch: [], netbirdUsers: 'all' } } });
    try {
      const { connection, response } = await inventory({}, all);
      expect(response.body.errors).toBeUndefined();
      const refused = NETBIRD_LISTED.filter((user) => !LISTED_NETBIRD_USERS.includes(user.id)).sort((a, b) => (a.id < b.id ? -1 : 1));
      expect(connection!.gaps).toEqual([
        {
          source: 'NETBIRD',
          code: 'UPSTREAM_FORBIDDEN',
          count: refused.length,
          scopes: refused.slice(0, 10).map((user) => `user ${user.id}`),
          message: "NETBIRD denied access (403): NetBird lets an admin or owner read only their own tokens and service users' tokens, a service user its own, and a regular user of role user none at all (NETBIRD_INVENTORY=service lists exactly what an admin may read)",
        },
      ]);
      expect((connection!.nodes as Node[]).filter((node) => node.source === 'NETBIRD')).toHaveLength(DATA.netbird.filter((e) => LISTED_NETBIRD_USERS.includes(e.userId)).length);
      // One users list, then one token list per user it lists.
      expect(all.calls('netbird')).toHaveLength(1 + NETBIRD_LISTED.length);
    } finally {
      await all.close();
    }
  });

  it('without ASTRA_ACCOUNT_IDS, Astra is a gap naming the setting, and is not called', async () => {
    const unlisted = await startStack({ config: { inventory: { ...SETTINGS, watch: [], astraAccountIds: [] } } });
    try {
      const { connection } = await inventory({}, unlisted);
      expect(connection!.gaps).toEqual([{ source: 'ASTRA', code: 'INVENTORY_NOT_CONFIGURED', count: 1, scopes: ['ASTRA_ACCOUNT_IDS'], message: expect.stringContaining('ASTRA_ACCOUNT_IDS') }]);
      expect(unlisted.calls('astra')).toHaveLength(0);
    } finally {
      await unlisted.close();
    }
  });

  it('a failing user, account, watched reference and list are parts, grouped by source and code; the rest is listed', async () => {
    stack.upstreams.netbird.inject({ fault: { kind: 'status', status: 503 }, match: (call) => call.path === '/api/users/svc-ci/tokens' });
    stack.upstreams.astra.inject({ fault: { kind: 'status', status: 401 }, match: (call) => call.path === '/accounts/globex/core/v1/users' });
    stack.upstreams.games.inject({ fault: { kind: 'status', status: 500 }, match: (call) => call.path === '/v1/tokens/game-demo-1' });
    stack.upstreams.crafterProfile.inject({ fault: { kind: 'status', status: 403 }, match: (call) => call.path.endsWith('/access_token/all') });
    const { connection, response } = await inventory({ refresh: true });
    expect(response.body.errors).toBeUndefined();
    expect(connection!.gaps).toEqual([
      { source: 'CRAFTER_ACCESS_TOKEN', code: 'UPSTREAM_FORBIDDEN', count: 1, scopes: ['access-token list'], message: expect.any(String) },
      { source: 'ASTRA', code: 'UPSTREAM_UNAUTHORIZED', count: 1, scopes: ['account globex'], message: expect.any(String) },
      { source: 'NETBIRD', code: 'UPSTREAM_UNAVAILABLE', count: 1, scopes: ['user svc-ci'], message: expect.any(String) },
      { source: 'GAME', code: 'UPSTREAM_ERROR', count: 1, scopes: ['watched GAME/game-demo-1'], message: expect.any(String) },
    ]);
    const sources = new Set((connection!.nodes as Node[]).map((node) => node.source));
    expect(sources).toEqual(new Set(['CRAFTER_TICKET', 'ASTRA', 'NETBIRD', 'GAME']));
  });

  it('a user with no tokens, whose list NetBird answers `null`, is listed as none: no gap', async () => {
    stack.upstreams.netbird.inject({ fault: { kind: 'body', body: 'null', contentType: 'application/json' }, match: (call) => call.path === '/api/users/svc-ci/tokens' });
    const { connection, response } = await inventory({ refresh: true });
    expect(response.body.errors).toBeUndefined();
    expect(connection!.gaps).toEqual([]);
    const owners = new Set((connection!.nodes as Node[]).filter((node) => node.source === 'NETBIRD').map((node) => node.owner));
    expect(owners.has('svc-ci')).toBe(false);
    expect(owners.has('svc-backup')).toBe(true);
  });

  it('names a watched ticket masked: its id is a session credential', async () => {
    stack.upstreams.crafterProfile.inject({ fault: { kind: 'status', status: 500 }, match: (call) => call.path.includes('/ticket/') });
    const { connection } = await inventory({ refresh: true });
    const tickets = connection!.gaps.find((gap: { source: string }) => gap.source === 'CRAFTER_TICKET');
    expect(tickets.scopes).toEqual(DATA.crafterProfile.tickets.map((ticket) => `watched CRAFTER_TICKET/${ticket.id.slice(0, 4)}%E2%80%A6${ticket.id.slice(-4)}`));
    expect(JSON.stringify(connection)).not.toContain(DATA.crafterProfile.tickets[0]!.id);
  });
});

describe('arguments', () => {
  it.each([
    ['first 0', { first: 0 }, 'first must be between 1 and 500, got 0'],
    ['first 501', { first: 501 }, 'first must be between 1 and 500, got 501'],
    ['a cursor that is not one', { after: 'not-a-cursor' }, 'after is not a cursor returned by inventory'],
    ['a cursor of another ordering', { after: Buffer.from(JSON.stringify([1, 'NAME_ASC', 'x', 'GAME', 'x', 'x'])).toString('base64url') }, 'after is a cursor of another ordering (NAME_ASC), not of EXPIRES_AT_ASC'],
    ['a search over 256 characters', { filter: { search: 'x'.repeat(257) } }, 'filter.search must be at most 256 characters'],
  ])('%s is BAD_USER_INPUT, inventory null, with no upstream call', async (_, variables, message) => {
    const { response } = await inventory({ refresh: true, ...variables });
    expect(response.body.data?.inventory).toBeNull();
    expect(response.body.errors).toEqual([expect.objectContaining({ message, extensions: { code: 'BAD_USER_INPUT' } })]);
    expect(stack.totalCalls()).toBe(0);
  });
});

describe('filters and orderings', () => {
  let all: Node[];
  beforeAll(async () => {
    // A snapshot of its own: the one kept from an earlier test may hold that test's faults.
    stack.reset();
    const { connection } = await inventory({ refresh: true });
    expect(connection!.gaps).toEqual([]);
    all = connection!.nodes as Node[];
    expect(new Set(all.map((node) => node.source))).toEqual(new Set(['CRAFTER_ACCESS_TOKEN', 'CRAFTER_TICKET', 'ASTRA', 'NETBIRD', 'GAME']));
  });
  const millis = (date: string | null) => (date === null ? null : Date.parse(date));

  it.each([
    ['sources', { sources: ['GAME', 'CRAFTER_TICKET'] }, (n: Node) => n.source === 'GAME' || n.source === 'CRAFTER_TICKET'],
    ['status', { status: ['NEVER_EXPIRES'] }, (n: Node) => n.status === 'NEVER_EXPIRES'],
    ['expiresBefore', { expiresBefore: '2026-01-01T00:00:00.000Z' }, (n: Node) => n.expiresAt !== null && millis(n.expiresAt)! < Date.parse('2026-01-01T00:00:00.000Z')],
    ['expiresAfter', { expiresAfter: IN_A_WEEK }, (n: Node) => n.expiresAt !== null && millis(n.expiresAt)! >= Date.parse(IN_A_WEEK)],
    ['lastUsedBefore (never used counts)', { lastUsedBefore: A_DAY_AGO }, (n: Node) => n.lastUsedAt === null || millis(n.lastUsedAt)! < Date.parse(A_DAY_AGO)],
    ['owner', { owner: 'svc-ci' }, (n: Node) => n.owner === 'svc-ci'],
    ['search, case-insensitive, over name, owner and shown tokenId', { search: 'BACKUP' }, (n: Node) => [n.name, n.owner, n.tokenId].some((text) => text?.toLowerCase().includes('backup'))],
    ['search finds a masked id by what is shown', { search: 'e8f5…8e2d' }, (n: Node) => n.tokenId === 'e8f5…8e2d'],
    ['search never finds an access token by its hidden id', { search: '877b-416f' }, () => false],
    ['every condition at once (AND)', { sources: ['NETBIRD'], status: ['ACTIVE'], owner: 'alice' }, (n: Node) => n.source === 'NETBIRD' && n.status === 'ACTIVE' && n.owner === 'alice'],
  ])('%s', async (_, filter, keeps) => {
    const { connection } = await inventory({ filter });
    const expected = all.filter(keeps).map((n) => n.id);
    expect((connection!.nodes as Node[]).map((n) => n.id).sort()).toEqual(expected.sort());
    expect(connection!.totalCount).toBe(expected.length);
    if (_ !== 'search never finds an access token by its hidden id') expect(expected.length).toBeGreaterThan(0);
  });

  it.each([
    ['EXPIRES_AT_ASC', (n: Node) => millis(n.expiresAt), false],
    ['EXPIRES_AT_DESC', (n: Node) => millis(n.expiresAt), true],
    ['CREATED_AT_DESC', (n: Node) => millis(n.createdAt), true],
    ['LAST_USED_AT_ASC', (n: Node) => millis(n.lastUsedAt), false],
    ['NAME_ASC', (n: Node) => n.name?.toLowerCase() ?? null, false],
  ] as Array<[string, (n: Node) => number | string | null, boolean]>)('%s: by its field, nulls last, pages of 7 that never repeat or skip a token', async (orderBy, value, descending) => {
    const walked: Node[] = [];
    let after: string | null = null;
    for (let page = 0; page < 100; page++) {
      const { connection } = await inventory({ orderBy, first: 7, after });
      walked.push(...(connection!.nodes as Node[]));
      expect(connection!.pageInfo.hasPreviousPage).toBe(after !== null);
      if (!connection!.pageInfo.hasNextPage) break;
      after = connection!.pageInfo.endCursor;
    }
    expect(walked.map((n) => n.id).sort()).toEqual(all.map((n) => n.id).sort());
    expect(new Set(walked.map((n) => n.id)).size).toBe(walked.length);
    const values = walked.map(value);
    const firstNull = values.indexOf(null);
    if (firstNull >= 0) expect(values.slice(firstNull).every((v) => v === null)).toBe(true);
    const present = values.filter((v) => v !== null) as Array<number | string>;
    for (let i = 1; i < present.length; i++) expect(descending ? present[i - 1]! >= present[i]! : present[i - 1]! <= present[i]!).toBe(true);
  });

  it('a page walk goes on across a new snapshot without repeating a token, or skipping one that stayed', async () => {
    const first = await inventory({ first: 40 });
    const seen = (first.connection!.nodes as Node[]).map((n) => n.id);
    // A newer snapshot without svc-ci's tokens.
    stack.upstreams.netbird.inject({ fault: { kind: 'status', status: 503 }, match: (call) => call.path === '/api/users/svc-ci/tokens' });
    const refreshed = (await inventory({ refresh: true })).connection!.nodes as Node[];
    const rest: Node[] = [];
    let after: string | null = first.connection!.pageInfo.endCursor;
    while (after) {
      const { connection } = await inventory({ first: 40, after });
      rest.push(...(connection!.nodes as Node[]));
      after = connection!.pageInfo.hasNextPage ? connection!.pageInfo.endCursor : null;
    }
    const restIds = rest.map((n) => n.id);
    expect(restIds.filter((id) => seen.includes(id))).toEqual([]);
    expect(new Set([...seen, ...restIds])).toEqual(new Set([...seen, ...refreshed.map((n) => n.id).filter((id) => !seen.includes(id))]));
  });
});
