import { describe, expect, it } from 'vitest';
import { normalizeDate } from '../../../src/shared/dates.js';

describe('normalizeDate', () => {
  it.each([
    ['epoch milliseconds (Crafter)', 1495664265318, '2017-05-24T22:17:45.318Z'],
    ['epoch zero', 0, '1970-01-01T00:00:00.000Z'],
    ['ISO with Z (NetBird)', '2023-04-26T12:12:56.621Z', '2023-04-26T12:12:56.621Z'],
    ['ISO with Z and no fraction', '2023-04-26T12:12:56Z', '2023-04-26T12:12:56.000Z'],
    ['ISO with a positive offset', '2023-04-26T14:12:56.621+02:00', '2023-04-26T12:12:56.621Z'],
    ['ISO with a negative offset crossing midnight', '2023-04-26T22:30:00.000-03:30', '2023-04-27T02:00:00.000Z'],
    ['.NET seven digits with Z (Games JSON)', '2025-12-11T17:08:30.8449349Z', '2025-12-11T17:08:30.844Z'],
    ['.NET seven digits with an offset (Games XML)', '2025-12-11T11:08:30.8449349-06:00', '2025-12-11T17:08:30.844Z'],
    ['.NET seven digits with no zone means UTC', '2025-12-11T17:08:30.8449349', '2025-12-11T17:08:30.844Z'],
    ['truncates, never rounds', '2025-12-31T23:59:59.9999999Z', '2025-12-31T23:59:59.999Z'],
    ['one fractional digit', '2025-12-11T17:08:30.5Z', '2025-12-11T17:08:30.500Z'],
    ['leap day', '2024-02-29T00:00:00Z', '2024-02-29T00:00:00.000Z'],
  ])('reads %s', (_, input, expected) => {
    expect(normalizeDate(input)).toBe(expected);
  });

  it.each([
    ['an empty string', ''],
    ['words', 'yesterday'],
    ['a date without a time', '2025-12-11'],
    ['month 13', '2025-13-01T00:00:00Z'],
    ['February 30th', '2025-02-30T00:00:00Z'],
    ['February 29th of a common year', '2023-02-29T00:00:00Z'],
    ['hour 24', '2025-01-01T24:00:00Z'],
    ['an offset past 23 hours', '2025-01-01T00:00:00+24:00'],
    ['ten fractional digits', '2025-12-11T17:08:30.8449349123Z'],
    ['a fractional epoch', 1495664265318.5],
    ['an epoch beyond what a Date holds', 9e15],
    ['NaN', Number.NaN],
    ['a boolean', true],
    ['an object', { $date: 1 }],
    ['a year beyond 9999 in epoch', 253402300800000],
  ])('refuses %s', (_, input) => {
    expect(normalizeDate(input)).toBeUndefined();
  });
});
