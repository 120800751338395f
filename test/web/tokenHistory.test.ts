import { describe, expect, it } from 'vitest';
import { searchWithFilters } from '../../web/filters.js';
import {
  actorText,
  afterRevocation,
  changesAnswer,
  changesStateText,
  eventDetail,
  eventFilter,
  eventTime,
  eventToken,
  firstSeenText,
  historyErrorsByToken,
  historyProblem,
  isHistoryError,
  kindsFromSearch,
  normalizeKinds,
  problemText,
  recentChanges,
  rowHistory,
  searchWithKinds,
  tokenPlace,
  withEvents,
  type ChangesPage,
  type RecentChange,
} from '../../web/tokenHistory.js';
import { searchWithWatch } from '../../web/watchList.js';

const OPENING = 'the history is opening (PGlite in memory); ask again in a few seconds';
const opening = (path: (string | number)[]) => ({ message: OPENING, path, extensions: { code: 'UPSTREAM_UNAVAILABLE' } });

function change(overrides: Partial<RecentChange> = {}): RecentChange {
  return { at: '2026-11-23T14:05:09.123Z', kind: 'APPEARED', source: 'NETBIRD', tokenId: 'nb-1', token: 'WyJOZXRiaXJkUEFUIiwiYWxpY2UiLCJuYi0xIl0', name: 'CI deploy', owner: 'alice', detail: null, actor: null, ...overrides };
}

/** A page of Recent changes; `totalCount` undefined: a page after the first, which does not ask it. */
function page(nodes: RecentChange[], totalCount: number | undefined, endCursor: string | null, hasNextPage = endCursor !== null): ChangesPage {
  return { ...(totalCount !== undefined && { totalCount }), pageInfo: { hasNextPage, endCursor }, nodes };
}

describe("a token's history in its row", () => {
  it('tells the history opening from any other failure by its code and message', () => {
    expect(historyProblem(opening(['tokenEvents']))).toEqual({ opening: true, code: 'UPSTREAM_UNAVAILABLE', message: OPENING });
    expect(historyProblem({ message: "the history's database (PostgreSQL at postgres://…) cannot be read now", extensions: { code: 'UPSTREAM_UNAVAILABLE' } }).opening).toBe(false);
    expect(historyProblem({ message: 'the history is not available here', extensions: { code: 'SOURCE_NOT_CONFIGURED' } })).toEqual({ opening: false, code: 'SOURCE_NOT_CONFIGURED', message: 'the history is not available here' });
    expect(historyProblem({ message: OPENING }).opening).toBe(false);
  });

  it("knows a history field's error by its path: a token's history or firstSeenAt, or a list of events", () => {
    expect(isHistoryError(opening(['inventory', 'nodes', 3, 'history']))).toBe(true);
    expect(isHistoryError(opening(['tokens', 0, 'firstSeenAt']))).toBe(true);
    expect(isHistoryError(opening(['recentChanges']))).toBe(true);
    expect(isHistoryError(opening(['tokenEvents']))).toBe(true);
    expect(isHistoryError(opening(['tokens', 0]))).toBe(false);
    expect(isHistoryError(opening(['inventory']))).toBe(false);
    expect(isHistoryError({ message: 'x' })).toBe(false);
  });

  it("groups the history fields' errors by the token they belong to", () => {
    const errors = [opening(['inventory', 'nodes', 3, 'history']), opening(['inventory', 'nodes', 3, 'firstSeenAt']), opening(['tokens', 1, 'history']), opening(['recentChanges']), { message: 'NetBird answered 503', path: ['tokens', 0] }];
    const byToken = historyErrorsByToken(errors);
    expect([...byToken.keys()]).toEqual([tokenPlace(['inventory', 'nodes', 3]), tokenPlace(['tokens', 1])]);
    expect(byToken.get(tokenPlace(['inventory', 'nodes', 3]))).toEqual(errors.slice(0, 2));
    expect(historyErrorsByToken(undefined).size).toBe(0);
  });

  it('shows the events and first sighting, the failure where a field failed, and nothing where the answer did not ask', () => {
    const events = [{ at: '2026-11-23T14:05:09.123Z', kind: 'REVOKED' as const, detail: 'req-1', actor: '0123456789abcdef' }];
    expect(rowHistory({ firstSeenAt: '2026-11-01T00:00:00.000Z', history: events })).toEqual({ state: 'shown', firstSeenAt: '2026-11-01T00:00:00.000Z', events });
    expect(rowHistory({ firstSeenAt: null, history: [] })).toEqual({ state: 'shown', firstSeenAt: null, events: [] });
    // The history's error says most, whichever came first.
    const other = { message: 'other', path: ['inventory', 'nodes', 0, 'firstSeenAt'], extensions: { code: 'INTERNAL' } };
    expect(rowHistory({ firstSeenAt: null, history: null }, [other, opening(['inventory', 'nodes', 0, 'history'])])).toEqual({ state: 'failed', problem: { opening: true, code: 'UPSTREAM_UNAVAILABLE', message: OPENING } });
    expect(rowHistory({ firstSeenAt: null, history: events }, [other])).toMatchObject({ state: 'failed', problem: { code: 'INTERNAL' } });
    expect(rowHistory({ history: null })).toMatchObject({ state: 'failed', problem: { opening: false } });
    expect(rowHistory({})).toEqual({ state: 'not asked' });
    // Events asked again after a revocation keep the first sighting already shown.
    expect(withEvents({ state: 'shown', firstSeenAt: 'first', events: [] }, events)).toEqual({ state: 'shown', firstSeenAt: 'first', events });
    expect(withEvents({ state: 'failed', problem: historyProblem(opening([])) }, events)).toEqual({ state: 'shown', firstSeenAt: null, events });
  });

  it('shows the history after a revocation from the page: the events asked again with the first sighting kept, why they could not be read, or as it was', () => {
    const before = [{ at: '2026-11-01T00:00:00.000Z', kind: 'APPEARED' as const, detail: null, actor: null }];
    const after = [{ at: '2026-11-23T14:05:09.123Z', kind: 'REVOKED' as const, detail: 'req-1', actor: '0123456789abcdef' }, ...before];
    const shown = { state: 'shown' as const, firstSeenAt: '2026-11-01T00:00:00.000Z', events: before };
    expect(afterRevocation(shown, changesAnswer({ nodes: after }, undefined, 'tokenHistory'))).toEqual({ state: 'shown', firstSeenAt: '2026-11-01T00:00:00.000Z', events: after });
    // Its events could not be read again: the row says so, and shows none from before the revocation.
    const failure = { message: "the history's database cannot be read now", path: ['tokenHistory'], extensions: { code: 'UPSTREAM_UNAVAILABLE' } };
    expect(afterRevocation(shown, changesAnswer<{ nodes: typeof after }>(null, [failure], 'tokenHistory'))).toEqual({ state: 'failed', problem: { opening: false, code: 'UPSTREAM_UNAVAILABLE', message: failure.message } });
    expect(afterRevocation(shown, changesAnswer<{ nodes: typeof after }>(undefined, [{ message: 'refused', extensions: { code: 'BAD_REQUEST' } }], 'tokenHistory'))).toMatchObject({ state: 'failed', problem: { code: 'BAD_REQUEST' } });
    // Not asked again: as it was.
    expect(afterRevocation(shown, undefined)).toBe(shown);
    expect(afterRevocation(shown, null)).toBe(shown);
  });

  it('says what the details show in words', () => {
    expect(firstSeenText('2026-11-23T14:05:09.123Z')).toBe('First seen 2026-11-23 14:05:09 UTC');
    expect(firstSeenText(null)).toBe('Not seen by the history yet.');
    expect(problemText(historyProblem(opening([])))).toBe('The history is opening: tokengraph started moments ago and its database is not open yet. Ask again in a few seconds.');
    expect(problemText({ opening: false, code: 'UPSTREAM_UNAVAILABLE', message: 'the database cannot be read now' })).toBe('The history could not be read (UPSTREAM_UNAVAILABLE): the database cannot be read now');
  });
});

describe('an event as the page shows it', () => {
  it('gives the time in UTC seconds, the detail (REVOKED: its request), and the actor by fingerprint', () => {
    expect(eventTime('2026-11-23T14:05:09.123Z')).toBe('2026-11-23 14:05:09');
    expect(eventDetail({ kind: 'CHANGED', detail: 'name: "a" → "b"' })).toBe('name: "a" → "b"');
    expect(eventDetail({ kind: 'REVOKED', detail: 'history-revoke-1' })).toBe('request history-revoke-1');
    expect(eventDetail({ kind: 'REVOKED', detail: null })).toBe('');
    expect(eventDetail({ kind: 'APPEARED', detail: null })).toBe('');
    expect(actorText('0123456789abcdef')).toBe('key 0123456789abcdef');
    expect(actorText(null)).toBe('');
  });

  it('names the token by its name, its id as shown when that differs, and its owner', () => {
    expect(eventToken(change())).toEqual({ name: 'CI deploy', tokenId: 'nb-1', owner: 'alice' });
    expect(eventToken(change({ name: null, tokenId: 'f81d…6bf6', owner: null }))).toEqual({ name: 'f81d…6bf6', tokenId: null, owner: null });
    expect(eventToken(change({ name: 'game-1', tokenId: 'game-1' }))).toEqual({ name: 'game-1', tokenId: null, owner: 'alice' });
  });
});

describe('Recent changes', () => {
  it('appends the pages in order, taking the count from the first (the only one that asks it) and the cursor from the latest', () => {
    const first = page([change({ at: '2026-11-23T14:05:09.123Z' }), change({ at: '2026-11-23T14:00:00.000Z' })], 3, 'c2');
    const second = page([change({ at: '2026-11-22T09:00:00.000Z' })], undefined, 'c3', false);
    expect(recentChanges([first])).toEqual({ events: first.nodes, totalCount: 3, hasNextPage: true, endCursor: 'c2' });
    expect(recentChanges([first, second])).toEqual({ events: [...first.nodes, ...second.nodes], totalCount: 3, hasNextPage: false, endCursor: 'c3' });
    expect(changesStateText(recentChanges([first, second]))).toBe('3 changes');
    expect(recentChanges([])).toEqual({ events: [], totalCount: 0, hasNextPage: false, endCursor: null });
  });

  it('says how many are shown of how many', () => {
    expect(changesStateText(recentChanges([]))).toBe('No changes recorded yet');
    expect(changesStateText(recentChanges([page([change()], 1, null)]))).toBe('1 change');
    expect(changesStateText(recentChanges([page([change(), change()], 2, null)]))).toBe('2 changes');
    expect(changesStateText(recentChanges([page([change(), change()], 412, 'c')]))).toBe('2 of 412 changes shown');
  });

  it("reads a list from an answer: its page, its field's error, or nothing when it was not asked", () => {
    const shown = page([change()], 1, null);
    expect(changesAnswer(shown, undefined, 'recentChanges')).toEqual({ page: shown });
    expect(changesAnswer(null, [opening(['inventory', 'nodes', 0, 'history']), opening(['recentChanges'])], 'recentChanges')).toEqual({ problem: historyProblem(opening([])) });
    expect(changesAnswer(null, [], 'tokenEvents')).toMatchObject({ problem: { opening: false } });
    // Asked, and refused whole (a limit, a 400, 413 or 503 body, an error with no path): no data, and its first error says why.
    const refused = { message: 'the query asks for too many fields', extensions: { code: 'GRAPHQL_VALIDATION_FAILED' } };
    expect(changesAnswer(undefined, [refused, opening([])], 'tokenEvents')).toEqual({ problem: { opening: false, code: 'GRAPHQL_VALIDATION_FAILED', message: 'the query asks for too many fields' } });
    expect(changesAnswer(undefined, [opening(['tokenEvents'])], 'tokenEvents')).toEqual({ problem: historyProblem(opening([])) });
    // Not asked: nothing.
    expect(changesAnswer(undefined, [], 'recentChanges')).toBeNull();
    expect(changesAnswer(undefined, undefined, 'recentChanges')).toBeNull();
  });

  it('filters by the sources of the page and the kinds chosen', () => {
    expect(eventFilter([], [])).toBeNull();
    expect(eventFilter(['NETBIRD', 'GAME'], [])).toEqual({ sources: ['NETBIRD', 'GAME'] });
    expect(eventFilter([], ['REVOKED'])).toEqual({ kinds: ['REVOKED'] });
    expect(eventFilter(['ASTRA'], ['CHANGED', 'REVOKED'])).toEqual({ sources: ['ASTRA'], kinds: ['CHANGED', 'REVOKED'] });
  });

  it('keeps the kinds in the URL, known ones in order, between the filters and the watch list', () => {
    expect(normalizeKinds(['REVOKED', 'nope', 'APPEARED', 'REVOKED'])).toEqual(['APPEARED', 'REVOKED']);
    expect(kindsFromSearch('?source=NETBIRD&kind=REVOKED&kind=CHANGED&kind=revoked')).toEqual(['CHANGED', 'REVOKED']);
    expect(kindsFromSearch('')).toEqual([]);
    const search = searchWithWatch(searchWithKinds(searchWithFilters('?kind=APPEARED&watch=GAME/game-1', { sources: ['NETBIRD'], statuses: [], findings: [], within: null, search: '' }), ['CHANGED', 'REVOKED']), [{ source: 'GAME', tokenId: 'game-1' }]);
    expect(search).toBe('?source=NETBIRD&kind=CHANGED&kind=REVOKED&watch=GAME%2Fgame-1');
    expect(kindsFromSearch(search)).toEqual(['CHANGED', 'REVOKED']);
    expect(searchWithKinds('?kind=REVOKED', [])).toBe('');
  });
});
