/** `npm run expiring`'s arguments, durations, window and output, without a server. */
import { describe, expect, it } from 'vitest';
import { exitCode, formatTable, gapLines, parseArgs, parseDuration, reportOf, timeLeft, timeSince, UsageError, windowFilter, windowOf, type ExpiringReport } from '../../../src/cli/expiringReport.js';

describe('durations', () => {
  it.each([
    ['90m', 90 * 60_000],
    ['36h', 36 * 3_600_000],
    ['14d', 14 * 86_400_000],
    ['2w', 14 * 86_400_000],
    [' 7d ', 7 * 86_400_000],
  ])('%j is %i ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(['', '14', 'd', '1.5d', '-3d', '0d', '14 days', '3y', '9999999d', '4000d'])('%j is refused, saying what a duration looks like', (text) => {
    expect(() => parseDuration(text)).toThrowError(new UsageError(`--within must be a duration such as 90m, 36h or 14d (more than 0, at most 3650d), got "${text}"`));
  });
});

describe('arguments', () => {
  it('default to 14 days, a table, and no failure', () => {
    expect(parseArgs([])).toEqual({ withinMs: 14 * 86_400_000, within: '14d', json: false, fail: false });
  });

  it('read --within (both spellings), --json and --fail', () => {
    expect(parseArgs(['--within', '36h', '--json', '--fail'])).toEqual({ withinMs: 36 * 3_600_000, within: '36h', json: true, fail: true });
    expect(parseArgs(['--within=90m']).within).toBe('90m');
  });

  it.each([
    [['--within'], '--within needs a duration such as 14d'],
    [['--verbose'], 'unknown argument "--verbose"; usage: npm run expiring -- [--within <duration: 90m, 36h, 14d>] [--json] [--fail]'],
  ])('refuse %j', (argv, message) => {
    expect(() => parseArgs(argv)).toThrowError(new UsageError(message));
  });
});

describe('the report', () => {
  const now = new Date('2026-12-01T12:00:00.000Z');

  it('asks for every token that expires before the window ends, those already expired included', () => {
    const window = windowOf(now, 14 * 86_400_000);
    expect(window).toEqual({ from: '2026-12-01T12:00:00.000Z', until: '2026-12-15T12:00:00.000Z' });
    expect(windowFilter(window)).toEqual({ expiresBefore: '2026-12-15T12:00:00.000Z' });
  });

  const node = (tokenId: string, expiresAt: string | null) => ({ id: tokenId, source: 'GAME' as const, tokenId, name: null, owner: null, createdAt: null, lastUsedAt: null, expiresAt, status: 'ACTIVE' as const, findings: [] });
  type PageGap = { source: 'NETBIRD' | 'ASTRA'; code: string; count: number; scopes: string[]; message: string };
  const page = (nodes: ReturnType<typeof node>[], collectedAt: string, gaps: PageGap[]) => ({ totalCount: 3, collectedAt, gaps, pageInfo: { hasNextPage: false, endCursor: null }, nodes });

  it('marks the tokens whose expiry is not after the report as expired, and takes the earliest collection time of its pages', () => {
    const gap: PageGap = { source: 'NETBIRD', code: 'UPSTREAM_UNAUTHORIZED', count: 1, scopes: ['users'], message: 'refused' };
    const report = reportOf(
      [page([node('a', '2026-11-30T12:00:00.000Z'), node('b', '2026-12-01T12:00:00.000Z')], '2026-12-01T11:59:00.000Z', [gap]), page([node('c', '2026-12-01T12:00:00.001Z'), node('d', null)], '2026-12-01T12:00:30.000Z', [gap])],
      windowOf(now, 86_400_000),
      '1d',
    );
    expect(report).toEqual({
      within: '1d',
      from: '2026-12-01T12:00:00.000Z',
      until: '2026-12-02T12:00:00.000Z',
      collectedAt: '2026-12-01T11:59:00.000Z',
      tokens: [
        { source: 'GAME', tokenId: 'a', name: null, owner: null, expiresAt: '2026-11-30T12:00:00.000Z', expired: true },
        { source: 'GAME', tokenId: 'b', name: null, owner: null, expiresAt: '2026-12-01T12:00:00.000Z', expired: true },
        { source: 'GAME', tokenId: 'c', name: null, owner: null, expiresAt: '2026-12-01T12:00:00.001Z', expired: false },
      ],
      gaps: [gap],
    });
  });

  it('keeps the gaps of every page: a walk that went on in a newer snapshot can meet a gap only there', () => {
    const users = (count: number, scopes: string[]): PageGap => ({ source: 'NETBIRD', code: 'UPSTREAM_UNAVAILABLE', count, scopes, message: 'down' });
    const astra: PageGap = { source: 'ASTRA', code: 'INVENTORY_NOT_CONFIGURED', count: 1, scopes: ['ASTRA_ACCOUNT_IDS'], message: 'not listed' };
    const many = Array.from({ length: 10 }, (_, i) => `user u-${i}`);
    const pages = [
      page([node('a', '2026-12-01T13:00:00.000Z')], '2026-12-01T11:59:00.000Z', []),
      page([node('b', '2026-12-01T14:00:00.000Z')], '2026-12-01T11:58:00.000Z', [users(2, ['user u-1', 'user u-2'])]),
      page([node('c', '2026-12-01T15:00:00.000Z')], '2026-12-01T12:00:30.000Z', [astra, users(12, ['user u-2', ...many.slice(3)])]),
    ];
    const report = reportOf(pages, windowOf(now, 86_400_000), '1d');
    expect(exitCode(report, true)).toBe(2);
    expect(report.gaps).toEqual([users(12, ['user u-1', 'user u-2', ...many.slice(3)].slice(0, 10)), astra]);
    expect(report.collectedAt).toBe('2026-12-01T11:58:00.000Z');
  });

  it.each([
    ['2026-12-04T14:30:00.000Z', '3d 2h'],
    ['2026-12-01T17:03:59.000Z', '5h 3m'],
    ['2026-12-01T12:12:00.000Z', '12m'],
    ['2026-12-01T11:00:00.000Z', '0m'],
  ])('says %s is %s away', (at, left) => {
    expect(timeLeft(at, now)).toBe(left);
  });

  it.each([
    ['2026-11-28T09:30:00.000Z', '3d 2h'],
    ['2026-12-01T11:59:30.000Z', '0m'],
  ])('says %s was %s ago', (at, since) => {
    expect(timeSince(at, now)).toBe(since);
  });

  const expired = { source: 'NETBIRD', tokenId: 'nb-demo-2', name: 'old laptop', owner: 'alice', expiresAt: '2026-11-21T12:00:00.000Z', expired: true };
  const soon = [
    { source: 'GAME', tokenId: 'game-demo-2', name: 'Treasure Hunt', owner: 'player-4711', expiresAt: '2026-12-04T12:00:00.000Z', expired: false },
    { source: 'CRAFTER_ACCESS_TOKEN', tokenId: 'f81d…6bf6', name: null, owner: null, expiresAt: '2026-12-10T18:30:00.000Z', expired: false },
  ];
  const report = (tokens: ExpiringReport['tokens'], gaps: ExpiringReport['gaps'] = []): ExpiringReport => ({ within: '14d', from: '', until: '', collectedAt: null, tokens, gaps });

  it('prints a table, expired tokens first and marked, then soonest first as given, with a count', () => {
    expect(formatTable(report([expired, ...soon]), now)).toBe(
      [
        'EXPIRES (UTC)     IN                  SOURCE                NAME           OWNER        TOKEN ID',
        '2026-11-21 12:00  expired 10d 0h ago  NETBIRD               old laptop     alice        nb-demo-2',
        '2026-12-04 12:00  3d 0h               GAME                  Treasure Hunt  player-4711  game-demo-2',
        '2026-12-10 18:30  9d 6h               CRAFTER_ACCESS_TOKEN  —              —            f81d…6bf6',
        '1 token has expired; 2 tokens expire within 14d.',
        '',
      ].join('\n'),
    );
  });

  it.each([
    [[], 'No token has expired or expires within 14d.'],
    [[expired], '1 token has expired; none expires within 14d.'],
    [[expired, expired], '2 tokens have expired; none expires within 14d.'],
    [[soon[0]!], '1 token expires within 14d.'],
    [soon, '2 tokens expire within 14d.'],
  ])('counts %#: %s', (tokens, line) => {
    expect(formatTable(report(tokens), now).trimEnd().split('\n').at(-1)).toBe(line);
  });

  it.each([
    ['nothing listed, nothing missing', [], [], 0],
    ['an expired token', [expired], [], 1],
    ['a token expiring', soon, [], 1],
    ['a gap, nothing listed', [], [{ source: 'NETBIRD', code: 'UPSTREAM_UNAUTHORIZED', count: 1, scopes: ['users'], message: '' }], 2],
    ['a gap and tokens listed', soon, [{ source: 'ASTRA', code: 'INVENTORY_NOT_CONFIGURED', count: 1, scopes: ['ASTRA_ACCOUNT_IDS'], message: '' }], 2],
  ])('--fail exits by what it found: %s', (_, tokens, gaps, code) => {
    expect(exitCode(report(tokens, gaps), true)).toBe(code);
    expect(exitCode(report(tokens, gaps), false)).toBe(0);
  });

  it('names what it could not read, and says what that means', () => {
    expect(gapLines([{ source: 'NETBIRD', code: 'UPSTREAM_FORBIDDEN', count: 12, scopes: ['user bob', 'user carol'], message: '' }])).toEqual([
      'not read: NETBIRD, 12 parts (UPSTREAM_FORBIDDEN): user bob, user carol, …',
      'The tokens of the parts not read are not listed: this report cannot vouch for them.',
    ]);
    expect(gapLines([])).toEqual([]);
  });
});
