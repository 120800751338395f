/**
 * The overview page's filters, kept in its URL beside the watch list so that a view can be
 * bookmarked and shared:
 *
 *   ?source=NETBIRD&source=GAME&status=ACTIVE&finding=NEVER_EXPIRES&within=14&q=backup&watch=…
 *
 * - `source` (repeated): the token's source is one of these; none: every source.
 * - `status` (repeated): its status is one of these; none: every status.
 * - `finding` (repeated): it has any of these findings (web/findings.ts); none: findings or not.
 * - `within`: it expires within this many days (it has an expiry, before now + N days).
 * - `q`: a case-insensitive part of its name, owner or shown token id.
 *
 * Unknown or unreadable values are skipped. The inventory is filtered by tokengraph
 * (`TokenFilter`); the page's own watched tokens, which come from `tokens(refs:)`, are
 * filtered here by the same rules (`keeps`). The same parameters, without the watch list, are the
 * query string of the page's export links (`exportSearch`): tokengraph's /inventory.csv and
 * /inventory.ndjson read them as the page writes them. Plain functions with no DOM.
 */
import type { TokenFilter, TokenFinding, TokenSource, TokenStatus } from '../src/generated/client/graphql.js';
import { SOURCE_NAMES } from '../src/sources.js';
import { FINDINGS } from './findings.js';
import { inOrder } from './searchParams.js';

export interface Filters {
  /** In `TokenSource`'s order, no repeats; empty: every source. */
  sources: TokenSource[];
  /** In `TokenStatus`'s order, no repeats; empty: every status. */
  statuses: TokenStatus[];
  /** In `TokenFinding`'s order, no repeats; empty: findings or not. */
  findings: TokenFinding[];
  /** "Expiring within N days", or `null` for no limit. */
  within: number | null;
  /** Searched for in name, owner and token id; `''` for no search. */
  search: string;
}

export const NO_FILTERS: Readonly<Filters> = { sources: [], statuses: [], findings: [], within: null, search: '' };

/** Every status, in `TokenStatus`'s order (schema/token.graphql): written as a record of the generated type, so one the schema gains and this lacks fails the type check (test/web/schemaEnums.test.ts checks the order). */
export const STATUSES = Object.keys({ ACTIVE: 0, EXPIRED: 0, NEVER_EXPIRES: 0, UNKNOWN: 0 } satisfies Record<TokenStatus, 0>) as readonly TokenStatus[];
/** The longest "expiring within" the page offers, in days (ten years). */
export const MAX_WITHIN_DAYS = 3650;
/** tokengraph refuses a longer search, in characters (schema/inventory.graphql). */
export const MAX_SEARCH_LENGTH = 256;

export const FILTER_PARAMS = { source: 'source', status: 'status', finding: 'finding', within: 'within', search: 'q' } as const;

const DAY_MS = 24 * 60 * 60 * 1000;

/** `value` as a number of days the page accepts, or `null`. */
export function withinDays(value: string | null | undefined): number | null {
  if (value === null || value === undefined || !/^\d{1,4}$/.test(value.trim())) return null;
  const days = Number(value.trim());
  return days <= MAX_WITHIN_DAYS ? days : null;
}

/** Filters as the page reads them from its form or URL: known values in order, the search trimmed and cut to its limit. */
export function normalizeFilters(filters: { sources?: Iterable<string>; statuses?: Iterable<string>; findings?: Iterable<string>; within?: number | null; search?: string }): Filters {
  const within = filters.within ?? null;
  return {
    sources: inOrder(SOURCE_NAMES as readonly TokenSource[], filters.sources ?? []),
    statuses: inOrder(STATUSES, filters.statuses ?? []),
    findings: inOrder(FINDINGS, filters.findings ?? []),
    within: within !== null && Number.isInteger(within) && within >= 0 && within <= MAX_WITHIN_DAYS ? within : null,
    // Cut by characters (code points), as tokengraph counts them, never inside one.
    search: [...(filters.search ?? '').trim()].slice(0, MAX_SEARCH_LENGTH).join('').trim(),
  };
}

/** The filters a URL's query string names. */
export function filtersFromSearch(search: string): Filters {
  const params = new URLSearchParams(search);
  return normalizeFilters({
    sources: params.getAll(FILTER_PARAMS.source),
    statuses: params.getAll(FILTER_PARAMS.status),
    findings: params.getAll(FILTER_PARAMS.finding),
    within: withinDays(params.get(FILTER_PARAMS.within)),
    search: params.get(FILTER_PARAMS.search) ?? '',
  });
}

/** `search` with its filters replaced by `filters`, written first; every other parameter (the watch list) is kept, in order. */
export function searchWithFilters(search: string, filters: Filters): string {
  const params = new URLSearchParams();
  for (const source of filters.sources) params.append(FILTER_PARAMS.source, source);
  for (const status of filters.statuses) params.append(FILTER_PARAMS.status, status);
  for (const finding of filters.findings) params.append(FILTER_PARAMS.finding, finding);
  if (filters.within !== null) params.append(FILTER_PARAMS.within, String(filters.within));
  if (filters.search !== '') params.append(FILTER_PARAMS.search, filters.search);
  const names = new Set<string>(Object.values(FILTER_PARAMS));
  for (const [name, value] of new URLSearchParams(search)) if (!names.has(name)) params.append(name, value);
  const written = params.toString();
  return written === '' ? '' : `?${written}`;
}

/**
 * The query string of the export links (`/inventory.csv?…`, `/inventory.ndjson?…`): the filters as
 * the page's URL writes them, nothing else (no watch list: an export is the inventory).
 */
export function exportSearch(filters: Filters): string {
  return searchWithFilters('', filters);
}

/** The inventory's `filter` argument for these filters at `now`, or `null` for none. */
export function tokenFilter(filters: Filters, now: Date): TokenFilter | null {
  const filter: TokenFilter = {};
  if (filters.sources.length > 0) filter.sources = [...filters.sources];
  if (filters.statuses.length > 0) filter.status = [...filters.statuses];
  if (filters.findings.length > 0) filter.findings = [...filters.findings];
  if (filters.within !== null) filter.expiresBefore = new Date(now.getTime() + filters.within * DAY_MS).toISOString();
  if (filters.search !== '') filter.search = filters.search;
  return Object.keys(filter).length > 0 ? filter : null;
}

/**
 * `filter` without its findings: what the page's finding counts are counted over, so that each
 * count says how many tokens its finding selects among the other filters, whichever findings are
 * selected (web/findings.ts).
 */
export function withoutFindings(filter: TokenFilter | null): TokenFilter | null {
  if (!filter?.findings) return filter;
  const rest: TokenFilter = { ...filter };
  delete rest.findings;
  return Object.keys(rest).length > 0 ? rest : null;
}

/** What `keeps` reads of a token: a `TokenRow`, or a watched reference with no data (status and expiry `null`). */
export interface Filterable {
  source: TokenSource;
  name: string | null;
  owner: string | null;
  tokenId: string;
  status: TokenStatus | null;
  expiresAt: string | null;
  /** `[]` for a watched reference with no data. */
  findings: readonly TokenFinding[];
}

/**
 * The same test tokengraph applies to the inventory (`TokenFilter`), for the tokens the page
 * watches itself: `filter` is what was sent, so both sides use the same instant.
 */
export function keeps(filter: TokenFilter | null): (token: Filterable) => boolean {
  if (!filter) return () => true;
  const sources = filter.sources ? new Set<string>(filter.sources) : undefined;
  const statuses = filter.status ? new Set<string>(filter.status) : undefined;
  const findings = filter.findings ? new Set<string>(filter.findings) : undefined;
  const before = filter.expiresBefore ? Date.parse(filter.expiresBefore) : undefined;
  const search = filter.search ? filter.search.toLowerCase() : undefined;
  return (token) =>
    (!sources || sources.has(token.source)) &&
    (!statuses || (token.status !== null && statuses.has(token.status))) &&
    (!findings || token.findings.some((finding) => findings.has(finding))) &&
    (before === undefined || (token.expiresAt !== null && Date.parse(token.expiresAt) < before)) &&
    (search === undefined || [token.name ?? '', token.owner ?? '', token.tokenId].some((text) => text.toLowerCase().includes(search)));
}
