import { describe, expect, it } from 'vitest';
import { inOrder, searchWithParam } from '../../web/searchParams.js';

describe("the page's URL parameters", () => {
  it('reads a list of known values in their order, no repeats, unknown ones skipped', () => {
    expect(inOrder(['A', 'B', 'C'] as const, ['C', 'x', 'A', 'C'])).toEqual(['A', 'C']);
    expect(inOrder(['A', 'B'] as const, [])).toEqual([]);
  });

  it('writes one repeated parameter anew, after the others, keeping them in order', () => {
    expect(searchWithParam('?k=1&a=2&k=3&b=4', 'k', ['x', 'y'])).toBe('?a=2&b=4&k=x&k=y');
    expect(searchWithParam('?k=1', 'k', [])).toBe('');
    expect(searchWithParam('', 'k', [''])).toBe('?k=');
    expect(searchWithParam('?a=1', 'k', ['a/b c'])).toBe('?a=1&k=a%2Fb+c');
  });
});
