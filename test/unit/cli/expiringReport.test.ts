/** `npm run expiring`'s arguments, durations, window and output, without a server. */
import { describe, expect, it } from 'vitest';
import { formatTable, gapLines, parseArgs, parseDuration, timeLeft, UsageError, windowFilter } from '../../../src/cli/expiringReport.js';

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

  it('asks for the tokens not yet expired that expire within the window', () => {
    expect(windowFilter(now, 14 * 86_400_000)).toEqual({ expiresAfter: '2026-12-01T12:00:00.000Z', expiresBefore: '2026-12-15T12:00:00.000Z' });
  });

  it.each([
    ['2026-12-04T14:30:00.000Z', '3d 2h'],
    ['2026-12-01T17:03:59.000Z', '5h 3m'],
    ['2026-12-01T12:12:00.000Z', '12m'],
    ['2026-12-01T11:00:00.000Z', '0m'],
  ])('says %s is %s away', (at, left) => {
    expect(timeLeft(at, now)).toBe(left);
  });

  it('prints a table, soonest first as given, with a count', () => {
    const table = formatTable(
      {
        within: '14d',
        from: '',
        until: '',
        collectedAt: null,
        tokens: [
          { source: 'GAME', tokenId: 'game-demo-2', name: 'Treasure Hunt', owner: 'player-4711', expiresAt: '2026-12-04T12:00:00.000Z' },
          { source: 'CRAFTER_ACCESS_TOKEN', tokenId: 'f81d…6bf6', name: null, owner: null, expiresAt: '2026-12-10T18:30:00.000Z' },
        ],
        gaps: [],
      },
      now,
    );
    expect(table).toBe(
      [
        'EXPIRES (UTC)     IN     SOURCE                NAME           OWNER        TOKEN ID',
        '2026-12-04 12:00  3d 0h  GAME                  Treasure Hunt  player-4711  game-demo-2',
        '2026-12-10 18:30  9d 6h  CRAFTER_ACCESS_TOKEN  —              —            f81d…6bf6',
        '2 tokens expire within 14d.',
        '',
      ].join('\n'),
    );
    expect(formatTable({ within: '90m', from: '', until: '', collectedAt: null, tokens: [], gaps: [] }, now)).toBe('No token expires within 90m.\n');
  });

  it('names what it could not read', () => {
    expect(gapLines([{ source: 'NETBIRD', code: 'UPSTREAM_FORBIDDEN', count: 12, scopes: ['user bob', 'user carol'], message: '' }])).toEqual(['not read: NETBIRD, 12 parts (UPSTREAM_FORBIDDEN): user bob, user carol, …']);
  });
});
