/**
 * Part ids nested by `/`: a set of them covers a part when it holds the part or one around it,
 * asked with one lookup per level of the part's id, however many ids the set holds.
 */
import { describe, expect, it } from 'vitest';
import { PartIds } from '../../../src/shared/partIds.js';
import { lookupsDuring } from '../../lookups.js';

describe('PartIds', () => {
  const ids = new PartIds(['NETBIRD/alice', 'watch/GAME/g-1']);

  it.each([
    ['NETBIRD/alice', true, false],
    ['NETBIRD/alice/tokens', true, true],
    ['NETBIRD/alice/tokens/t-1', true, true],
    ['NETBIRD/alicebob', false, false],
    ['NETBIRD', false, false],
    ['NETBIRD/bob', false, false],
    ['watch/GAME/g-1', true, false],
    ['watch/GAME/g-10', false, false],
    ['watch/GAME', false, false],
  ])('%s: covered %s, within %s', (part, covered, within) => {
    expect(ids.covers(part)).toBe(covered);
    expect(ids.within(part)).toBe(within);
  });

  it('sees what is added, and nothing in an empty set', () => {
    const set = new PartIds();
    expect([set.size, set.covers('ASTRA/acme')]).toEqual([0, false]);
    set.add('ASTRA');
    expect([set.size, set.covers('ASTRA/acme'), set.within('ASTRA'), set.covers('ASTRAL')]).toEqual([1, true, false, false]);
  });

  it('looks a part up once per level of its id, whatever the set holds', () => {
    const many = new PartIds(Array.from({ length: 10_000 }, (_, i) => `watch/GAME/g-${i}`));
    expect(lookupsDuring(() => many.covers('NETBIRD/alice/tokens')).lookups).toBe(3);
    expect(lookupsDuring(() => many.covers('watch/GAME/g-9999')).lookups).toBe(1);
    expect(lookupsDuring(() => many.within('a/b/c/d')).lookups).toBe(3);
  });
});
