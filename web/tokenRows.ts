/**
 * Turns the answer to `TokenOverview` (web/operations/tokenOverview.graphql) into the rows
 * of the overview table and the list of failing sources. Plain functions with no DOM,
 * shared by the page and `npm run example`, so both show the same thing.
 *
 * A source that fails does not hide the others: its tokens become rows that say what went
 * wrong, and the source is named in `failures`, while every answered token is still a row.
 */
import type { TokenOverviewQuery, TokenRef, TokenRowFragment, TokenSource, TokenStatus } from '../src/generated/client/graphql.js';
import { refLabel, SOURCE_LABELS } from './watchList.js';

/** A token counts as expiring soon when it expires within this many days. */
export const SOON_DAYS = 7;
const SOON_MS = SOON_DAYS * 24 * 60 * 60 * 1000;

/** How urgent a token's expiry is. */
export type Expiry = 'expired' | 'soon' | 'later' | 'unknown';

export interface TokenRow {
  /** Unique within one table. */
  key: string;
  source: TokenSource;
  /** The token's name, or the reference for a watched token that was not answered. */
  name: string;
  owner: string | null;
  createdAt: string | null;
  lastUsedAt: string | null;
  expiresAt: string | null;
  /** `null` when the token was not answered. */
  status: TokenStatus | null;
  expiry: Expiry;
  /** Why a watched token has no data: `not found`, or the error code. */
  problem?: string;
  /** The position in the watch list this row comes from, if any. */
  watchIndex?: number;
}

/** What the page and the example need of a GraphQL error. */
export interface GraphQLErrorLike {
  message: string;
  path?: readonly (string | number)[];
  extensions?: { code?: unknown; upstream?: { source?: unknown } };
}

export interface OverviewAnswer {
  data?: TokenOverviewQuery | null;
  errors?: readonly GraphQLErrorLike[];
}

/** A source whose fields failed in this answer, with the distinct error codes seen. */
export interface SourceFailure {
  source: TokenSource;
  label: string;
  codes: string[];
}

export interface Overview {
  rows: TokenRow[];
  failures: SourceFailure[];
  /** Errors that name no source (a bad reference, a refused request). */
  otherErrors: string[];
}

export function expiryOf(token: Pick<TokenRowFragment, 'status' | 'expiresAt'>, now: Date): Expiry {
  if (token.status === 'EXPIRED') return 'expired';
  if (token.status === 'UNKNOWN' || token.expiresAt === null) return 'unknown';
  return Date.parse(token.expiresAt) - now.getTime() <= SOON_MS ? 'soon' : 'later';
}

function tokenRow(token: TokenRowFragment, now: Date, watchIndex?: number): TokenRow {
  const row: TokenRow = {
    key: token.id,
    source: token.source,
    name: token.name ?? token.tokenId,
    owner: token.owner,
    createdAt: token.createdAt,
    lastUsedAt: token.lastUsedAt,
    expiresAt: token.expiresAt,
    status: token.status,
    expiry: expiryOf(token, now),
  };
  return watchIndex === undefined ? row : { ...row, watchIndex };
}

const codeOf = (error: GraphQLErrorLike) => (typeof error.extensions?.code === 'string' ? error.extensions.code : 'ERROR');

function sourceOf(error: GraphQLErrorLike): TokenSource | undefined {
  const source = error.extensions?.upstream?.source;
  return typeof source === 'string' && Object.hasOwn(SOURCE_LABELS, source) ? (source as TokenSource) : undefined;
}

export function overview(answer: OverviewAnswer, watch: readonly TokenRef[], now: Date): Overview {
  const errors = answer.errors ?? [];
  const rows: TokenRow[] = (answer.data?.crafterAccessTokens ?? []).map((token) => tokenRow(token, now));
  const seen = new Set(rows.map((row) => row.key));
  const tokens = answer.data?.tokens;
  watch.forEach((ref, index) => {
    const token = tokens?.[index];
    if (token) {
      // A watched Crafter access token is already a row of the list.
      if (!seen.has(token.id)) rows.push(tokenRow(token, now, index));
      seen.add(token.id);
      return;
    }
    const error = errors.find((e) => e.path?.[0] === 'tokens' && (e.path.length === 1 || e.path[1] === index));
    rows.push({
      key: `watch:${index}`,
      source: ref.source,
      name: refLabel(ref),
      owner: null,
      createdAt: null,
      lastUsedAt: null,
      expiresAt: null,
      status: null,
      expiry: 'unknown',
      problem: error ? codeOf(error) : tokens ? 'not found' : 'not answered',
      watchIndex: index,
    });
  });

  const failures = new Map<TokenSource, SourceFailure>();
  const otherErrors: string[] = [];
  for (const error of errors) {
    const source = sourceOf(error);
    if (!source) {
      otherErrors.push(`${codeOf(error)}: ${error.message}`);
      continue;
    }
    const failure = failures.get(source) ?? { source, label: SOURCE_LABELS[source], codes: [] };
    if (!failure.codes.includes(codeOf(error))) failure.codes.push(codeOf(error));
    failures.set(source, failure);
  }
  return { rows, failures: [...failures.values()], otherErrors };
}

/** `2026-11-23 14:05` (UTC), or `—` for no date. */
export function formatDate(value: string | null): string {
  return value === null ? '—' : `${value.slice(0, 10)} ${value.slice(11, 16)}`;
}

/** The status column: the status, with the expiry flag when it matters. */
export function statusText(row: TokenRow): string {
  if (row.problem) return row.problem;
  if (row.expiry === 'soon') return `${row.status} · expires soon`;
  return row.status ?? '—';
}
