/**
 * A failure never resolves an alert (contract §8): the tokens an earlier snapshot held in parts the
 * latest read could not read are carried, at their last known values, until their part is read
 * again; a part read without a token drops it; a failed part covers the parts inside it.
 */
import { describe, expect, it } from 'vitest';
import { globalIdOf, type AstraTokenModel, type NetbirdPATModel, type TokenModel } from '../../../src/datasources/models.js';
import { carryForward } from '../../../src/inventory/carryForward.js';
import { NOT_CONFIGURED, type PartResult, type Snapshot } from '../../../src/inventory/snapshot.js';
import { lookupsDuring } from '../../lookups.js';

const pat = (userId: string, tokenId: string, name = tokenId): NetbirdPATModel => ({
  source: 'NETBIRD',
  key: { source: 'NETBIRD', userId, tokenId },
  record: { id: tokenId, name, created_by: userId },
});
const ok = (id: string, tokens: TokenModel[]): PartResult => ({ id, source: 'NETBIRD', scope: id, tokens: tokens.map(globalIdOf) });
const failed = (id: string): PartResult => ({ id, source: 'NETBIRD', scope: id, tokens: [], error: { code: 'UPSTREAM_UNAVAILABLE', message: 'down' } });
const snapshot = (parts: Array<[PartResult, TokenModel[]]>): Snapshot => ({
  collectedAt: 1,
  tokens: parts.flatMap(([, tokens]) => tokens),
  parts: parts.map(([part]) => part),
  gaps: [],
});
const carried = (s: Snapshot) => (s.carried ?? []).map(({ part, token }) => [part, (token as NetbirdPATModel).key.tokenId]);

const a1 = pat('alice', 'a-1');
const b1 = pat('bob', 'b-1');
const b2 = pat('bob', 'b-2');
const before = snapshot([
  [ok('NETBIRD', []), []],
  [ok('NETBIRD/alice', [a1]), [a1]],
  [ok('NETBIRD/bob', [b1, b2]), [b1, b2]],
]);

describe('carryForward', () => {
  it('carries the tokens of a part that failed, at their last values, and nothing of the parts read', () => {
    const next = carryForward(before, snapshot([[ok('NETBIRD', []), []], [ok('NETBIRD/alice', [a1]), [a1]], [failed('NETBIRD/bob'), []]]));
    expect(carried(next)).toEqual([
      ['NETBIRD/bob', 'b-1'],
      ['NETBIRD/bob', 'b-2'],
    ]);
    expect(next.tokens).toEqual([a1]);
  });

  it('keeps carrying them while the part keeps failing, and drops what its next read does not hold', () => {
    const second = carryForward(carryForward(before, snapshot([[failed('NETBIRD/bob'), []]])), snapshot([[failed('NETBIRD/bob'), []]]));
    expect(carried(second)).toEqual([
      ['NETBIRD/bob', 'b-1'],
      ['NETBIRD/bob', 'b-2'],
    ]);
    const read = carryForward(second, snapshot([[ok('NETBIRD/bob', [b2]), [b2]]]));
    expect(read.carried).toBeUndefined();
    expect(read.tokens).toEqual([b2]);
  });

  it('lets a failed part cover the parts inside it: no users list, no user\'s tokens known', () => {
    const next = carryForward(before, snapshot([[failed('NETBIRD'), []]]));
    expect(carried(next).map(([, id]) => id)).toEqual(['a-1', 'b-1', 'b-2']);
  });

  it('carries nothing when every part was read, or there is no earlier snapshot', () => {
    const whole = snapshot([[ok('NETBIRD/alice', []), []]]);
    expect(carryForward(before, whole)).toBe(whole);
    const broken = snapshot([[failed('NETBIRD'), []]]);
    expect(carryForward(undefined, broken)).toBe(broken);
  });

  it('carries nothing of a source no longer configured: ASTRA_ACCOUNT_IDS removed is a setting, not a failure', () => {
    const record = { type: 'token', version: 'v1', id: 'at-1', name: 'ci', userID: 'u-1', metadata: { creationTimestamp: '2026-01-01T00:00:00Z', modificationTimestamp: '2026-01-01T00:00:00Z' } };
    const token: AstraTokenModel = { source: 'ASTRA', key: { source: 'ASTRA', accountId: 'acme', userId: 'u-1', tokenId: 'at-1' }, record };
    const astra = (id: string, tokens: TokenModel[]): PartResult => ({ id, source: 'ASTRA', scope: id, tokens: tokens.map(globalIdOf) });
    const listed = snapshot([[astra('ASTRA', []), []], [astra('ASTRA/acme', []), []], [astra('ASTRA/acme/u-1', [token]), [token]]]);
    const unlisted: PartResult = { id: 'ASTRA', source: 'ASTRA', scope: 'ASTRA_ACCOUNT_IDS', tokens: [], error: { code: NOT_CONFIGURED, message: 'ASTRA is not listed' } };
    const next = snapshot([[unlisted, []]]);
    expect(carryForward(listed, next)).toBe(next);
    // Nor what an earlier failure carried: once unconfigured, the source is not watched for expiry.
    const failing = carryForward(listed, snapshot([[{ ...unlisted, error: { code: 'UPSTREAM_UNAVAILABLE', message: 'down' } }, []]]));
    expect(failing.carried).toHaveLength(1);
    expect(carryForward(failing, next)).toBe(next);
  });

  it('never carries a token the latest read found elsewhere (a watched one, say)', () => {
    const next = carryForward(before, snapshot([[failed('NETBIRD/bob'), []], [ok('watch/NETBIRD/bob/b-1', [b1]), [b1]]]));
    expect(carried(next)).toEqual([['NETBIRD/bob', 'b-2']]);
  });

  it('looks each part up once per level of its id, not against every failed part: thousands of failing watched references are no quadratic scan', () => {
    const refs = 2_000;
    const game = (i: number): TokenModel => ({ source: 'GAME', key: { source: 'GAME', tokenId: `g-${i}` }, record: { TokenSourceId: `g-${i}` } });
    const games = Array.from({ length: refs }, (_, i) => game(i));
    const watched = (i: number): PartResult => ({ id: `watch/GAME/g-${i}`, source: 'GAME', scope: `watched GAME/g-${i}`, tokens: [globalIdOf(games[i]!)] });
    const earlier: Snapshot = { collectedAt: 1, tokens: games, parts: games.map((_, i) => watched(i)), gaps: [] };
    const failing: Snapshot = { collectedAt: 2, tokens: [], parts: games.map((_, i) => ({ ...watched(i), tokens: [], error: { code: 'UPSTREAM_UNAVAILABLE', message: 'down' } })), gaps: [] };
    const first = lookupsDuring(() => carryForward(earlier, failing));
    expect(first.result.carried).toHaveLength(refs);
    // Each part: itself and its two prefixes, and a few lookups of its token; n² would be 4,000,000.
    expect(first.lookups).toBeLessThanOrEqual(10 * refs);
    // Carried again (previous.carried): the same.
    const second = lookupsDuring(() => carryForward(first.result, failing));
    expect(second.result.carried).toHaveLength(refs);
    expect(second.lookups).toBeLessThanOrEqual(10 * refs);
  });
});
