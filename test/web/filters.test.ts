import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { TokenSource, TokenStatus } from '../../src/generated/client/graphql.js';
import { SOURCE_NAMES } from '../../src/sources.js';
import {
  filtersFromSearch,
  keeps,
  MAX_SEARCH_LENGTH,
  NO_FILTERS,
  normalizeFilters,
  searchWithFilters,
  STATUSES,
  tokenFilter,
  withinDays,
  type Filterable,
  type Filters,
} from '../../web/filters.js';
import { searchWithWatch, watchFromSearch } from '../../web/watchList.js';

const NOW = new Date('2026-11-23T12:00:00.000Z');
const DAY = 86_400_000;
const at = (days: number) => new Date(NOW.getTime() + days * DAY).toISOString();

const filters: fc.Arbitrary<Filters> = fc
  .record({
    sources: fc.subarray(SOURCE_NAMES as TokenSource[]),
    statuses: fc.subarray(STATUSES as TokenStatus[]),
    within: fc.option(fc.integer({ min: 0, max: 3650 }), { nil: null }),
    search: fc.string({ unit: 'binary', maxLength: 300 }),
  })
  .map(normalizeFilters);

describe('the filters in the URL', () => {
  it('round-trip, whatever the search holds, and leave the watch list as it was', () => {
    fc.assert(
      fc.property(filters, fc.constantFrom('', '?watch=GAME%2Fgame-demo-1&watch=NETBIRD%2Fsvc-monitoring%2Fnb-demo-3', '?source=ASTRA&q=old'), (chosen, search) => {
        const written = searchWithFilters(search, chosen);
        expect(filtersFromSearch(written)).toEqual(chosen);
        expect(watchFromSearch(written)).toEqual(watchFromSearch(search));
      }),
    );
  });

  it('are written first and readable, the watch list after them', () => {
    const chosen = normalizeFilters({ sources: ['GAME', 'NETBIRD'], statuses: ['ACTIVE'], within: 14, search: 'backup' });
    expect(searchWithFilters('?watch=GAME%2Fx', chosen)).toBe('?source=NETBIRD&source=GAME&status=ACTIVE&within=14&q=backup&watch=GAME%2Fx');
    expect(searchWithFilters('?source=GAME', NO_FILTERS)).toBe('');
  });

  it('skip what they do not know, and keep sources and statuses in the schema order, once each', () => {
    expect(filtersFromSearch('?source=GITHUB&source=GAME&source=ASTRA&source=GAME&status=active&status=EXPIRED&within=-3&q=%20x%20')).toEqual({
      sources: ['ASTRA', 'GAME'],
      statuses: ['EXPIRED'],
      within: null,
      search: 'x',
    });
    expect(filtersFromSearch('?q=' + 'y'.repeat(400)).search).toHaveLength(MAX_SEARCH_LENGTH);
  });

  it.each([
    ['7', 7],
    [' 0 ', 0],
    ['3650', 3650],
    ['3651', null],
    ['1.5', null],
    ['1e3', null],
    ['', null],
    [null, null],
  ])('reads "expiring within" %j as %j', (value, days) => {
    expect(withinDays(value)).toBe(days);
  });
});

describe("the inventory's filter argument", () => {
  it('is null with no filters, and otherwise names only what is set', () => {
    expect(tokenFilter(NO_FILTERS, NOW)).toBeNull();
    expect(tokenFilter(normalizeFilters({ sources: ['NETBIRD'], statuses: ['ACTIVE', 'EXPIRED'], within: 14, search: 'backup' }), NOW)).toEqual({
      sources: ['NETBIRD'],
      status: ['ACTIVE', 'EXPIRED'],
      expiresBefore: at(14),
      search: 'backup',
    });
  });

  it('keeps the watched tokens tokengraph would keep: every condition, an expiry before the limit, search over name, owner and id', () => {
    const token = (overrides: Partial<Filterable>): Filterable => ({ source: 'NETBIRD', name: 'Backup job', owner: 'svc-backup', tokenId: 'nb-7', status: 'ACTIVE', expiresAt: at(3), ...overrides });
    const keep = keeps(tokenFilter(normalizeFilters({ sources: ['NETBIRD', 'GAME'], statuses: ['ACTIVE'], within: 7, search: 'BACKUP' }), NOW));
    expect(keep(token({}))).toBe(true);
    expect(keep(token({ name: 'ci', owner: 'alice', tokenId: 'my-backup-1' }))).toBe(true);
    expect(keep(token({ name: 'ci', owner: 'alice' }))).toBe(false);
    expect(keep(token({ source: 'ASTRA' }))).toBe(false);
    expect(keep(token({ status: 'EXPIRED' }))).toBe(false);
    expect(keep(token({ expiresAt: at(7) }))).toBe(false);
    expect(keep(token({ expiresAt: null }))).toBe(false);
    // A watched reference with no data has no status and no expiry.
    expect(keeps(tokenFilter(normalizeFilters({ statuses: ['UNKNOWN'] }), NOW))(token({ status: null }))).toBe(false);
    expect(keeps(null)(token({ status: null, expiresAt: null }))).toBe(true);
  });
});

describe('the watch list beside the filters', () => {
  it('writes an empty list as no parameter, unless a default list needs telling apart', () => {
    expect(searchWithWatch('?status=ACTIVE&watch=GAME%2Fx', [])).toBe('?status=ACTIVE');
    expect(searchWithWatch('', [], [{ source: 'GAME', tokenId: 'x' }])).toBe('?watch=');
  });
});
