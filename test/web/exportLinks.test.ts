/**
 * The overview page's export links without the DOM (web/exportLinks.ts): the address with the
 * current filters, the saved file's name as tokengraph gives it, and its size as the page says it.
 */
import { describe, expect, it } from 'vitest';
import { exportFileName, exportHref, sizeText } from '../../web/exportLinks.js';
import { NO_FILTERS, normalizeFilters } from '../../web/filters.js';

describe('the export links', () => {
  it('are the export path with the filters as the query string', () => {
    expect(exportHref('/inventory.csv', NO_FILTERS)).toBe('/inventory.csv');
    expect(exportHref('/inventory.ndjson', normalizeFilters({ sources: ['NETBIRD'], findings: ['UNUSED', 'NEVER_USED'], within: 30 }))).toBe(
      '/inventory.ndjson?source=NETBIRD&finding=UNUSED&finding=NEVER_USED&within=30',
    );
  });

  it("save the file under tokengraph's name, or the fallback when it gives none or a path", () => {
    expect(exportFileName('attachment; filename="tokengraph-inventory-2026-11-23.csv"', 'x.csv')).toBe('tokengraph-inventory-2026-11-23.csv');
    expect(exportFileName(null, 'tokengraph-inventory.ndjson')).toBe('tokengraph-inventory.ndjson');
    expect(exportFileName('attachment; filename="../etc/passwd"', 'x.csv')).toBe('x.csv');
    expect(exportFileName('attachment', 'x.csv')).toBe('x.csv');
  });

  it.each([
    [0, '0 B'],
    [999, '999 B'],
    [1000, '1 kB'],
    [830_400, '830 kB'],
    [1_250_000, '1.3 MB'],
  ])('says %i bytes as %s', (bytes, text) => {
    expect(sizeText(bytes)).toBe(text);
  });
});
