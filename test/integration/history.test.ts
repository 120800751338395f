/**
 * The history (contract §12) over real HTTP against the loopback upstreams, on both engines: PGlite
 * (in a data directory) and a real PostgreSQL server (test/postgresServer.ts). The same tests run on
 * each: the first read records every token APPEARED once; CHANGED (old → new) and EXPIRED; a failed
 * part makes no DISAPPEARED, and its next complete read does; REVOKED with the key's fingerprint and
 * the request id; each event one `info` line and one count at /metrics; tokenEvents' filters and
 * keyset pages; Token.firstSeenAt and Token.history for a page of 50 tokens in one query each, and
 * the overview page's own request (its rows' history and Recent changes) in four, whatever its size;
 * retention; and a restart keeps everything. On the server, two tokengraph instances that read the
 * same changed part at once record each event once; on PGlite, the history's fields fail alone
 * while it opens, and a read and a revocation made meanwhile are recorded once it is open; a
 * history that cannot write (its server's database dropped, its PGlite lock lost, a full queue)
 * says so.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readConfig, type HistoryConfig, type InventoryConfig } from '../../src/config/readConfig.js';
import { DEMO_ASTRA_ACCOUNTS, DEMO_CREDENTIALS, DEMO_WATCH, type DemoData } from '../../src/demo/demoData.js';
import { startDemoUpstreams, type DemoUpstreams } from '../../src/demo/startDemoUpstreams.js';
import { demoData } from '../../src/demo/demoData.js';
import { RecentChangesDocument, TokenOverviewDocument, type RecentChangesQuery, type RecentChangesQueryVariables, type TokenOverviewQuery, type TokenOverviewQueryVariables } from '../../src/generated/client/graphql.js';
import { openDatabase } from '../../src/history/database.js';
import { createLogger } from '../../src/observability/createLogger.js';
import { apiKeyFingerprint } from '../../src/security/apiKeys.js';
import type { TokenKey } from '../../src/sources.js';
import { startStack, type GraphQLResponse, type Stack } from '../harness.js';
import { startPostgres, type TestPostgres } from '../postgresServer.js';

const ADMIN_KEY = 'ADMINKEY-history-Qw8Er5Ty2Ui7Op';
const INVENTORY: InventoryConfig = { ...readConfig({}).inventory, minRefreshMs: 0, watch: DEMO_WATCH as TokenKey[], astraAccountIds: [...DEMO_ASTRA_ACCOUNTS] };

const EVENT_FIELDS = 'at kind source tokenId token name owner detail actor';
const EVENTS = `query Events($filter: TokenEventFilter, $first: Int, $after: String) {
  tokenEvents(filter: $filter, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor node { ${EVENT_FIELDS} } }
    nodes { ${EVENT_FIELDS} }
  }
}`;

interface Event {
  at: string;
  kind: string;
  source: string;
  tokenId: string;
  token: string;
  name: string | null;
  owner: string | null;
  detail: string | null;
  actor: string | null;
}

let server: TestPostgres;
const dirs: string[] = [];
beforeAll(async () => {
  server = await startPostgres();
}, 60_000);
afterAll(async () => {
  await server?.stop();
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

type Engine = 'PGlite' | 'PostgreSQL';
const ENGINES: Engine[] = ['PGlite', 'PostgreSQL'];

/** A fresh, empty history on `engine`. */
async function freshHistory(engine: Engine, name: string): Promise<Partial<HistoryConfig>> {
  if (engine === 'PostgreSQL') return { databaseUrl: await server.createDatabase(name) };
  const dir = mkdtempSync(join(tmpdir(), `tokengraph-history-${name}-`));
  dirs.push(dir);
  return { dataDir: join(dir, 'data') };
}

async function events(stack: Stack, filter: Record<string, unknown> = {}, first = 500): Promise<{ totalCount: number; nodes: Event[] }> {
  const response = await stack.query(EVENTS, { filter, first });
  expect(response.body.errors).toBeUndefined();
  return response.body.data!.tokenEvents;
}

/** Every token of the inventory's newest snapshot, read anew. */
async function refresh(stack: Stack): Promise<string[]> {
  const response = await stack.query(`{ inventory(refresh: true, first: 500) { totalCount gaps { code } nodes { id } } }`);
  expect(response.body.errors).toBeUndefined();
  return response.body.data!.inventory.nodes.map((node: { id: string }) => node.id);
}

/** `tokengraph_history_write_failures_total` at /metrics: reads and revocations the history did not record. */
async function writeFailures(stack: Stack): Promise<number | undefined> {
  const metrics = await (await fetch(stack.url.replace('/graphql', '/metrics'), { headers: stack.authorization })).text();
  const found = /^tokengraph_history_write_failures_total (\d+)$/m.exec(metrics);
  return found ? Number(found[1]) : undefined;
}

const readyz = async (stack: Stack) => ((await (await fetch(stack.url.replace('/graphql', '/readyz'))).json()) as { history: string }).history;

/** A logger at `info` that keeps its lines, and those lines parsed. */
function keptLog() {
  const lines: string[] = [];
  const logger = createLogger('info', { destination: { write: (line: string) => void lines.push(line) } });
  return { logger, logged: () => lines.map((line) => JSON.parse(line)) };
}

/** Waits for the writes of every read so far. */
async function settled(stack: Stack): Promise<void> {
  await stack.tokengraph.history!.recordRead({ collectedAt: 0, tokens: [], parts: [] }, { judgeAbsent: true });
}

async function deleteUpstream(upstreams: DemoUpstreams, userId: string, tokenId: string): Promise<void> {
  const response = await fetch(`${upstreams.netbird.baseUrl}/api/users/${userId}/tokens/${tokenId}`, { method: 'DELETE', headers: { authorization: `Token ${DEMO_CREDENTIALS.netbird}` } });
  expect(response.status).toBe(200);
}

describe.each(ENGINES)('the history on %s', (engine) => {
  const { logger, logged: loggedLines } = keptLog();
  let data: DemoData;
  let upstreams: DemoUpstreams;
  let history: Partial<HistoryConfig>;
  let stack: Stack;
  const start = () => startStack({ upstreams, history, adminKeys: [ADMIN_KEY], logger, config: { inventory: INVENTORY } });

  beforeAll(async () => {
    data = demoData(new Date());
    upstreams = await startDemoUpstreams({ data });
    history = await freshHistory(engine, 'history_main');
    stack = await start();
    await stack.tokengraph.history!.opened;
  }, 60_000);
  afterAll(async () => {
    await stack?.close();
    await upstreams?.close();
  });

  it('records every token of the first read as APPEARED, once, each one info line and one count at /metrics', async () => {
    const tokens = await refresh(stack);
    await settled(stack);
    const appeared = await events(stack, { kinds: ['APPEARED'] });
    // Every token the inventory holds, the watched tickets (read for the request) included; no other.
    expect(appeared.totalCount).toBe(tokens.length);
    expect(appeared.nodes.filter((event) => event.source !== 'CRAFTER_TICKET').map((event) => event.token).sort()).toEqual(
      tokens.filter((id) => !JSON.parse(Buffer.from(id, 'base64url').toString())[0].startsWith('CrafterTicket')).sort(),
    );
    // A second read of the same upstreams changes nothing.
    await refresh(stack);
    await settled(stack);
    expect((await events(stack)).totalCount).toBe(tokens.length);
    const logged = loggedLines().filter((line) => line.event === 'token');
    expect(logged).toHaveLength(tokens.length);
    expect(logged[0]).toMatchObject({ level: 30, event: 'token', kind: 'APPEARED' });
    expect(Object.keys(logged[0])).toEqual(expect.arrayContaining(['at', 'kind', 'source', 'tokenId', 'token', 'name', 'owner', 'detail', 'actor']));
    const metrics = await (await fetch(stack.url.replace('/graphql', '/metrics'), { headers: stack.authorization })).text();
    const counted = [...metrics.matchAll(/^tokengraph_token_events_total\{source="(\w+)",kind="APPEARED"\} (\d+)$/gm)].reduce((sum, match) => sum + Number(match[2]), 0);
    expect(counted).toBe(tokens.length);
  });

  it('records CHANGED with the fields old → new, and EXPIRED when the status turns so', async () => {
    const entry = data.netbird.find((e) => e.userId === 'alice' && Date.parse(e.token.expiration_date) > Date.now() + 86_400_000 && !['nb-demo-1', 'nb-tokengraph'].includes(e.token.id))!;
    const before = { name: entry.token.name, expiresAt: new Date(entry.token.expiration_date).toISOString() };
    entry.token.name = `${before.name} (renamed)`;
    entry.token.expiration_date = new Date(Date.now() - 60_000).toISOString();
    await refresh(stack);
    await settled(stack);
    const token = Buffer.from(JSON.stringify(['NetbirdPAT', 'alice', entry.token.id])).toString('base64url');
    const found = (await events(stack, { token })).nodes;
    expect(found.map((event) => event.kind)).toEqual(expect.arrayContaining(['APPEARED', 'CHANGED', 'EXPIRED']));
    const changed = found.find((event) => event.kind === 'CHANGED')!;
    expect(changed.detail).toBe(`name: ${JSON.stringify(before.name)} → ${JSON.stringify(entry.token.name)}; expiresAt: ${JSON.stringify(before.expiresAt)} → ${JSON.stringify(entry.token.expiration_date)}`);
    expect(changed).toMatchObject({ source: 'NETBIRD', tokenId: entry.token.id, name: entry.token.name, owner: 'alice', actor: null });
    // Newest first; the two of one read in the order recorded.
    expect(found.filter((event) => event.kind !== 'APPEARED').map((event) => event.kind)).toEqual(['EXPIRED', 'CHANGED']);
  });

  it('makes no DISAPPEARED from a failed part, and one from its next complete read', async () => {
    const victim = data.netbird.find((e) => e.userId === 'svc-ci' && e.token.id !== 'nb-tokengraph-svc')!;
    await deleteUpstream(upstreams, 'svc-ci', victim.token.id);
    const token = Buffer.from(JSON.stringify(['NetbirdPAT', 'svc-ci', victim.token.id])).toString('base64url');
    // The user's tokens fail, then the whole users list (every user part unread): nothing is gone.
    upstreams.netbird.inject({ fault: { kind: 'status', status: 503 }, match: (call) => call.path === '/api/users/svc-ci/tokens', times: 1 });
    await refresh(stack);
    upstreams.netbird.inject({ fault: { kind: 'status', status: 500 }, match: (call) => call.path === '/api/users', times: 1 });
    await refresh(stack);
    await settled(stack);
    expect((await events(stack, { kinds: ['DISAPPEARED'] })).totalCount).toBe(0);
    await refresh(stack);
    await refresh(stack);
    await settled(stack);
    const gone = await events(stack, { kinds: ['DISAPPEARED'] });
    expect(gone.nodes).toEqual([expect.objectContaining({ token, kind: 'DISAPPEARED', source: 'NETBIRD', tokenId: victim.token.id, owner: 'svc-ci' })]);
  });

  it('records REVOKED with the admin key fingerprint and the request id, then DISAPPEARED', async () => {
    const response = await stack.query(`mutation { revokeTokens(refs: [{ source: NETBIRD, userId: "alice", tokenId: "nb-demo-1" }]) { outcome } }`, undefined, { 'x-request-id': 'history-revoke-1' });
    expect(response.body.data?.revokeTokens).toEqual([{ outcome: 'REVOKED' }]);
    const token = Buffer.from(JSON.stringify(['NetbirdPAT', 'alice', 'nb-demo-1'])).toString('base64url');
    // Written before the mutation answers.
    const revoked = await events(stack, { token, kinds: ['REVOKED'] });
    expect(revoked.nodes).toEqual([expect.objectContaining({ kind: 'REVOKED', detail: 'history-revoke-1', actor: apiKeyFingerprint(ADMIN_KEY), tokenId: 'nb-demo-1', owner: 'alice' })]);
    await refresh(stack);
    await settled(stack);
    expect((await events(stack, { token })).nodes.map((event) => event.kind).slice(0, 2)).toEqual(['DISAPPEARED', 'REVOKED']);
  });

  it("records a NetBird service user's tokens DISAPPEARED when the user is deleted, and APPEARED again when it is back", async () => {
    const users = data.netbirdUsers;
    const index = users.findIndex((user) => user.id === 'svc-deploy');
    const ids = data.netbird.filter((e) => e.userId === 'svc-deploy').map((e) => Buffer.from(JSON.stringify(['NetbirdPAT', 'svc-deploy', e.token.id])).toString('base64url'));
    expect(ids.length).toBeGreaterThan(0);
    const kindsOf = async () => Promise.all(ids.map(async (token) => (await events(stack, { token })).nodes.map((event) => event.kind)));
    const [deleted] = users.splice(index, 1);
    await refresh(stack);
    await settled(stack);
    expect(await kindsOf()).toEqual(ids.map(() => ['DISAPPEARED', 'APPEARED']));
    users.splice(index, 0, deleted!);
    await refresh(stack);
    await settled(stack);
    // Its part is read anew as at its first read: each token APPEARED again, and no longer gone.
    expect(await kindsOf()).toEqual(ids.map(() => ['APPEARED', 'DISAPPEARED', 'APPEARED']));
    const { rows } = await stack.tokengraph.history!.database()!.query<{ gone: boolean }>('SELECT gone_at IS NOT NULL AS gone FROM token_first_seen WHERE token = ANY($1::text[])', [ids]);
    expect(rows.map((row) => row.gone)).toEqual(ids.map(() => false));
  });

  it('filters and pages tokenEvents newest first with keyset cursors and a totalCount', async () => {
    const all = await events(stack);
    expect(all.nodes.map((e) => [e.at, e.kind])).toEqual([...all.nodes].sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0)).map((e) => [e.at, e.kind]));
    const walked: Event[] = [];
    let after: string | null = null;
    let pages = 0;
    do {
      const response: GraphQLResponse = await stack.query(EVENTS, { first: 37, after });
      const page: { totalCount: number; nodes: Event[]; edges: Array<{ node: Event }>; pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; endCursor: string } } = response.body.data!.tokenEvents;
      expect(page.totalCount).toBe(all.totalCount);
      expect(page.pageInfo.hasPreviousPage).toBe(after !== null);
      expect(page.edges.map((edge: { node: Event }) => edge.node)).toEqual(page.nodes);
      walked.push(...page.nodes);
      after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
      pages += 1;
    } while (after);
    expect(pages).toBe(Math.ceil(all.totalCount / 37));
    expect(walked).toEqual(all.nodes);
    const netbird = await events(stack, { sources: ['NETBIRD'], kinds: ['CHANGED', 'REVOKED'] });
    expect(netbird.nodes.map((e) => e.kind).sort()).toEqual(['CHANGED', 'REVOKED']);
    const at = all.nodes.find((e) => e.kind === 'REVOKED')!.at;
    const [since, until] = [await events(stack, { since: at }), await events(stack, { until: at })];
    // Both sides hold events (the first read's before the revocation, the revocation and later ones since), and together all.
    expect([since.nodes.length > 0, until.nodes.length > 0]).toEqual([true, true]);
    expect(since.nodes.every((e) => e.at >= at)).toBe(true);
    expect(until.nodes.every((e) => e.at < at)).toBe(true);
    expect(since.totalCount + until.totalCount).toBe(all.totalCount);
    expect((await events(stack, { since: at, until: at })).totalCount).toBe(0);
    for (const [args, message] of [
      [{ first: 0 }, /first must be between 1 and 500/],
      [{ first: 501 }, /first must be between 1 and 500/],
      [{ after: 'not-a-cursor' }, /not a cursor returned by tokenEvents/],
      [{ filter: { token: 'bm90LWFuLWlk' } }, /id is malformed/],
    ] as const) {
      const response = await stack.query(EVENTS, args);
      expect(response.body.data?.tokenEvents).toBeNull();
      expect(response.body.errors?.[0]).toMatchObject({ message: expect.stringMatching(message), extensions: { code: 'BAD_USER_INPUT' } });
    }
  });

  it('answers firstSeenAt and history for a page of 50 tokens in one query each', async () => {
    const database = stack.tokengraph.history!.database()!;
    const before = database.queries;
    const response = await stack.query(`{ inventory(first: 50) { nodes { id firstSeenAt history(first: 3) { kind at } } } }`);
    expect(response.body.errors).toBeUndefined();
    expect(database.queries - before).toBe(2);
    const nodes = response.body.data!.inventory.nodes as Array<{ firstSeenAt: string; history: Array<{ kind: string; at: string }> }>;
    expect(nodes).toHaveLength(50);
    for (const node of nodes) {
      expect(node.firstSeenAt).toMatch(/Z$/);
      expect(node.history.length).toBeGreaterThanOrEqual(1);
      expect(node.history.length).toBeLessThanOrEqual(3);
      expect(node.history.at(-1)!.at >= node.firstSeenAt).toBe(true);
    }
    const bad = await stack.query(`{ inventory(first: 1) { nodes { history(first: 101) { kind } } } }`);
    expect(bad.body.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' }, path: ['inventory', 'nodes', 0, 'history'] });
  });

  it("answers the overview page's own request in two queries for its rows' history and two for Recent changes, whatever the page's size", async () => {
    const database = stack.tokengraph.history!.database()!;
    const page = async (variables: TokenOverviewQueryVariables) => {
      const before = database.queries;
      const response = await stack.query(TokenOverviewDocument.toString(), variables);
      expect(response.body.errors).toBeUndefined();
      return { queries: database.queries - before, data: response.body.data as TokenOverviewQuery };
    };
    // The page's first load: a page of the table, every row's firstSeenAt and history(first: 20), the finding counts, Recent changes' first page.
    const load: TokenOverviewQueryVariables = { watch: [], withCounts: true, withHistory: true, withChanges: true };
    for (const first of [50, 200]) {
      const { queries, data } = await page({ ...load, first });
      expect(queries).toBe(4);
      expect(data.inventory!.nodes).toHaveLength(first);
      expect(data.inventory!.nodes.every((node) => node.firstSeenAt && node.history!.length >= 1 && node.history!.length <= 20)).toBe(true);
      expect(data.recentChanges!.nodes).toHaveLength(20);
      expect(data.recentChanges!.totalCount).toBe((await events(stack)).totalCount);
    }
    // "Load more changes": the next page alone, its count kept from the first (one query); a first page asks it (two).
    const changes = async (variables: RecentChangesQueryVariables) => {
      const before = database.queries;
      const response = await stack.query(RecentChangesDocument.toString(), variables);
      expect(response.body.errors).toBeUndefined();
      return { queries: database.queries - before, data: response.body.data as RecentChangesQuery };
    };
    const firstChanges = await changes({ withCount: true });
    expect(firstChanges).toMatchObject({ queries: 2, data: { tokenEvents: { totalCount: (await events(stack)).totalCount } } });
    const moreChanges = await changes({ after: firstChanges.data.tokenEvents!.pageInfo.endCursor });
    expect(moreChanges.queries).toBe(1);
    expect(moreChanges.data.tokenEvents!.nodes).toHaveLength(20);
    expect(moreChanges.data.tokenEvents).not.toHaveProperty('totalCount');
    // "Load more" of the table: the rows' history only.
    const firstPage = await page({ ...load, first: 50 });
    expect((await page({ first: 50, after: firstPage.data.inventory!.pageInfo.endCursor, watch: [], withHistory: true })).queries).toBe(2);
    // The terminal tools ask no history at all.
    expect((await page({ first: 100, watch: [] })).queries).toBe(0);
    // A watch list of the page's own: its tokens are read after the inventory's page, so their history may be a batch of its own.
    const watched = await page({ ...load, first: 50, watch: [{ source: 'GAME', tokenId: 'game-demo-1' }, { source: 'NETBIRD', userId: 'svc-sync', tokenId: 'nb-demo-126' }] });
    expect(watched.queries).toBeGreaterThanOrEqual(4);
    expect(watched.queries).toBeLessThanOrEqual(6);
    expect(watched.data.tokens!.map((token) => token?.history?.length)).toEqual([expect.any(Number), 0]);
  });

  it('deletes events older than TOKENGRAPH_HISTORY_DAYS', async () => {
    const history = stack.tokengraph.history!;
    const total = (await events(stack)).totalCount;
    const oldest = (await events(stack)).nodes.at(-1)!.at;
    expect(await history.prune(Date.parse(oldest) + 400 * 86_400_000)).toBe(0);
    const deleted = await history.prune(Date.parse(oldest) + 400 * 86_400_000 + 1);
    expect(deleted).toBeGreaterThan(0);
    expect((await events(stack)).totalCount).toBe(total - deleted);
  });

  it('keeps the history across a restart', async () => {
    const before = await events(stack);
    const firstSeen = (await stack.query(`{ netbirdToken(userId: "alice", tokenId: "nb-demo-2") { firstSeenAt } }`)).body.data!.netbirdToken.firstSeenAt;
    await stack.close();
    stack = await start();
    await stack.tokengraph.history!.opened;
    expect(await events(stack)).toEqual(before);
    expect((await stack.query(`{ netbirdToken(userId: "alice", tokenId: "nb-demo-2") { firstSeenAt } }`)).body.data!.netbirdToken.firstSeenAt).toBe(firstSeen);
    // The parts' states were kept too: reading the same upstreams again records nothing.
    await refresh(stack);
    await settled(stack);
    expect((await events(stack)).totalCount).toBe(before.totalCount);
  }, 60_000);
});

describe('two tokengraph instances on one PostgreSQL server', () => {
  it('record each event once when both read the same changed part at the same time', async () => {
    const data = demoData(new Date());
    const upstreams = await startDemoUpstreams({ data });
    const history = await freshHistory('PostgreSQL', 'history_replicas');
    const replicas = await Promise.all([1, 2].map(() => startStack({ upstreams, history, config: { inventory: INVENTORY } })));
    try {
      await Promise.all(replicas.map((replica) => replica.tokengraph.history!.opened));
      await Promise.all(replicas.map(refresh));
      await Promise.all(replicas.map(settled));
      const first = await events(replicas[0]!);
      const entries = data.netbird.filter((e) => e.userId === 'alice' && e.token.id !== 'nb-tokengraph');
      // The race this test is for: a part moved on (the UPDATE from the version compared with) by the
      // other replica, which compared with that version too. Not a deadlock nor a duplicate key,
      // which are retried alike but are other races.
      const movedOn = () => replicas[0]!.tokengraph.history!.races.movedOn + replicas[1]!.tokengraph.history!.races.movedOn;
      // The first reads may have raced already, on a part both read first (firstRead).
      const before = movedOn();
      // Each round renames one token and both replicas read it at once; on until that race has happened.
      let round = 0;
      while (round < 5 || (movedOn() === before && round < 40)) {
        round += 1;
        entries[round % 5]!.token.name = `renamed ${round}`;
        await Promise.all(replicas.map(refresh));
        await Promise.all(replicas.map(settled));
      }
      const changed = await events(replicas[1]!, { kinds: ['CHANGED'] });
      expect(changed.nodes.map((e) => e.name).sort()).toEqual(Array.from({ length: round }, (_, i) => `renamed ${i + 1}`).sort());
      expect((await events(replicas[0]!)).totalCount).toBe(first.totalCount + round);
      // The first read's APPEARED too: each token once, whichever replica wrote it.
      expect(new Set(first.nodes.map((e) => e.token)).size).toBe(first.totalCount);
      // The race happened: a replica found its comparison of a changed part overtaken and compared again.
      expect(movedOn()).toBeGreaterThan(before);
      // Each event counted once, by the replica that inserted it.
      const counted = await Promise.all(replicas.map(async (replica) => [...(await (await fetch(replica.url.replace('/graphql', '/metrics'))).text()).matchAll(/^tokengraph_token_events_total\{[^}]*\} (\d+)$/gm)].reduce((sum, match) => sum + Number(match[1]), 0)));
      expect(counted[0]! + counted[1]!).toBe((await events(replicas[0]!)).totalCount);
    } finally {
      await Promise.all(replicas.map((replica) => replica.close()));
      await upstreams.close();
    }
  }, 60_000);
});

describe('while PGlite opens', () => {
  it('serves every other field; /readyz says history: starting; the history fields fail alone with UPSTREAM_UNAVAILABLE; a read and a revocation made meanwhile are recorded once it is open', async () => {
    let open!: () => void;
    const held = new Promise<void>((resolve) => (open = resolve));
    // PGlite in memory, as demo mode opens it, once the test lets it.
    const stack = await startStack({ history: {}, adminKeys: [ADMIN_KEY], config: { inventory: INVENTORY }, hooks: { openHistory: async () => (await held, openDatabase({})) } });
    try {
      expect(await readyz(stack)).toBe('starting');
      const response = await stack.query(`{ tokenEvents { totalCount } netbirdToken(userId: "alice", tokenId: "nb-demo-1") { name history { kind } firstSeenAt } }`);
      expect(response.body.data).toEqual({ tokenEvents: null, netbirdToken: { name: expect.any(String), history: null, firstSeenAt: null } });
      expect(response.body.errors?.map((error) => [error.path?.join('.'), error.extensions?.code])).toEqual([
        ['tokenEvents', 'UPSTREAM_UNAVAILABLE'],
        ['netbirdToken.history', 'UPSTREAM_UNAVAILABLE'],
        ['netbirdToken.firstSeenAt', 'UPSTREAM_UNAVAILABLE'],
      ]);
      expect(response.body.errors![0]!.message).toMatch(/the history is opening/);
      // A read and a revocation while it opens: queued, and the mutation does not wait for the open.
      const tokens = await refresh(stack);
      const revoking = stack.query(`mutation { revokeTokens(refs: [{ source: NETBIRD, userId: "alice", tokenId: "nb-demo-1" }]) { outcome } }`, undefined, { 'x-request-id': 'history-revoke-opening' });
      const answered = await Promise.race([revoking, new Promise<'waited'>((resolve) => setTimeout(() => resolve('waited'), 5000))]);
      expect(answered === 'waited' ? answered : answered.body.data?.revokeTokens).toEqual([{ outcome: 'REVOKED' }]);
      expect(await readyz(stack)).toBe('starting');
      open();
      await stack.tokengraph.history!.opened;
      expect(await readyz(stack)).toBe('ready');
      await settled(stack);
      // Recorded once it was open: every token of the read APPEARED, and the revocation.
      expect((await events(stack, { kinds: ['APPEARED'] })).totalCount).toBe(tokens.length);
      const token = Buffer.from(JSON.stringify(['NetbirdPAT', 'alice', 'nb-demo-1'])).toString('base64url');
      expect((await events(stack, { token, kinds: ['REVOKED'] })).nodes).toEqual([expect.objectContaining({ kind: 'REVOKED', detail: 'history-revoke-opening', actor: apiKeyFingerprint(ADMIN_KEY) })]);
    } finally {
      open();
      await stack.close();
    }
  }, 30_000);
});

describe('a history database that fails after start', () => {
  it('fails the history fields alone with UPSTREAM_UNAVAILABLE, the rest answered; a read it cannot write is logged and counted', async () => {
    const history = await freshHistory('PostgreSQL', 'history_gone');
    const { logger, logged } = keptLog();
    const stack = await startStack({ history, logger, config: { inventory: INVENTORY } });
    try {
      await stack.tokengraph.history!.opened;
      // Dropped and made anew, empty: the pool's connections are cut, and the tables are gone.
      await server.createDatabase('history_gone');
      const response = await stack.query(`{ tokenEvents { totalCount } netbirdToken(userId: "alice", tokenId: "nb-demo-1") { name history { kind } } }`);
      expect(response.body.data).toEqual({ tokenEvents: null, netbirdToken: { name: expect.any(String), history: null } });
      expect(response.body.errors?.map((error) => [error.path?.join('.'), error.extensions?.code, error.message]).sort().reverse()).toEqual([
        ['tokenEvents', 'UPSTREAM_UNAVAILABLE', expect.stringMatching(/^the history's database \(PostgreSQL at postgres:\/\/tokengraph@127\.0\.0\.1:\d+\/history_gone\) cannot be read now$/)],
        ['netbirdToken.history', 'UPSTREAM_UNAVAILABLE', expect.any(String)],
      ]);
      // A read now cannot be written: each write that fails is an error line and a count an alert
      // can watch (the pruning that runs at open may have failed already, cut off by the drop).
      const writeErrors = () => logged().filter((line) => line.msg === 'history: writing to the database failed' && line.level === 50).length;
      const before = await writeFailures(stack);
      expect(before).toBe(writeErrors());
      await refresh(stack);
      await settled(stack);
      expect(await writeFailures(stack)).toBeGreaterThan(before!);
      expect(await writeFailures(stack)).toBe(writeErrors());
    } finally {
      await stack.close();
    }
  }, 30_000);
});

/** `promise`'s value, or 'waited' when it is still pending after `ms`. */
async function within<T>(ms: number, promise: Promise<T>): Promise<T | 'waited'> {
  let timer: NodeJS.Timeout | undefined;
  const waited = new Promise<'waited'>((resolve) => (timer = setTimeout(() => resolve('waited'), ms)));
  try {
    return await Promise.race([promise, waited]);
  } finally {
    clearTimeout(timer);
  }
}

/** A second connection to `databaseUrl` holding the history's tables locked (ACCESS EXCLUSIVE, in an open transaction) until `release`. */
async function lockHistoryTables(databaseUrl: string): Promise<{ release(): Promise<void> }> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  await client.query('BEGIN');
  await client.query('LOCK TABLE token_events, token_first_seen IN ACCESS EXCLUSIVE MODE');
  let released: Promise<void> | undefined;
  return { release: () => (released ??= client.query('ROLLBACK').then(() => client.end())) };
}

describe('a history database that stalls', () => {
  it("answers by the request's deadline: the history fields fail alone with UPSTREAM_TIMEOUT, revokeTokens answers REVOKED, and the REVOKED event not written is logged and counted", async () => {
    const deadlineMs = 1500;
    const history = await freshHistory('PostgreSQL', 'history_stalled');
    const { logger, logged } = keptLog();
    const stack = await startStack({ history, logger, adminKeys: [ADMIN_KEY], limits: { requestDeadlineMs: deadlineMs }, config: { inventory: INVENTORY } });
    let lock: { release(): Promise<void> } | undefined;
    try {
      await stack.tokengraph.history!.opened;
      await refresh(stack);
      await settled(stack);
      // Another session holds the tables: every statement on them waits, as on a stalled server.
      lock = await lockHistoryTables(history.databaseUrl!);
      const response = await within(deadlineMs + 1500, stack.query(`{ tokenEvents { totalCount } netbirdToken(userId: "alice", tokenId: "nb-demo-2") { name history { kind } firstSeenAt } }`));
      expect(response === 'waited' ? response : response.body.data).toEqual({ tokenEvents: null, netbirdToken: { name: expect.any(String), history: null, firstSeenAt: null } });
      expect(response !== 'waited' && response.body.errors?.map((error) => [error.path?.join('.'), error.extensions?.code, error.message]).sort()).toEqual([
        ['netbirdToken.firstSeenAt', 'UPSTREAM_TIMEOUT', expect.stringMatching(/^the history's database \(PostgreSQL at postgres:\/\/tokengraph@127\.0\.0\.1:\d+\/history_stalled\) did not answer before the request's deadline$/)],
        ['netbirdToken.history', 'UPSTREAM_TIMEOUT', expect.any(String)],
        ['tokenEvents', 'UPSTREAM_TIMEOUT', expect.any(String)],
      ]);
      // The upstream revoked the token: the mutation says so by its deadline, though its event waits.
      const before = (await writeFailures(stack))!;
      const revoked = await within(deadlineMs + 1500, stack.query(`mutation { revokeTokens(refs: [{ source: NETBIRD, userId: "alice", tokenId: "nb-demo-1" }]) { outcome } }`, undefined, { 'x-request-id': 'history-revoke-stalled' }));
      expect(revoked === 'waited' ? revoked : revoked.body).toEqual({ data: { revokeTokens: [{ outcome: 'REVOKED' }] } });
      expect(logged().filter((line) => line.level === 40 && /REVOKED/.test(line.msg))).toEqual([
        expect.objectContaining({ msg: "history: the REVOKED event of NETBIRD nb-demo-1 was not written before the request's deadline; it is still being written", requestId: 'history-revoke-stalled' }),
      ]);
      // The statement gives up at the server's timeout (REQUEST_DEADLINE_MS): an error line and a count.
      await expect.poll(() => writeFailures(stack), { timeout: 10_000, interval: 200 }).toBeGreaterThan(before);
      expect(logged().filter((line) => line.level === 50 && line.msg === 'history: writing to the database failed' && line.write === 'the REVOKED event of NETBIRD nb-demo-1')).toHaveLength(1);
    } finally {
      await lock?.release();
      await stack.close();
    }
  }, 30_000);
});

describe('a history that closes', () => {
  it('records a revocation that finishes while it closes, and logs and counts a read or a revocation once it is closed', async () => {
    const history = await freshHistory('PostgreSQL', 'history_closing');
    const { logger, logged } = keptLog();
    const stack = await startStack({ history, logger, adminKeys: [ADMIN_KEY], config: { inventory: INVENTORY } });
    let lock: { release(): Promise<void> } | undefined;
    const revoke = (tokenId: string) => stack.query(`mutation { revokeTokens(refs: [{ source: NETBIRD, userId: "alice", tokenId: "${tokenId}" }]) { outcome } }`, undefined, { 'x-request-id': `history-closing-${tokenId}` });
    const inserts = new pg.Client({ connectionString: history.databaseUrl! });
    await inserts.connect();
    /** Inserts into token_events waiting for the lock. */
    const waiting = async () => Number((await inserts.query(`SELECT count(*) AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE 'INSERT INTO token_events%'`)).rows[0].n);
    try {
      await stack.tokengraph.history!.opened;
      lock = await lockHistoryTables(history.databaseUrl!);
      // A revocation whose event waits for the database; the history starts closing meanwhile.
      const first = revoke('nb-demo-1');
      await expect.poll(waiting, { timeout: 10_000, interval: 50 }).toBe(1);
      const closed = stack.tokengraph.history!.close();
      // Another finishes while it closes: its event is written too, not dropped.
      const second = revoke('nb-demo-2');
      await expect.poll(waiting, { timeout: 10_000, interval: 50 }).toBe(2);
      await lock.release();
      expect((await Promise.all([first, second])).map((response) => response.body.data?.revokeTokens)).toEqual([[{ outcome: 'REVOKED' }], [{ outcome: 'REVOKED' }]]);
      await closed;
      const { rows } = await inserts.query(`SELECT detail FROM token_events WHERE kind = 'REVOKED' ORDER BY detail`);
      expect(rows).toEqual([{ detail: 'history-closing-nb-demo-1' }, { detail: 'history-closing-nb-demo-2' }]);
      // Closed: a read and a revocation are not recorded, each a warn line and a count.
      const before = (await writeFailures(stack))!;
      await refresh(stack);
      const reads = (await writeFailures(stack))! - before;
      expect(reads).toBeGreaterThan(0);
      expect((await revoke('nb-demo-4')).body.data?.revokeTokens).toEqual([{ outcome: 'REVOKED' }]);
      expect(await writeFailures(stack)).toBe(before + reads + 1);
      expect(logged().filter((line) => line.level === 40 && line.msg.startsWith('history:')).map((line) => line.msg)).toEqual([
        ...Array.from({ length: reads }, () => 'history: a read was not recorded: the history is closed'),
        'history: the REVOKED event of NETBIRD nb-demo-4 was not recorded: the history is closed',
      ]);
    } finally {
      await lock?.release();
      await inserts.end();
      await stack.close();
    }
  }, 30_000);

  it('waits for the writes in flight up to the shutdown grace; one it could not write is logged and counted', async () => {
    let open!: () => void;
    const held = new Promise<void>((resolve) => (open = resolve));
    const { logger, logged } = keptLog();
    const stack = await startStack({ history: {}, logger, config: { shutdownGraceMs: 300 }, hooks: { openHistory: async () => (await held, openDatabase({})) } });
    try {
      const history = stack.tokengraph.history!;
      // A read made while the history opens waits for it; the history closes before it is open.
      const read = history.recordRead({ collectedAt: 0, tokens: [], parts: [] }, { judgeAbsent: true });
      const closed = history.close();
      await expect.poll(() => logged().filter((line) => line.level === 40 && line.msg.startsWith('history:')).map((line) => line.msg), { timeout: 5000, interval: 50 }).toEqual([
        'history: 1 write was still waiting after the shutdown grace (300 ms); what is not written by the time the database closes is not recorded',
      ]);
      open();
      await Promise.all([read, closed]);
      expect(logged().filter((line) => line.level === 40 && line.msg.startsWith('history:')).map((line) => line.msg)).toEqual([
        'history: 1 write was still waiting after the shutdown grace (300 ms); what is not written by the time the database closes is not recorded',
        'history: a read was not recorded: the history is closed',
      ]);
      expect(await writeFailures(stack)).toBe(1);
    } finally {
      open();
      await stack.close();
    }
  }, 30_000);
});

describe('a PGlite history whose directory lock is lost', () => {
  it('says so: /readyz history failed, an error line, the fields say why, and the reads not written are counted', async () => {
    const history = await freshHistory('PGlite', 'lock_lost');
    const { logger, logged } = keptLog();
    const stack = await startStack({ history, logger, config: { inventory: INVENTORY } });
    try {
      await stack.tokengraph.history!.opened;
      await refresh(stack);
      await settled(stack);
      expect(await readyz(stack)).toBe('ready');
      // Its lock taken away (removed, as by another process that took over a stale one): another may write to the directory now.
      rmSync(join(history.dataDir!, 'tokengraph.lock'), { recursive: true });
      await expect.poll(() => readyz(stack), { timeout: 10_000, interval: 200 }).toBe('failed');
      expect(logged().filter((line) => line.level === 50).map((line) => line.msg)).toEqual([expect.stringMatching(/lost its lock/)]);
      const response = await stack.query(`{ tokenEvents { totalCount } netbirdToken(userId: "alice", tokenId: "nb-demo-1") { name firstSeenAt } }`);
      expect(response.body.data).toEqual({ tokenEvents: null, netbirdToken: { name: expect.any(String), firstSeenAt: null } });
      // Each null says why: one error per history field.
      expect(response.body.errors!.map((error) => error.path!.join('.')).sort()).toEqual(['netbirdToken.firstSeenAt', 'tokenEvents']);
      for (const error of response.body.errors!) expect(error).toMatchObject({ message: expect.stringMatching(/^the history is unavailable: PGlite in \S+ lost its lock \(/), extensions: { code: 'UPSTREAM_UNAVAILABLE' } });
      const before = (await writeFailures(stack))!;
      await refresh(stack);
      const after = (await writeFailures(stack))!;
      expect(after).toBeGreaterThan(before);
      // Each with a line of its own too, saying why.
      const dropped = logged().filter((line) => line.level === 40 && line.write);
      expect(dropped).toHaveLength(after - before);
      for (const line of dropped) expect(line).toMatchObject({ write: 'a read', msg: expect.stringMatching(/^history: a read was not recorded: the history is unavailable: PGlite in \S+ lost its lock \(/) });
    } finally {
      await stack.close();
    }
  }, 30_000);
});

describe('reads while the history opens', () => {
  it('past the 8 that wait, a read is skipped: a warn line and a count of tokengraph_history_write_failures_total', async () => {
    let open!: () => void;
    const held = new Promise<void>((resolve) => (open = resolve));
    const { logger, logged } = keptLog();
    const stack = await startStack({ history: {}, logger, hooks: { openHistory: async () => (await held, openDatabase({})) } });
    try {
      const history = stack.tokengraph.history!;
      const empty = { collectedAt: 0, tokens: [], parts: [] };
      const reads = Array.from({ length: 9 }, () => history.recordRead(empty, { judgeAbsent: true }));
      expect(await writeFailures(stack)).toBe(1);
      expect(logged().filter((line) => /skipped/.test(line.msg))).toEqual([expect.objectContaining({ level: 40 })]);
      open();
      await Promise.all(reads);
      expect(await writeFailures(stack)).toBe(1);
    } finally {
      open();
      await stack.close();
    }
  }, 30_000);
});
