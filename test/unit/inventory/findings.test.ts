/**
 * The findings of a token (contract §11) as a table of cases: each finding at and around its
 * threshold, with the settings' defaults (14 days soon, 365 days of life, 90 days unused) and with
 * others, and only where the source can say (last use: NetBird; master: Crafter; owner: NetBird's
 * users list).
 */
import { describe, expect, it } from 'vitest';
import { findingsOf, TOKEN_FINDINGS, type TokenFacts } from '../../../src/inventory/findings.js';

const NOW = Date.parse('2026-12-07T12:00:00.000Z');
const DAY = 86_400_000;
const SETTINGS = { expiresSoonDays: 14, maxLifetimeDays: 365, unusedDays: 90 };
const token = (facts: Partial<TokenFacts>): TokenFacts => ({
  fixedStatus: undefined,
  createdAt: NOW - 30 * DAY,
  expiresAt: NOW + 100 * DAY,
  lastUsedAt: null,
  reportsLastUse: false,
  master: false,
  ownerInactive: false,
  ...facts,
});

describe('findingsOf', () => {
  it.each<[string, Partial<TokenFacts>, string[]]>([
    ['an ordinary token', {}, []],
    ['no expiry by its upstream\'s rule', { fixedStatus: 'NEVER_EXPIRES', expiresAt: null }, ['NEVER_EXPIRES']],
    ['an expiry not known', { expiresAt: null }, []],
    ['expired a moment ago', { expiresAt: NOW - 1 }, ['EXPIRED']],
    // The contract's two rules meet at the instant of expiry: expired (now or past) and soon (now <= expiresAt).
    ['expiring now, to the millisecond: both, as the contract words them', { expiresAt: NOW }, ['EXPIRED', 'EXPIRES_SOON']],
    ['expiring in a millisecond', { expiresAt: NOW + 1 }, ['EXPIRES_SOON']],
    ['expiring just inside 14 days', { expiresAt: NOW + 14 * DAY - 1 }, ['EXPIRES_SOON']],
    ['expiring in exactly 14 days: not soon', { expiresAt: NOW + 14 * DAY }, []],
    ['a life of exactly 365 days', { createdAt: NOW - 265 * DAY, expiresAt: NOW + 100 * DAY }, []],
    ['a life of 365 days and a millisecond', { createdAt: NOW - 265 * DAY - 1, expiresAt: NOW + 100 * DAY }, ['LONG_LIVED']],
    ['a life not known (no creation date)', { createdAt: null, expiresAt: NOW + 1000 * DAY }, []],
    ['last used 90 days ago to the millisecond: not yet unused', { reportsLastUse: true, lastUsedAt: NOW - 90 * DAY }, []],
    ['last used longer ago than 90 days', { reportsLastUse: true, lastUsedAt: NOW - 90 * DAY - 1 }, ['UNUSED']],
    ['an old last use its source does not report (Crafter, Astra)', { reportsLastUse: false, lastUsedAt: NOW - 400 * DAY }, []],
    ['never used, created 8 days ago', { reportsLastUse: true, createdAt: NOW - 8 * DAY }, ['NEVER_USED']],
    ['never used, created 7 days ago to the millisecond', { reportsLastUse: true, createdAt: NOW - 7 * DAY }, []],
    ['never used where the source says nothing of use', { reportsLastUse: false, createdAt: NOW - 300 * DAY, expiresAt: NOW + 30 * DAY }, []],
    ['a Crafter master token', { master: true }, ['MASTER']],
    ['an owner blocked or not active', { ownerInactive: true }, ['OWNER_INACTIVE']],
    [
      'everything at once, in the enum\'s order',
      { fixedStatus: undefined, createdAt: NOW - 400 * DAY, expiresAt: NOW + 1 * DAY, reportsLastUse: true, lastUsedAt: NOW - 200 * DAY, master: true, ownerInactive: true },
      ['EXPIRES_SOON', 'LONG_LIVED', 'UNUSED', 'MASTER', 'OWNER_INACTIVE'],
    ],
  ])('%s → %j', (_, facts, expected) => {
    expect(findingsOf(token(facts), SETTINGS, NOW)).toEqual(expected);
  });

  it('takes its thresholds from the settings', () => {
    const settings = { expiresSoonDays: 1, maxLifetimeDays: 30, unusedDays: 7 };
    expect(findingsOf(token({ expiresAt: NOW + 2 * DAY }), settings, NOW)).toEqual(['LONG_LIVED']);
    expect(findingsOf(token({ createdAt: NOW - 8 * DAY, expiresAt: NOW + 12 * 60 * 60 * 1000, reportsLastUse: true, lastUsedAt: NOW - 8 * DAY }), settings, NOW)).toEqual(['EXPIRES_SOON', 'UNUSED']);
  });

  it('lists every finding of the schema, in its order', () => {
    expect(TOKEN_FINDINGS).toEqual(['NEVER_EXPIRES', 'EXPIRED', 'EXPIRES_SOON', 'LONG_LIVED', 'UNUSED', 'NEVER_USED', 'MASTER', 'OWNER_INACTIVE']);
  });
});
