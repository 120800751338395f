/**
 * What the inventory's and tokenEvents' pages share (src/shared/pages.ts): `first` from 1 to a
 * maximum, and cursors as base64url of a JSON array, read back only when they are exactly that.
 */
import { describe, expect, it } from 'vitest';
import { cursorOf, cursorValues, pageFirst } from '../../../src/shared/pages.js';

describe('pageFirst', () => {
  it('takes an integer from 1 to the maximum', () => {
    expect(pageFirst(1, 500)).toBe(1);
    expect(pageFirst(500, 500)).toBe(500);
  });

  it.each([0, 501, 2.5, Number.NaN])('refuses %s as BAD_USER_INPUT, naming the range', (first) => {
    expect(() => pageFirst(first, 500)).toThrow(expect.objectContaining({ code: 'BAD_USER_INPUT', message: `first must be between 1 and 500, got ${first}` }));
  });
});

describe('cursors', () => {
  it('read back the values they were made of', () => {
    const values = [1, 'EXPIRES_AT_ASC', null, 'NETBIRD', 'nb-1', 'id'];
    expect(cursorValues(cursorOf(values), 200, 6)).toEqual(values);
  });

  it.each([
    ['too long', cursorOf(['x'.repeat(300)]), 1],
    ['not base64url', '+/=', 1],
    ['not JSON', Buffer.from('{oops').toString('base64url'), 1],
    ['not an array', Buffer.from('{"a":1}').toString('base64url'), 1],
    ['another length', cursorOf([1, 2]), 3],
  ])('are refused when %s', (_, cursor, length) => {
    expect(cursorValues(cursor, 200, length)).toBeUndefined();
  });
});
