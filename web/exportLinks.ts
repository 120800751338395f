/**
 * The overview page's "Export CSV" and "Export NDJSON" links (contract §11): tokengraph's
 * /inventory.csv and /inventory.ndjson with the page's current filters as the query string, kept
 * current as the filters change, so a link copied from the page is the view as an export.
 *
 * tokengraph may want an API key for them, as for /graphql, and a plain link cannot send an
 * Authorization header; the key must never go into a URL. So a click on either link (the page,
 * web/overview.ts) fetches it with the key the page holds in memory (graphqlClient.ts
 * `getWithKey`), and saves what comes as a file through a Blob object URL and an `<a download>`.
 * One way for every mode: in open mode the fetch simply carries no key.
 *
 * Plain functions with no DOM.
 */
import { exportSearch, type Filters } from './filters.js';

/** The link's address: its path (as the server wrote it) with the filters as the query string. */
export function exportHref(path: string, filters: Filters): string {
  return `${path}${exportSearch(filters)}`;
}

/** The file name tokengraph's `Content-Disposition` gives (`tokengraph-inventory-2026-11-23.csv`), else `fallback`. */
export function exportFileName(disposition: string | null, fallback: string): string {
  const name = /filename="([^"/\\]+)"/.exec(disposition ?? '')?.[1];
  return name ?? fallback;
}

/** `1.2 MB`, `830 kB`, `512 B`: the size of a saved export. */
export function sizeText(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  if (bytes < 1_000_000) return `${Math.round(bytes / 1000)} kB`;
  return `${(bytes / 1_000_000).toFixed(1)} MB`;
}
