/**
 * Turns the answers to `TokenOverview` (web/operations/tokenOverview.graphql) into the rows of
 * the overview table, the inventory's gaps and the list of failing sources. Plain functions
 * with no DOM, shared by the page and `npm run example`, so both show the same thing.
 *
 * The first answer carries the first page of the inventory and the page's own watched tokens
 * (`tokens(refs:)`); each "load more" answer carries the next page. The rows are the inventory's,
 * in its order (soonest expiry first), with each watched token that the loaded pages do not hold
 * placed among them by the same order and marked as watched; a watched token the inventory also
 * holds is one row, marked as watched.
 *
 * Nothing that fails hides the rest: a part of the inventory that could not be read is a gap
 * (named by source, code and count), a watched token that could not be read is a row saying
 * what went wrong, and every answered token is still a row. A token's history that could not be
 * read (while the history's database opens, say) is that row's alone (web/tokenHistory.ts).
 */
import type { TokenFinding, TokenOverviewQuery, TokenRef, TokenRowFragment, TokenSource, TokenStatus } from '../src/generated/client/graphql.js';
import { SOURCE_NAMES } from '../src/sources.js';
import type { Filterable } from './filters.js';
import type { FindingCount } from './findings.js';
import { errorCode, type GraphQLErrorLike } from './graphqlErrors.js';
import { historyErrorsByToken, isHistoryError, rowHistory, tokenPlace, type RowHistory } from './tokenHistory.js';
import { refLabel, SOURCE_LABELS } from './watchList.js';

/** A token counts as expiring soon when it expires within this many days. */
export const SOON_DAYS = 7;
const SOON_MS = SOON_DAYS * 24 * 60 * 60 * 1000;

/** How urgent a token's expiry is. */
/** How a row is marked: expired (red), expiring soon (amber), later, never (the upstream says it has no expiry) or unknown. */
export type Expiry = 'expired' | 'soon' | 'later' | 'never' | 'unknown';

export interface TokenRow {
  /** Unique within one table: the token's global id, or `watch:<index>` for a watched token with no data. */
  key: string;
  source: TokenSource;
  /** The token's id as shown (masked where it is secret), or the reference's for a watched token with no data. */
  tokenId: string;
  /** The token's name, or the reference for a watched token that was not answered. */
  name: string;
  owner: string | null;
  createdAt: string | null;
  lastUsedAt: string | null;
  expiresAt: string | null;
  /** `null` when the token was not answered. */
  status: TokenStatus | null;
  /** Its findings (contract §11), in `TokenFinding`'s order; `[]` when the token was not answered. */
  findings: TokenFinding[];
  expiry: Expiry;
  /** Why a watched token has no data: `not found`, or the error code. */
  problem?: string;
  /** The position in the page's watch list this row comes from, if it is watched there. */
  watchIndex?: number;
  /**
   * The token's reference, as the row's Revoke action names it. For a Crafter access token its
   * `tokenId` is the masked id: the real one is a credential the page never has.
   */
  ref: TokenRef;
  /** What its details show of its history: `not asked` where the answer has none (the terminal tools, a token not read). */
  history: RowHistory;
}

export interface OverviewAnswer {
  data?: TokenOverviewQuery | null;
  errors?: readonly GraphQLErrorLike[];
}

export type InventoryGap = NonNullable<TokenOverviewQuery['inventory']>['gaps'][number];

/** A source whose watched tokens failed in this answer, with the distinct error codes seen. */
export interface SourceFailure {
  source: TokenSource;
  label: string;
  codes: string[];
}

/** Where the inventory stands after the pages loaded so far (from the latest one). */
export interface InventoryState {
  /** Tokens matching the filter, over all pages. */
  totalCount: number;
  /** Inventory rows loaded so far. */
  loaded: number;
  collectedAt: string;
  hasNextPage: boolean;
  endCursor: string | null;
  gaps: InventoryGap[];
}

export interface Overview {
  rows: TokenRow[];
  /** `null` when no answer had an inventory (it failed, or was refused). */
  inventory: InventoryState | null;
  /** How many tokens have each finding, from the first answer (web/findings.ts); `null` when it has none. */
  findingCounts: FindingCount[] | null;
  /** The gaps of the read the counts come from: their tokens may be missing from the counts. */
  findingGaps: Array<{ source: TokenSource }>;
  /** Watched rows that are not (yet) among the inventory's loaded rows. */
  watchedOnly: number;
  failures: SourceFailure[];
  /** Errors that name no source (a bad argument, a refused request). */
  otherErrors: string[];
}

export function expiryOf(token: Pick<TokenRowFragment, 'status' | 'expiresAt'>, now: Date): Expiry {
  if (token.status === 'EXPIRED') return 'expired';
  if (token.status === 'NEVER_EXPIRES') return 'never';
  if (token.status === 'UNKNOWN' || token.expiresAt === null) return 'unknown';
  return Date.parse(token.expiresAt) - now.getTime() <= SOON_MS ? 'soon' : 'later';
}

/** The reference `token` is read by (its `tokenId` as shown: masked for a Crafter access token). */
function refOf(token: TokenRowFragment): TokenRef {
  const ref: TokenRef = { source: token.source, tokenId: token.tokenId };
  if ('accountId' in token) ref.accountId = token.accountId;
  if ('userId' in token) ref.userId = token.userId;
  return ref;
}

function tokenRow(token: TokenRowFragment, now: Date, historyErrors: readonly GraphQLErrorLike[] | undefined, watchIndex?: number): TokenRow {
  const row: TokenRow = {
    key: token.id,
    source: token.source,
    tokenId: token.tokenId,
    name: token.name ?? token.tokenId,
    owner: token.owner,
    createdAt: token.createdAt,
    lastUsedAt: token.lastUsedAt,
    expiresAt: token.expiresAt,
    status: token.status,
    findings: token.findings,
    expiry: expiryOf(token, now),
    ref: refOf(token),
    history: rowHistory(token, historyErrors),
  };
  return watchIndex === undefined ? row : { ...row, watchIndex };
}

function sourceOf(error: GraphQLErrorLike): TokenSource | undefined {
  const source = error.extensions?.upstream?.source;
  return typeof source === 'string' && Object.hasOwn(SOURCE_LABELS, source) ? (source as TokenSource) : undefined;
}

/**
 * The inventory's order (schema/inventory.graphql, `EXPIRES_AT_ASC`): soonest expiry first, no
 * expiry last, ties by source in `TokenSource`'s order, then token id, then id.
 */
export function compareRows(a: TokenRow, b: TokenRow): number {
  const ax = a.expiresAt === null ? null : Date.parse(a.expiresAt);
  const bx = b.expiresAt === null ? null : Date.parse(b.expiresAt);
  if (ax !== bx) {
    if (ax === null) return 1;
    if (bx === null) return -1;
    return ax < bx ? -1 : 1;
  }
  const rank = (row: TokenRow) => SOURCE_NAMES.indexOf(row.source);
  const text = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);
  return rank(a) - rank(b) || text(a.tokenId, b.tokenId) || text(a.key, b.key);
}

/**
 * The table for the pages loaded so far (`answers[0]` the first, with the watched tokens) and
 * the page's watch list. `keep` filters the watched tokens as the inventory was filtered
 * (filters.ts `keeps`); the inventory's rows are already filtered by tokengraph.
 */
export function overview(answers: readonly OverviewAnswer[], watch: readonly TokenRef[], now: Date, keep: (token: Filterable) => boolean = () => true): Overview {
  const rows: TokenRow[] = [];
  const byKey = new Map<string, TokenRow>();
  let inventory: InventoryState | null = null;
  for (const answer of answers) {
    const page = answer.data?.inventory;
    if (!page) continue;
    const historyErrors = historyErrorsByToken(answer.errors);
    for (const [index, token] of page.nodes.entries()) {
      if (byKey.has(token.id)) continue;
      const row = tokenRow(token, now, historyErrors.get(tokenPlace(['inventory', 'nodes', index])));
      byKey.set(row.key, row);
      rows.push(row);
    }
    inventory = {
      totalCount: page.totalCount,
      loaded: rows.length,
      collectedAt: page.collectedAt,
      hasNextPage: page.pageInfo.hasNextPage,
      endCursor: page.pageInfo.endCursor,
      gaps: page.gaps,
    };
  }

  const first = answers[0];
  const errors = answers.flatMap((answer) => answer.errors ?? []);
  const tokens = first?.data?.tokens;
  const watchedHistoryErrors = historyErrorsByToken(first?.errors);
  const watched: TokenRow[] = [];
  watch.forEach((ref, index) => {
    const token = tokens?.[index];
    if (token) {
      const listed = byKey.get(token.id);
      if (listed) {
        // The inventory holds it too: one row, marked as watched.
        listed.watchIndex ??= index;
        return;
      }
      const row = tokenRow(token, now, watchedHistoryErrors.get(tokenPlace(['tokens', index])), index);
      byKey.set(row.key, row);
      if (keep(row)) watched.push(row);
      return;
    }
    const error = (first?.errors ?? []).find((e) => e.path?.[0] === 'tokens' && (e.path.length === 1 || e.path[1] === index));
    const row: TokenRow = {
      key: `watch:${index}`,
      source: ref.source,
      tokenId: ref.tokenId,
      name: refLabel(ref),
      owner: null,
      createdAt: null,
      lastUsedAt: null,
      expiresAt: null,
      status: null,
      findings: [],
      expiry: 'unknown',
      problem: error ? errorCode(error) : tokens ? 'not found' : 'not answered',
      watchIndex: index,
      ref,
      history: { state: 'not asked' },
    };
    if (keep(row)) watched.push(row);
  });

  const failures = new Map<TokenSource, SourceFailure>();
  const otherErrors: string[] = [];
  for (const error of errors) {
    // A history field's error is shown where the history is: in its row's details, or by the Recent changes list.
    if (isHistoryError(error)) continue;
    const source = sourceOf(error);
    if (!source) {
      otherErrors.push(`${errorCode(error)}: ${error.message}`);
      continue;
    }
    const failure = failures.get(source) ?? { source, label: SOURCE_LABELS[source], codes: [] };
    if (!failure.codes.includes(errorCode(error))) failure.codes.push(errorCode(error));
    failures.set(source, failure);
  }
  const findingCounts = first?.data?.findingScope?.findingCounts ?? null;
  const findingGaps = first?.data?.findingScope?.gaps ?? [];
  return { rows: mergeInOrder(rows, watched.sort(compareRows)), inventory, findingCounts, findingGaps, watchedOnly: watched.length, failures: [...failures.values()], otherErrors };
}

/** `listed` in its own order, with each of `extra` (sorted) placed before the first listed row that sorts after it. */
function mergeInOrder(listed: readonly TokenRow[], extra: readonly TokenRow[]): TokenRow[] {
  const merged: TokenRow[] = [];
  let next = 0;
  for (const row of listed) {
    while (next < extra.length && compareRows(extra[next]!, row) < 0) merged.push(extra[next++]!);
    merged.push(row);
  }
  return merged.concat(extra.slice(next));
}

/**
 * One banner line for a gap: `NetBird: 23 parts could not be read (UPSTREAM_FORBIDDEN): user bob,
 * user carol, … — NetBird answered 403`. A source that cannot be listed at all says so.
 */
export function gapText(gap: InventoryGap): string {
  const label = SOURCE_LABELS[gap.source];
  if (gap.code === 'INVENTORY_NOT_CONFIGURED') return `${label} is not listed (${gap.code}): ${gap.message}`;
  const parts = gap.count === 1 ? '1 part' : `${gap.count} parts`;
  const scopes = gap.scopes.length > 0 ? `: ${gap.scopes.join(', ')}${gap.count > gap.scopes.length ? ', …' : ''}` : '';
  return `${label}: ${parts} could not be read (${gap.code})${scopes} — ${gap.message}`;
}

/** The banner line for a source whose watched tokens failed. */
export function failureText(failure: SourceFailure): string {
  return `${failure.label} is failing (${failure.codes.join(', ')}): its watched tokens could not be read. Tokens from the other sources are shown.`;
}

/** `2026-11-23 14:05` (UTC), or `—` for no date. */
export function formatDate(value: string | null): string {
  return value === null ? '—' : `${value.slice(0, 10)} ${value.slice(11, 16)}`;
}

/** `14:05:09 UTC`: when the inventory was read. */
export function formatTime(value: string): string {
  return `${value.slice(11, 19)} UTC`;
}

/** The state line: `204 tokens · 50 shown · collected 14:05:09 UTC`, watched tokens beyond the inventory counted apart. */
export function stateText(shown: Overview): string {
  const watched = shown.watchedOnly > 0 ? ` + ${shown.watchedOnly} watched` : '';
  if (!shown.inventory) return `inventory not read${shown.watchedOnly > 0 ? ` · ${shown.watchedOnly} watched` : ''}`;
  const { totalCount, loaded, collectedAt } = shown.inventory;
  return `${totalCount} ${totalCount === 1 ? 'token' : 'tokens'} · ${loaded} shown${watched} · collected ${formatTime(collectedAt)}`;
}

/** The status column: the status, with the expiry flag when it matters. */
export function statusText(row: TokenRow): string {
  if (row.problem) return row.problem;
  if (row.expiry === 'soon') return `${row.status} · expires soon`;
  return row.status ?? '—';
}
