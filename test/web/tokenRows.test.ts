import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { TokenOverviewQuery, TokenRef, TokenRowFragment } from '../../src/generated/client/graphql.js';
import { keeps } from '../../web/filters.js';
import {
  compareRows,
  expiryOf,
  formatDate,
  formatTime,
  gapText,
  overview,
  stateText,
  statusText,
  type InventoryGap,
  type OverviewAnswer,
  type TokenRow,
} from '../../web/tokenRows.js';

const NOW = new Date('2026-11-23T12:00:00.000Z');
const DAY = 86_400_000;
const at = (days: number) => new Date(NOW.getTime() + days * DAY).toISOString();
const COLLECTED = '2026-11-23T11:58:07.000Z';

function token(overrides: Partial<TokenRowFragment>): TokenRowFragment {
  return {
    id: 'id-1',
    source: 'NETBIRD',
    tokenId: 'nb-1',
    name: 'CI deploy',
    owner: 'alice',
    createdAt: at(-30),
    lastUsedAt: null,
    expiresAt: at(30),
    status: 'ACTIVE',
    findings: [],
    ...overrides,
  };
}

type Inventory = NonNullable<TokenOverviewQuery['inventory']>;

/** One answer: an inventory page and the watched tokens. */
function answer(nodes: TokenRowFragment[], more: Partial<Omit<Inventory, 'nodes'>> & { tokens?: TokenOverviewQuery['tokens'] } = {}, errors?: OverviewAnswer['errors']): OverviewAnswer {
  const { tokens = [], ...inventory } = more;
  return {
    data: {
      inventory: {
        totalCount: nodes.length,
        collectedAt: COLLECTED,
        gaps: [],
        pageInfo: { hasNextPage: false, endCursor: nodes.length > 0 ? `cursor-${nodes.at(-1)!.id}` : null },
        nodes,
        ...inventory,
      },
      tokens,
    },
    ...(errors ? { errors } : {}),
  };
}

const keysOf = (rows: TokenRow[]) => rows.map((row) => row.key);

describe('overview rows', () => {
  it.each([
    ['expired', { status: 'EXPIRED', expiresAt: at(-1) }],
    ['soon', { status: 'ACTIVE', expiresAt: at(6.9) }],
    ['soon', { status: 'ACTIVE', expiresAt: at(7) }],
    ['later', { status: 'ACTIVE', expiresAt: at(7.1) }],
    ['never', { status: 'NEVER_EXPIRES', expiresAt: null }],
    ['unknown', { status: 'UNKNOWN', expiresAt: null }],
  ] as const)('marks %s: %j', (expiry, fields) => {
    expect(expiryOf(fields, NOW)).toBe(expiry);
  });

  it("keeps the inventory's order over every page loaded, and takes counts, cursor and gaps from the latest page", () => {
    const first = [token({ id: 'a', expiresAt: at(-5), status: 'EXPIRED' }), token({ id: 'b', expiresAt: at(3) })];
    const second = [token({ id: 'c', expiresAt: at(40) }), token({ id: 'd', source: 'ASTRA', expiresAt: null, status: 'UNKNOWN' })];
    const gap: InventoryGap = { source: 'NETBIRD', code: 'UPSTREAM_FORBIDDEN', count: 2, scopes: ['user bob', 'user carol'], message: 'NetBird answered 403' };
    const shown = overview(
      [
        answer(first, { totalCount: 4, pageInfo: { hasNextPage: true, endCursor: 'after-b' } }),
        answer(second, { totalCount: 4, gaps: [gap], pageInfo: { hasNextPage: false, endCursor: 'after-d' } }),
      ],
      [],
      NOW,
    );
    expect(shown.rows.map((row) => [row.key, row.expiry])).toEqual([
      ['a', 'expired'],
      ['b', 'soon'],
      ['c', 'later'],
      ['d', 'unknown'],
    ]);
    expect(shown.inventory).toEqual({ totalCount: 4, loaded: 4, collectedAt: COLLECTED, hasNextPage: false, endCursor: 'after-d', gaps: [gap] });
    expect(shown.failures).toEqual([]);
    expect(shown.watchedOnly).toBe(0);
  });

  it('places each watched token among the rows by expiry, marks it, and shows a token the inventory also holds once', () => {
    const listed = [token({ id: 'a', expiresAt: at(1) }), token({ id: 'b', expiresAt: at(10) }), token({ id: 'c', expiresAt: at(50) })];
    const watch: TokenRef[] = [
      { source: 'GAME', tokenId: 'game-1' },
      { source: 'NETBIRD', userId: 'alice', tokenId: 'nb-b' },
      { source: 'NETBIRD', userId: 'bob', tokenId: 'nb-3' },
    ];
    const tokens = [
      token({ id: 'game', source: 'GAME', tokenId: 'game-1', name: 'Treasure Hunt', expiresAt: at(3) }),
      listed[1]!,
      token({ id: 'far', tokenId: 'nb-3', owner: 'bob', expiresAt: at(90) }),
    ];
    const shown = overview([answer(listed, { tokens, totalCount: 3 })], watch, NOW);
    expect(shown.rows.map((row) => [row.key, row.watchIndex])).toEqual([
      ['a', undefined],
      ['game', 0],
      ['b', 1],
      ['c', undefined],
      ['far', 2],
    ]);
    expect(statusText(shown.rows[1]!)).toBe('ACTIVE · expires soon');
    expect(shown.watchedOnly).toBe(2);
    expect(stateText(shown)).toBe('3 tokens · 3 shown + 2 watched · collected 11:58:07 UTC');
  });

  it('keeps one row when a later page brings a watched token already shown', () => {
    const watched = token({ id: 'w', expiresAt: at(90) });
    const watch: TokenRef[] = [{ source: 'NETBIRD', userId: 'alice', tokenId: 'nb-1' }];
    const pages = [answer([token({ id: 'a', expiresAt: at(1) })], { tokens: [watched], pageInfo: { hasNextPage: true, endCursor: 'x' } }), answer([watched])];
    expect(keysOf(overview(pages.slice(0, 1), watch, NOW).rows)).toEqual(['a', 'w']);
    const shown = overview(pages, watch, NOW);
    expect(shown.rows.map((row) => [row.key, row.watchIndex])).toEqual([
      ['a', undefined],
      ['w', 0],
    ]);
    expect(shown.watchedOnly).toBe(0);
  });

  it('filters the watched tokens by the filter the inventory was asked with', () => {
    const watch: TokenRef[] = [
      { source: 'GAME', tokenId: 'soon' },
      { source: 'GAME', tokenId: 'later' },
      { source: 'NETBIRD', userId: 'bob', tokenId: 'nb-9' },
      { source: 'GAME', tokenId: 'gone' },
    ];
    const tokens = [
      token({ id: 'soon', source: 'GAME', tokenId: 'soon', expiresAt: at(2) }),
      token({ id: 'later', source: 'GAME', tokenId: 'later', expiresAt: at(20) }),
      token({ id: 'nb', tokenId: 'nb-9', expiresAt: at(2) }),
      null,
    ];
    const filter = { sources: ['GAME' as const], expiresBefore: at(14) };
    const shown = overview([answer([], { tokens })], watch, NOW, keeps(filter));
    expect(keysOf(shown.rows)).toEqual(['soon']);
    // With no filter, a token not found is still a row saying so.
    expect(overview([answer([], { tokens })], watch, NOW).rows.map((row) => row.problem)).toEqual([undefined, undefined, undefined, 'not found']);
  });

  it("carries each token's findings, filters the watched tokens by finding as tokengraph does, and takes the finding counts and their gaps from the first answer", () => {
    const watch: TokenRef[] = [
      { source: 'GAME', tokenId: 'old' },
      { source: 'GAME', tokenId: 'fine' },
      { source: 'GAME', tokenId: 'gone' },
    ];
    const tokens = [token({ id: 'old', source: 'GAME', tokenId: 'old', status: 'EXPIRED', expiresAt: at(-2), findings: ['EXPIRED'] }), token({ id: 'fine', source: 'GAME', tokenId: 'fine' }), null];
    const listed = [token({ id: 'nb', expiresAt: null, status: 'NEVER_EXPIRES', findings: ['NEVER_EXPIRES', 'OWNER_INACTIVE'] })];
    const counts = [
      { finding: 'NEVER_EXPIRES' as const, count: 1 },
      { finding: 'EXPIRED' as const, count: 4 },
    ];
    const first: OverviewAnswer = { data: { ...answer(listed, { tokens }).data!, findingScope: { findingCounts: counts, gaps: [{ source: 'NETBIRD' }] } } };
    const shown = overview([first, answer([])], watch, NOW, keeps({ findings: ['EXPIRED', 'NEVER_EXPIRES'] }));
    expect(shown.rows.map((row) => [row.key, row.findings])).toEqual([
      ['old', ['EXPIRED']],
      ['nb', ['NEVER_EXPIRES', 'OWNER_INACTIVE']],
    ]);
    expect(shown.findingCounts).toEqual(counts);
    // With the gaps of the read they were counted over: those sources' tokens may be missing from them.
    expect(shown.findingGaps).toEqual([{ source: 'NETBIRD' }]);
    // Unfiltered, a watched token tokengraph did not find is a row with no findings.
    expect(overview([first], watch, NOW).rows.find((row) => row.problem)?.findings).toEqual([]);
    // An answer that did not ask for them has none.
    expect(overview([answer(listed)], [], NOW).findingCounts).toBeNull();
    expect(overview([answer(listed)], [], NOW).findingGaps).toEqual([]);
  });

  it('gives each row the reference its token is read by: the user for NetBird, account and user for Astra, the watch entry when unanswered', () => {
    const nodes: TokenRowFragment[] = [
      { ...token({ id: 'nb', tokenId: 'nb-demo-3' }), userId: 'bob' },
      { ...token({ id: 'as', source: 'ASTRA', tokenId: 'astra-demo-1' }), accountId: 'acme', userId: 'ops-admin' },
      token({ id: 'ca', source: 'CRAFTER_ACCESS_TOKEN', tokenId: 'f81d…6bf6' }),
    ];
    const watch: TokenRef[] = [{ source: 'GAME', tokenId: 'no-such-game' }];
    const refs = Object.fromEntries(overview([answer(nodes, { tokens: [null] })], watch, NOW).rows.map((row) => [row.key, row.ref]));
    expect(refs).toEqual({
      nb: { source: 'NETBIRD', tokenId: 'nb-demo-3', userId: 'bob' },
      as: { source: 'ASTRA', tokenId: 'astra-demo-1', accountId: 'acme', userId: 'ops-admin' },
      // The masked id, as shown: the real one is a credential the page never has.
      ca: { source: 'CRAFTER_ACCESS_TOKEN', tokenId: 'f81d…6bf6' },
      'watch:0': { source: 'GAME', tokenId: 'no-such-game' },
    });
  });

  it('keeps a row for each unanswered watched token and names the failing sources', () => {
    const shown = overview(
      [
        answer([token({ id: 'listed' })], { tokens: [null, token({ id: 'nb-1' }), null] }, [
          { message: 'NetBird answered 503', path: ['tokens', 0], extensions: { code: 'UPSTREAM_UNAVAILABLE', upstream: { source: 'NETBIRD' } } },
        ]),
      ],
      [
        { source: 'NETBIRD', userId: 'bob', tokenId: 'nb-9' },
        { source: 'NETBIRD', userId: 'alice', tokenId: 'nb-1' },
        { source: 'GAME', tokenId: 'gone' },
      ],
      NOW,
    );
    // Rows with no data have no expiry: they come last, by source.
    expect(shown.rows.map((row) => [row.name, row.problem])).toEqual([
      ['CI deploy', undefined],
      ['CI deploy', undefined],
      ['NetBird bob/nb-9', 'UPSTREAM_UNAVAILABLE'],
      ['Games gone', 'not found'],
    ]);
    expect(shown.failures).toEqual([{ source: 'NETBIRD', label: 'NetBird', codes: ['UPSTREAM_UNAVAILABLE'] }]);
  });

  it('reports errors that name no source as they are, and says when the inventory was not read', () => {
    const shown = overview([{ data: null, errors: [{ message: 'bad ref', extensions: { code: 'BAD_USER_INPUT' } }] }], [{ source: 'GAME', tokenId: 'x' }], NOW);
    expect(shown.otherErrors).toEqual(['BAD_USER_INPUT: bad ref']);
    expect(shown.rows).toEqual([expect.objectContaining({ problem: 'not answered' })]);
    expect(shown.inventory).toBeNull();
    expect(stateText(shown)).toBe('inventory not read · 1 watched');
  });

  it('keeps the pages shown when a later page fails, and shows its error', () => {
    const first = answer([token({ id: 'a' })], { pageInfo: { hasNextPage: true, endCursor: 'after-a' }, totalCount: 9 });
    const refused: OverviewAnswer = { data: { inventory: null, tokens: [] }, errors: [{ message: 'after is not a cursor returned by inventory', extensions: { code: 'BAD_USER_INPUT' } }] };
    const shown = overview([first, refused], [], NOW);
    expect(keysOf(shown.rows)).toEqual(['a']);
    expect(shown.inventory).toMatchObject({ totalCount: 9, hasNextPage: true, endCursor: 'after-a' });
    expect(shown.otherErrors).toEqual(['BAD_USER_INPUT: after is not a cursor returned by inventory']);
  });

  it("gives each row its history, a row whose history failed its problem alone, and keeps history errors out of the page's", () => {
    const events = [
      { at: '2026-11-23T11:00:00.000Z', kind: 'CHANGED' as const, detail: 'name: "a" → "b"', actor: null },
      { at: '2026-11-01T08:00:00.000Z', kind: 'APPEARED' as const, detail: null, actor: null },
    ];
    const nodes = [
      token({ id: 'a', firstSeenAt: events[1]!.at, history: events }),
      token({ id: 'b', firstSeenAt: null, history: null }),
      token({ id: 'c', firstSeenAt: null, history: [] }),
    ];
    const opening = 'the history is opening (PGlite in memory); ask again in a few seconds';
    const errors = [
      { message: opening, path: ['inventory', 'nodes', 1, 'history'], extensions: { code: 'UPSTREAM_UNAVAILABLE' } },
      { message: opening, path: ['inventory', 'nodes', 1, 'firstSeenAt'], extensions: { code: 'UPSTREAM_UNAVAILABLE' } },
      { message: opening, path: ['tokens', 0, 'history'], extensions: { code: 'UPSTREAM_UNAVAILABLE' } },
      { message: opening, path: ['recentChanges'], extensions: { code: 'UPSTREAM_UNAVAILABLE' } },
    ];
    const watched = token({ id: 'w', source: 'GAME', tokenId: 'game-1', expiresAt: at(60), firstSeenAt: null, history: null });
    const shown = overview([answer(nodes, { tokens: [watched] }, errors)], [{ source: 'GAME', tokenId: 'game-1' }], NOW);
    expect(Object.fromEntries(shown.rows.map((row) => [row.key, row.history]))).toEqual({
      a: { state: 'shown', firstSeenAt: events[1]!.at, events },
      b: { state: 'failed', problem: { opening: true, code: 'UPSTREAM_UNAVAILABLE', message: opening } },
      c: { state: 'shown', firstSeenAt: null, events: [] },
      w: { state: 'failed', problem: { opening: true, code: 'UPSTREAM_UNAVAILABLE', message: opening } },
    });
    // Every row is still shown, and the page names no failure: the history's errors are the rows' and the list's.
    expect(keysOf(shown.rows)).toEqual(['a', 'b', 'c', 'w']);
    expect(shown.otherErrors).toEqual([]);
    expect(shown.failures).toEqual([]);
    // The later pages' errors are their own rows'.
    const second = answer([token({ id: 'd', history: null })], {}, [{ message: 'the history\'s database (x) cannot be read now', path: ['inventory', 'nodes', 0, 'history'], extensions: { code: 'UPSTREAM_UNAVAILABLE' } }]);
    const both = overview([answer(nodes.slice(0, 1)), second], [], NOW);
    expect(both.rows.map((row) => [row.key, row.history.state])).toEqual([
      ['a', 'shown'],
      ['d', 'failed'],
    ]);
    // An answer that did not ask (the terminal tools), and a watched token not found, have none to show.
    expect(overview([answer([token({ id: 'x' })], { tokens: [null] })], [{ source: 'GAME', tokenId: 'gone' }], NOW).rows.map((row) => row.history)).toEqual([
      { state: 'not asked' },
      { state: 'not asked' },
    ]);
  });

  it("merges watched tokens into any sorted inventory in the inventory's order, each token once", () => {
    const day = fc.option(fc.integer({ min: -400, max: 400 }), { nil: null });
    const fragment = fc.record({ id: fc.string({ minLength: 1, maxLength: 3 }), source: fc.constantFrom('CRAFTER_TICKET', 'ASTRA', 'NETBIRD', 'GAME' as const), tokenId: fc.string({ maxLength: 3 }), days: day });
    const tokens = fc.uniqueArray(fragment, { selector: (t) => t.id, maxLength: 25 }).map((list) =>
      list.map(({ days, ...t }) => token({ ...t, expiresAt: days === null ? null : at(days), status: days === null ? 'UNKNOWN' : days < 0 ? 'EXPIRED' : 'ACTIVE' })),
    );
    fc.assert(
      fc.property(tokens, fc.array(fc.boolean(), { minLength: 25, maxLength: 25 }), fc.array(fc.boolean(), { minLength: 25, maxLength: 25 }), (all, inInventory, watched) => {
        const byOrder = (list: TokenRowFragment[]) => overview([answer(list)], [], NOW).rows.sort(compareRows).map((row) => list.find((t) => t.id === row.key)!);
        const listed = byOrder(all.filter((_, i) => inInventory[i]));
        const watchedTokens = all.filter((_, i) => watched[i]);
        const watch: TokenRef[] = watchedTokens.map((t) => ({ source: 'GAME', tokenId: t.tokenId }));
        const shown = overview([answer(listed, { tokens: watchedTokens })], watch, NOW);
        const expected = new Set([...listed, ...watchedTokens].map((t) => t.id));
        expect(new Set(keysOf(shown.rows))).toEqual(expected);
        expect(shown.rows).toHaveLength(expected.size);
        for (let i = 1; i < shown.rows.length; i++) expect(compareRows(shown.rows[i - 1]!, shown.rows[i]!)).toBeLessThan(0);
        expect(shown.rows.filter((row) => row.watchIndex !== undefined).map((row) => row.key).sort()).toEqual(watchedTokens.map((t) => t.id).sort());
      }),
    );
  });
});

describe('banner and state lines', () => {
  it('names source, code, count and the parts of a gap, saying when more failed than are named', () => {
    const scopes = Array.from({ length: 10 }, (_, i) => `user u-${i}`);
    expect(gapText({ source: 'NETBIRD', code: 'UPSTREAM_FORBIDDEN', count: 23, scopes, message: 'NetBird answered 403' })).toBe(
      `NetBird: 23 parts could not be read (UPSTREAM_FORBIDDEN): ${scopes.join(', ')}, … — NetBird answered 403`,
    );
    expect(gapText({ source: 'NETBIRD', code: 'UPSTREAM_UNAVAILABLE', count: 1, scopes: ['user svc-ci'], message: 'NETBIRD is unavailable' })).toBe(
      'NetBird: 1 part could not be read (UPSTREAM_UNAVAILABLE): user svc-ci — NETBIRD is unavailable',
    );
    expect(gapText({ source: 'ASTRA', code: 'INVENTORY_NOT_CONFIGURED', count: 1, scopes: ['ASTRA_ACCOUNT_IDS'], message: 'ASTRA is not listed: ASTRA_ACCOUNT_IDS names no account' })).toBe(
      'Astra Control is not listed (INVENTORY_NOT_CONFIGURED): ASTRA is not listed: ASTRA_ACCOUNT_IDS names no account',
    );
  });

  it('formats dates as UTC minutes and the collection time as UTC seconds', () => {
    expect(formatDate('2026-11-23T14:05:09.123Z')).toBe('2026-11-23 14:05');
    expect(formatDate(null)).toBe('—');
    expect(formatTime('2026-11-23T14:05:09.123Z')).toBe('14:05:09 UTC');
  });

  it('counts one token in the singular', () => {
    expect(stateText(overview([answer([token({})])], [], NOW))).toBe('1 token · 1 shown · collected 11:58:07 UTC');
  });
});
