/**
 * The overview page's Revoke action without the DOM (web/revocation.ts): which rows offer it,
 * the reference each row is revoked by (from the row itself, or a pasted id for a Crafter access
 * token), and how tokengraph's answers read in the dialog and the row.
 */
import { describe, expect, it } from 'vitest';
import type { TokenOverviewQuery, TokenRowFragment } from '../../src/generated/client/graphql.js';
import { mayConfirm, needsFullId, otherToken, readRevokeAnswer, revokeRef, shownOutcome, whyNotRevocable, type RevokeAnswer, type RevokeResult } from '../../web/revocation.js';
import { overview, type TokenRow } from '../../web/tokenRows.js';

const NOW = new Date('2026-11-23T12:00:00.000Z');
const common = { name: 'n', owner: 'o', createdAt: null, lastUsedAt: null, expiresAt: null, status: 'UNKNOWN' as const, findings: [] };
const TOKENS: TokenRowFragment[] = [
  { ...common, id: 'nb', source: 'NETBIRD', tokenId: 'nb-demo-3', userId: 'bob' },
  { ...common, id: 'as', source: 'ASTRA', tokenId: 'astra-demo-1', accountId: 'acme', userId: 'ops-admin' },
  { ...common, id: 'ca', source: 'CRAFTER_ACCESS_TOKEN', tokenId: 'f81d…6bf6' },
  { ...common, id: 'ct', source: 'CRAFTER_TICKET', tokenId: 'ticket-1' },
  { ...common, id: 'gm', source: 'GAME', tokenId: 'game-demo-1' },
];

/** The rows the page shows for TOKENS, and one watched token tokengraph did not find. */
function rows(): Record<string, TokenRow> {
  const data: TokenOverviewQuery = {
    inventory: { totalCount: TOKENS.length, collectedAt: NOW.toISOString(), gaps: [], pageInfo: { hasNextPage: false, endCursor: null }, nodes: TOKENS },
    tokens: [null],
  };
  const shown = overview([{ data }], [{ source: 'NETBIRD', userId: 'alice', tokenId: 'gone' }], NOW).rows;
  return Object.fromEntries(shown.map((row) => [row.key, row]));
}

const resultOf = (overrides: Partial<RevokeResult>): RevokeResult => ({
  source: 'NETBIRD',
  tokenId: 'nb-demo-3',
  outcome: 'WOULD_REVOKE',
  code: null,
  message: null,
  token: { id: 'nb', name: 'n', owner: 'o' },
  ...overrides,
});
const result = (overrides: Partial<RevokeResult>): RevokeAnswer => ({ result: resultOf(overrides) });

describe('which rows offer Revoke, and by which reference', () => {
  it('gives each row the reference tokengraph reads it by: the user for NetBird, account and user for Astra', () => {
    const row = rows();
    expect(revokeRef(row.nb!)).toEqual({ source: 'NETBIRD', tokenId: 'nb-demo-3', userId: 'bob' });
    expect(revokeRef(row.as!)).toEqual({ source: 'ASTRA', tokenId: 'astra-demo-1', accountId: 'acme', userId: 'ops-admin' });
    expect(revokeRef(row.ct!)).toEqual({ source: 'CRAFTER_TICKET', tokenId: 'ticket-1' });
  });

  it("revokes a Crafter access token by the pasted full id, never by the masked one it shows", () => {
    const row = rows();
    expect(needsFullId('CRAFTER_ACCESS_TOKEN')).toBe(true);
    expect(['NETBIRD', 'ASTRA', 'CRAFTER_TICKET', 'GAME'].some((source) => needsFullId(source as never))).toBe(false);
    expect(revokeRef(row.ca!, '  f81d4fae-7dec-11d0-a765-00a0c91e6bf6 ')).toEqual({ source: 'CRAFTER_ACCESS_TOKEN', tokenId: 'f81d4fae-7dec-11d0-a765-00a0c91e6bf6' });
    expect(revokeRef(row.ca!).tokenId).toBe('');
  });

  it('offers no Revoke for games tokens, saying why, nor for a token tokengraph could not read', () => {
    const row = rows();
    expect(whyNotRevocable(row.gm!)).toBe('The games platform documents no way to revoke a token');
    expect(whyNotRevocable(row['watch:0']!)).toBe('tokengraph could not read this token');
    for (const key of ['nb', 'as', 'ca', 'ct']) expect(whyNotRevocable(row[key]!), key).toBeNull();
  });
});

describe("tokengraph's answers", () => {
  it('reads the result, or the error that stands for it (FORBIDDEN for a key that may not revoke)', () => {
    const forbidden = { data: { revokeTokens: null }, errors: [{ message: 'this API key may not revoke tokens', path: ['revokeTokens'], extensions: { code: 'FORBIDDEN' } }] };
    expect(readRevokeAnswer(200, forbidden)).toEqual({ error: { code: 'FORBIDDEN', message: 'this API key may not revoke tokens' } });
    expect(shownOutcome(readRevokeAnswer(200, forbidden))).toEqual({ label: 'FORBIDDEN', detail: 'this API key may not revoke tokens', final: false });
    expect(readRevokeAnswer(401, null)).toEqual({ error: { code: 'UNAUTHENTICATED', message: 'tokengraph answered HTTP 401' } });
    expect(readRevokeAnswer(502, null)).toEqual({ error: { code: 'ERROR', message: 'tokengraph answered HTTP 502' } });
    const revoked = resultOf({ outcome: 'REVOKED' });
    expect(readRevokeAnswer(200, { data: { revokeTokens: [revoked] } })).toEqual({ result: revoked });
  });

  it.each([
    ['REVOKED', null, null, 'revoked upstream', true],
    ['NOT_FOUND', null, null, 'the upstream does not know it: nothing to revoke', true],
    ['REFUSED', 'FORBIDDEN', 'tokengraph does not revoke the credential it calls Crafter Profile with', 'FORBIDDEN: tokengraph does not revoke the credential it calls Crafter Profile with', true],
    ['FAILED', 'UPSTREAM_FORBIDDEN', 'NetBird answered 403', 'UPSTREAM_FORBIDDEN: NetBird answered 403', false],
    ['FAILED', 'UPSTREAM_TIMEOUT', 'the outcome is unknown', 'UPSTREAM_TIMEOUT: the outcome is unknown', false],
  ] as const)('shows %s (%s) in the row as "%s", "%s"', (outcome, code, message, detail, final) => {
    expect(shownOutcome(result({ outcome, code, message }))).toEqual({ label: outcome, detail, final });
  });

  it("offers the confirmation only after a dry run that found the row's own token", () => {
    const row = rows();
    expect(mayConfirm(row.nb!, result({}))).toBe(true);
    expect(mayConfirm(row.nb!, result({ outcome: 'NOT_FOUND', token: null }))).toBe(false);
    expect(mayConfirm(row.nb!, result({ outcome: 'REFUSED', code: 'FORBIDDEN' }))).toBe(false);
    expect(mayConfirm(row.nb!, { error: { code: 'FORBIDDEN', message: 'no' } })).toBe(false);
    // A pasted id that is another access token's: not this row's, so nothing to confirm and nothing for the row.
    const other = result({ source: 'CRAFTER_ACCESS_TOKEN', tokenId: 'e8f5…8e2d', token: { id: 'someone-else', name: 'adminconsole', owner: null } });
    expect(mayConfirm(row.ca!, other)).toBe(false);
    expect(otherToken(row.ca!, other)).toBe(true);
    expect(otherToken(row.ca!, result({ source: 'CRAFTER_ACCESS_TOKEN', outcome: 'NOT_FOUND', token: null }))).toBe(true);
    expect(otherToken(row.ca!, result({ source: 'CRAFTER_ACCESS_TOKEN', token: { id: 'ca', name: 'n', owner: null } }))).toBe(false);
    // A NetBird token that is gone is this row's outcome, not a wrong id.
    expect(otherToken(row.nb!, result({ outcome: 'NOT_FOUND', token: null }))).toBe(false);
  });
});
