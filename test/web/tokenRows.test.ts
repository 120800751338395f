import { describe, expect, it } from 'vitest';
import type { TokenRowFragment } from '../../src/generated/client/graphql.js';
import { expiryOf, formatDate, overview, statusText } from '../../web/tokenRows.js';

const NOW = new Date('2026-11-23T12:00:00.000Z');
const DAY = 86_400_000;
const at = (days: number) => new Date(NOW.getTime() + days * DAY).toISOString();

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
    ...overrides,
  };
}

describe('overview rows', () => {
  it.each([
    ['expired', { status: 'EXPIRED', expiresAt: at(-1) }],
    ['soon', { status: 'ACTIVE', expiresAt: at(6.9) }],
    ['soon', { status: 'ACTIVE', expiresAt: at(7) }],
    ['later', { status: 'ACTIVE', expiresAt: at(7.1) }],
    ['unknown', { status: 'UNKNOWN', expiresAt: null }],
  ] as const)('marks %s: %j', (expiry, fields) => {
    expect(expiryOf(fields, NOW)).toBe(expiry);
  });

  it('lists the Crafter access tokens, then the watched tokens in order, once each', () => {
    const listed = token({ id: 'cat-1', source: 'CRAFTER_ACCESS_TOKEN', name: 'adminconsole' });
    const shown = overview(
      {
        data: {
          crafterAccessTokens: [listed],
          tokens: [token({ id: 'nb-1' }), listed, token({ id: 'game-1', source: 'GAME', name: 'Treasure Hunt', expiresAt: at(3) })],
        },
      },
      [
        { source: 'NETBIRD', userId: 'alice', tokenId: 'nb-1' },
        { source: 'CRAFTER_ACCESS_TOKEN', tokenId: 'secret-id' },
        { source: 'GAME', tokenId: 'game-1' },
      ],
      NOW,
    );
    expect(shown.rows.map((row) => [row.key, row.expiry, row.watchIndex])).toEqual([
      ['cat-1', 'later', undefined],
      ['nb-1', 'later', 0],
      ['game-1', 'soon', 2],
    ]);
    expect(statusText(shown.rows[2]!)).toBe('ACTIVE · expires soon');
    expect(shown.failures).toEqual([]);
  });

  it('keeps a row for each unanswered watched token and names the failing sources', () => {
    const shown = overview(
      {
        data: { crafterAccessTokens: null, tokens: [null, token({}), null] },
        errors: [
          { message: 'NetBird answered 503', path: ['tokens', 0], extensions: { code: 'UPSTREAM_UNAVAILABLE', upstream: { source: 'NETBIRD' } } },
          { message: 'list failed', path: ['crafterAccessTokens'], extensions: { code: 'UPSTREAM_TIMEOUT', upstream: { source: 'CRAFTER_ACCESS_TOKEN' } } },
        ],
      },
      [
        { source: 'NETBIRD', userId: 'bob', tokenId: 'nb-9' },
        { source: 'NETBIRD', userId: 'alice', tokenId: 'nb-1' },
        { source: 'GAME', tokenId: 'gone' },
      ],
      NOW,
    );
    expect(shown.rows.map((row) => [row.name, row.problem])).toEqual([
      ['NetBird bob/nb-9', 'UPSTREAM_UNAVAILABLE'],
      ['CI deploy', undefined],
      ['Games gone', 'not found'],
    ]);
    expect(shown.failures).toEqual([
      { source: 'NETBIRD', label: 'NetBird', codes: ['UPSTREAM_UNAVAILABLE'] },
      { source: 'CRAFTER_ACCESS_TOKEN', label: 'Crafter access token', codes: ['UPSTREAM_TIMEOUT'] },
    ]);
  });

  it('reports errors that name no source as they are', () => {
    const shown = overview({ data: null, errors: [{ message: 'bad ref', extensions: { code: 'BAD_USER_INPUT' } }] }, [{ source: 'GAME', tokenId: 'x' }], NOW);
    expect(shown.otherErrors).toEqual(['BAD_USER_INPUT: bad ref']);
    expect(shown.rows).toEqual([expect.objectContaining({ problem: 'not answered' })]);
  });

  it('formats dates as UTC minutes', () => {
    expect(formatDate('2026-11-23T14:05:09.123Z')).toBe('2026-11-23 14:05');
    expect(formatDate(null)).toBe('—');
  });
});
