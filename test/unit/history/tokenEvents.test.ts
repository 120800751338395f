/**
 * diffRead (contract §12) as a table: a read's parts against the stored states of the parts, and
 * the events and transitions that come of it. No database: createHistory.ts writes what this says.
 */
import { describe, expect, it } from 'vitest';
import { diffRead, type PartState, type Read, type ReadPart, type TokenState } from '../../../src/history/tokenEvents.js';
import { lookupsDuring } from '../../lookups.js';

const T0 = Date.parse('2026-01-01T00:00:00.000Z');
const token = (name: string, extra: Partial<TokenState> = {}): TokenState => ({ tokenId: name, name, owner: 'alice', expiresAt: '2027-01-01T00:00:00.000Z', status: 'ACTIVE', ...extra });
const part = (id: string, tokens: Record<string, TokenState>, failed = false): ReadPart => ({ id, source: 'NETBIRD', failed, tokens: new Map(Object.entries(tokens)) });
const state = (id: string, version: number, tokens: Record<string, TokenState>, readAt = T0): PartState => ({ part: id, source: 'NETBIRD', version, readAt, tokens: new Map(Object.entries(tokens)) });
const read = (parts: ReadPart[], judgeAbsent = true): Read => ({ at: T0 + 60_000, parts, judgeAbsent });
const states = (...list: PartState[]) => new Map(list.map((s) => [s.part, s]));
/** `KIND token [detail]`, in the order derived. */
const summary = (r: ReturnType<typeof diffRead>) => r.events.map((e) => [e.kind, e.token, e.detail].filter((x) => x !== null).join(' '));
const moves = (r: ReturnType<typeof diffRead>) => r.transitions.map((t) => `${t.part} ${t.from}→${t.to}`);

const A = token('a');
const B = token('b');

describe('diffRead', () => {
  it.each<[string, Read, Map<string, PartState>, string[], string[]]>([
    ['the first read of a part: every token APPEARED', read([part('NETBIRD', {}), part('NETBIRD/alice', { a: A, b: B })]), states(), ['APPEARED a', 'APPEARED b'], ['NETBIRD 0→1', 'NETBIRD/alice 0→1']],
    ['a read like the last: nothing', read([part('NETBIRD/alice', { a: A })]), states(state('NETBIRD/alice', 3, { a: A })), [], []],
    ['a token listed anew and one no longer listed', read([part('NETBIRD/alice', { b: B })]), states(state('NETBIRD/alice', 3, { a: A })), ['APPEARED b', 'DISAPPEARED a'], ['NETBIRD/alice 3→4']],
    [
      'name and expiry changed, and the expiry passed',
      read([part('NETBIRD/alice', { a: token('a', { name: 'renamed', expiresAt: '2026-01-01T00:00:30.000Z', status: 'EXPIRED' }) })]),
      states(state('NETBIRD/alice', 3, { a: A })),
      ['CHANGED a name: "a" → "renamed"; expiresAt: "2027-01-01T00:00:00.000Z" → "2026-01-01T00:00:30.000Z"', 'EXPIRED a'],
      ['NETBIRD/alice 3→4'],
    ],
    ['status alone turned EXPIRED (time passed): EXPIRED only', read([part('NETBIRD/alice', { a: token('a', { status: 'EXPIRED' }) })]), states(state('NETBIRD/alice', 3, { a: A })), ['EXPIRED a'], ['NETBIRD/alice 3→4']],
    ['a token already expired when first seen: APPEARED only', read([part('NETBIRD/alice', { a: token('a', { status: 'EXPIRED' }) })]), states(), ['APPEARED a'], ['NETBIRD/alice 0→1']],
    ['owner to null', read([part('NETBIRD/alice', { a: token('a', { owner: null }) })]), states(state('NETBIRD/alice', 1, { a: A })), ['CHANGED a owner: "alice" → null'], ['NETBIRD/alice 1→2']],
    ['a failed part: nothing, though its tokens are listed nowhere', read([part('NETBIRD/alice', {}, true)]), states(state('NETBIRD/alice', 3, { a: A })), [], []],
    [
      'a part inside a failed one (the users list failed): nothing',
      read([part('NETBIRD', {}, true)]),
      states(state('NETBIRD', 1, {}), state('NETBIRD/alice', 3, { a: A })),
      [],
      [],
    ],
    [
      'a part gone from under a part read whole (a user deleted): its tokens DISAPPEARED',
      read([part('NETBIRD', {}), part('NETBIRD/bob', { b: B })]),
      states(state('NETBIRD', 1, {}), state('NETBIRD/alice', 3, { a: A }), state('NETBIRD/bob', 2, { b: B })),
      ['DISAPPEARED a'],
      ['NETBIRD/alice 3→0'],
    ],
    [
      'the same, read with forwarded credentials (which users are listed depends on the caller): nothing',
      read([part('NETBIRD', {}), part('NETBIRD/bob', { b: B })], false),
      states(state('NETBIRD', 1, {}), state('NETBIRD/alice', 3, { a: A }), state('NETBIRD/bob', 2, { b: B })),
      [],
      [],
    ],
    [
      'a top-level part no longer read (a watch entry removed): nothing',
      read([part('NETBIRD/bob', { b: B })]),
      states(state('watch/NETBIRD/alice/a', 1, { a: A }), state('NETBIRD/bob', 2, { b: B })),
      [],
      [],
    ],
    [
      'a token two parts hold (watched and listed): one APPEARED',
      read([part('NETBIRD/alice', { a: A }), part('watch/NETBIRD/alice/a', { a: A })]),
      states(),
      ['APPEARED a'],
      ['NETBIRD/alice 0→1', 'watch/NETBIRD/alice/a 0→1'],
    ],
    [
      'a token one of its two parts still holds: not DISAPPEARED',
      read([part('NETBIRD/alice', {}), part('watch/NETBIRD/alice/a', { a: A })]),
      states(state('NETBIRD/alice', 1, { a: A }), state('watch/NETBIRD/alice/a', 1, { a: A })),
      [],
      ['NETBIRD/alice 1→2'],
    ],
    [
      'a token an unreadable part held before: not DISAPPEARED from the other',
      read([part('NETBIRD/alice', {}), part('watch/NETBIRD/alice/a', {}, true)]),
      states(state('NETBIRD/alice', 1, { a: A }), state('watch/NETBIRD/alice/a', 1, { a: A })),
      [],
      ['NETBIRD/alice 1→2'],
    ],
    ['a read older than the stored state (another replica read later): nothing', read([part('NETBIRD/alice', {})]), states(state('NETBIRD/alice', 5, { a: A }, T0 + 120_000)), [], []],
  ])('%s', (_, given, stored, events, transitions) => {
    const result = diffRead(given, stored);
    expect(summary(result)).toEqual(events);
    expect(moves(result)).toEqual(transitions);
    expect(result.events.every((e) => e.at === given.at && e.actor === null)).toBe(true);
  });

  it('derives the same keys from the same read and state, and new ones from the next version', () => {
    const given = read([part('NETBIRD/alice', { b: B })]);
    const [one, two] = [diffRead(given, states(state('NETBIRD/alice', 3, { a: A }))), diffRead(given, states(state('NETBIRD/alice', 3, { a: A })))];
    expect(one.events.map((e) => e.key)).toEqual(two.events.map((e) => e.key));
    expect(new Set(one.events.map((e) => e.key)).size).toBe(2);
    const later = diffRead(given, states(state('NETBIRD/alice', 7, { a: A })));
    expect(later.events.map((e) => e.key).some((key) => one.events.some((e) => e.key === key))).toBe(false);
  });

  it('gives a part that went and is read again a new APPEARED, under a new key', () => {
    const at = (minutes: number) => T0 + minutes * 60_000;
    const first = diffRead({ at: at(1), parts: [part('NETBIRD', {}), part('NETBIRD/alice', { a: A })], judgeAbsent: true }, states());
    // alice deleted: her part went (its stored state deleted with it), her token DISAPPEARED.
    const gone = diffRead({ at: at(2), parts: [part('NETBIRD', {})], judgeAbsent: true }, states(state('NETBIRD', 1, {}, at(1)), state('NETBIRD/alice', 1, { a: A }, at(1))));
    expect([summary(gone), moves(gone)]).toEqual([['DISAPPEARED a'], ['NETBIRD/alice 1→0']]);
    // Back again, compared with nothing stored, as at her first read.
    const back = diffRead({ at: at(3), parts: [part('NETBIRD', {}), part('NETBIRD/alice', { a: A })], judgeAbsent: true }, states(state('NETBIRD', 1, {}, at(1))));
    expect([summary(back), moves(back)]).toEqual([['APPEARED a'], ['NETBIRD/alice 0→1']]);
    // Recorded: the first life's key would have made it a duplicate, dropped without a word.
    expect(back.events[0]!.key).not.toBe(first.events.find((e) => e.token === 'a')!.key);
  });

  it('matches each part with the failed and judged parts by its id and its prefixes, not by a scan of them all', () => {
    const n = 1_000;
    // The users list read whole, n users read, n watched references failed; stored: all of them and n users gone since.
    const given = read([part('NETBIRD', {}), ...Array.from({ length: n }, (_, i) => part(`NETBIRD/u-${i}`, { [`t-${i}`]: token(`t-${i}`) })), ...Array.from({ length: n }, (_, i) => part(`watch/NETBIRD/w-${i}/t`, {}, true))]);
    const stored = states(
      state('NETBIRD', 1, {}),
      ...Array.from({ length: 2 * n }, (_, i) => state(`NETBIRD/u-${i}`, 1, { [`t-${i}`]: token(`t-${i}`) })),
      ...Array.from({ length: n }, (_, i) => state(`watch/NETBIRD/w-${i}/t`, 1, { [`w-${i}`]: token(`w-${i}`) })),
    );
    const { result, lookups } = lookupsDuring(() => diffRead(given, stored));
    expect(summary(result)).toEqual(Array.from({ length: n }, (_, i) => `DISAPPEARED t-${n + i}`));
    expect(result.transitions).toHaveLength(n);
    // 4n parts and states, each looked up at most once per level of its id (four) and once per token: a scan would be n² and more.
    expect(lookups).toBeLessThanOrEqual(40 * n);
  });
});
