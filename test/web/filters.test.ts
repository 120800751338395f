import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { TokenFinding, TokenSource, TokenStatus } from '../../src/generated/client/graphql.js';
import { exportFilter } from '../../src/http/inventoryExport.js';
import { SOURCE_NAMES } from '../../src/sources.js';
import {
  exportSearch,
  filtersFromSearch,
  keeps,
  MAX_SEARCH_LENGTH,
  NO_FILTERS,
  normalizeFilters,
  searchWithFilters,
  STATUSES,
  tokenFilter,
  withinDays,
  withoutFindings,
  type Filterable,
  type Filters,
} from '../../web/filters.js';
import { FINDINGS } from '../../web/findings.js';
import { searchWithWatch, watchFromSearch } from '../../web/watchList.js';

const NOW = new Date('2026-11-23T12:00:00.000Z');
const DAY = 86_400_000;
const at = (days: number) => new Date(NOW.getTime() + days * DAY).toISOString();

const filters: fc.Arbitrary<Filters> = fc
  .record({
    sources: fc.subarray(SOURCE_NAMES as TokenSource[]),
    statuses: fc.subarray(STATUSES as TokenStatus[]),
    findings: fc.subarray(FINDINGS as TokenFinding[]),
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
    const chosen = normalizeFilters({ sources: ['GAME', 'NETBIRD'], statuses: ['ACTIVE'], findings: ['MASTER', 'NEVER_EXPIRES'], within: 14, search: 'backup' });
    expect(searchWithFilters('?watch=GAME%2Fx', chosen)).toBe('?source=NETBIRD&source=GAME&status=ACTIVE&finding=NEVER_EXPIRES&finding=MASTER&within=14&q=backup&watch=GAME%2Fx');
    expect(searchWithFilters('?source=GAME', NO_FILTERS)).toBe('');
  });

  it('skip what they do not know, and keep sources and statuses in the schema order, once each', () => {
    expect(filtersFromSearch('?source=GITHUB&source=GAME&source=ASTRA&source=GAME&status=active&status=EXPIRED&finding=UNUSED&finding=NEVR_EXPIRES&finding=EXPIRED&finding=UNUSED&within=-3&q=%20x%20')).toEqual({
      sources: ['ASTRA', 'GAME'],
      statuses: ['EXPIRED'],
      findings: ['EXPIRED', 'UNUSED'],
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
    expect(tokenFilter(normalizeFilters({ sources: ['NETBIRD'], statuses: ['ACTIVE', 'EXPIRED'], findings: ['LONG_LIVED'], within: 14, search: 'backup' }), NOW)).toEqual({
      sources: ['NETBIRD'],
      status: ['ACTIVE', 'EXPIRED'],
      findings: ['LONG_LIVED'],
      expiresBefore: at(14),
      search: 'backup',
    });
  });

  it('keeps the watched tokens tokengraph would keep: every condition, an expiry before the limit, search over name, owner and id', () => {
    const token = (overrides: Partial<Filterable>): Filterable => ({ source: 'NETBIRD', name: 'Backup job', owner: 'svc-backup', tokenId: 'nb-7', status: 'ACTIVE', expiresAt: at(3), findings: [], ...overrides });
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

    // Findings: any of those chosen; a watched reference with no data has none.
    const byFinding = keeps(tokenFilter(normalizeFilters({ findings: ['NEVER_USED', 'OWNER_INACTIVE'] }), NOW));
    expect(byFinding(token({ findings: ['EXPIRES_SOON', 'OWNER_INACTIVE'] }))).toBe(true);
    expect(byFinding(token({ findings: ['NEVER_USED'] }))).toBe(true);
    expect(byFinding(token({ findings: ['EXPIRES_SOON', 'UNUSED'] }))).toBe(false);
    expect(byFinding(token({ findings: [], status: null, expiresAt: null }))).toBe(false);
  });

  it('counts the findings over the same filter without its findings, and over no filter when findings were all it had', () => {
    const full = tokenFilter(normalizeFilters({ sources: ['ASTRA'], findings: ['NEVER_EXPIRES'], within: 3 }), NOW);
    expect(withoutFindings(full)).toEqual({ sources: ['ASTRA'], expiresBefore: at(3) });
    expect(full!.findings).toEqual(['NEVER_EXPIRES']);
    expect(withoutFindings(tokenFilter(normalizeFilters({ findings: ['MASTER'] }), NOW))).toBeNull();
    const plain = tokenFilter(normalizeFilters({ search: 'x' }), NOW);
    expect(withoutFindings(plain)).toBe(plain);
    expect(withoutFindings(null)).toBeNull();
  });
});

describe('the export links', () => {
  it("carry the filters and nothing else, and tokengraph's export reads them as the filter the page sends", () => {
    fc.assert(
      fc.property(filters, (chosen) => {
        const search = exportSearch(chosen);
        expect(filtersFromSearch(search)).toEqual(chosen);
        expect(new URLSearchParams(search).has('watch')).toBe(false);
        expect(exportFilter(new URLSearchParams(search), NOW.getTime())).toEqual(tokenFilter(chosen, NOW) ?? {});
      }),
    );
    expect(exportSearch(normalizeFilters({ statuses: ['EXPIRED'], findings: ['MASTER'], search: 'a b&c' }))).toBe('?status=EXPIRED&finding=MASTER&q=a+b%26c');
    expect(exportSearch(NO_FILTERS)).toBe('');
  });
});

describe('the watch list beside the filters', () => {
  it('writes an empty list as no parameter, unless a default list needs telling apart', () => {
    expect(searchWithWatch('?status=ACTIVE&watch=GAME%2Fx', [])).toBe('?status=ACTIVE');
    expect(searchWithWatch('', [], [{ source: 'GAME', tokenId: 'x' }])).toBe('?watch=');
  });
});
