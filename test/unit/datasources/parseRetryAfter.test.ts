import { describe, expect, it } from 'vitest';
import { parseRetryAfter } from '../../../src/datasources/parseRetryAfter.js';

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-11-23T10:00:00Z');
  it.each([
    ['seconds', '3', 3000],
    ['zero', '0', 0],
    ['an HTTP-date in the future', 'Mon, 23 Nov 2026 10:00:05 GMT', 5000],
    ['an HTTP-date in the past', 'Mon, 23 Nov 2026 09:00:00 GMT', 0],
    ['the first of repeated headers', ['2', '9'], 2000],
  ])('reads %s', (_, header, ms) => {
    expect(parseRetryAfter(header, now)).toBe(ms);
  });

  it.each([['absent', undefined], ['empty', ''], ['negative', '-1'], ['a fraction', '1.5'], ['words', 'soon']])('ignores %s', (_, header) => {
    expect(parseRetryAfter(header, now)).toBeUndefined();
  });
});
