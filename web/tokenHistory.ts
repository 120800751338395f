/**
 * The history (contract §12) as the overview page shows it: a token's history in its row's details,
 * and the "Recent changes" list across every token. Plain data and functions with no DOM.
 *
 * - A row's details: `firstSeenAt` and the token's newest 20 events (`history(first: 20)`), asked
 *   in the page's own request (TokenOverview's `withHistory`). The fields are nullable: while the
 *   history's database opens (a few seconds after tokengraph starts) they are `null` with
 *   `UPSTREAM_UNAVAILABLE` and the message `the history is opening (…)`, and the token is still
 *   answered. So a row's history is shown, or failed (opening, or unavailable for another reason),
 *   and never breaks the table: its errors are the row's, not the page's.
 * - Recent changes: `tokenEvents`, newest first, 20 a page, filtered by the page's sources and the
 *   kinds chosen beside the list (kept in the URL as `kind`, repeated). Its first page comes with
 *   the page's request (`recentChanges`), the next ones with `RecentChanges`
 *   (web/operations/recentChanges.graphql) after the last cursor. Only a first page asks the
 *   count (a query of its own): the pages after it hold older events, which that count includes.
 * - An event names its token as it was (its id as shown, masked where it is secret) and by its
 *   global id, which links the event to its row while that token is listed on the page. A Crafter
 *   ticket's events are kept under a global id made from the ticket's fingerprint (its real one
 *   carries the ticket id, a credential), so they never link to a row.
 */
import type { HistoryEventFragment, RecentChangesPageFragment, TokenEventFilter, TokenEventKind, TokenSource } from '../src/generated/client/graphql.js';
import { errorCode, type GraphQLErrorLike } from './graphqlErrors.js';
import { inOrder, searchWithParam } from './searchParams.js';

export type HistoryEvent = HistoryEventFragment;
/** A page of Recent changes, with the count when it is a first page. */
export type ChangesPage = RecentChangesPageFragment & { totalCount?: number };
export type RecentChange = ChangesPage['nodes'][number];

/** Every kind, in `TokenEventKind`'s order (schema/history.graphql): written as a record of the generated type, so one the schema gains and this lacks fails the type check (test/web/schemaEnums.test.ts checks the order). */
export const EVENT_KINDS = Object.keys({ APPEARED: 0, DISAPPEARED: 0, CHANGED: 0, EXPIRED: 0, REVOKED: 0 } satisfies Record<TokenEventKind, 0>) as readonly TokenEventKind[];

/** The URL parameter of the kinds Recent changes shows (repeated; none: every kind). */
export const KIND_PARAM = 'kind';

/** Why the history could not be shown. */
export interface HistoryProblem {
  /** The history's database is still opening: tokengraph started moments ago, and asking again soon will do. */
  opening: boolean;
  code: string;
  message: string;
}

/** What a row's details show of its token's history. */
export type RowHistory =
  | { state: 'shown'; firstSeenAt: string | null; events: readonly HistoryEvent[] }
  | { state: 'failed'; problem: HistoryProblem }
  /** The answer did not ask for it (the terminal tools), or the row has no token (a watched one not found). */
  | { state: 'not asked' };

/** The message tokengraph's history fields fail with while its database opens (src/history/createHistory.ts). */
const OPENING = /^the history is opening\b/;
/** A token's fields that come from the history. */
const TOKEN_FIELDS: ReadonlySet<unknown> = new Set(['history', 'firstSeenAt']);
/** The page's own history fields at the top of an answer: TokenOverview's alias and RecentChanges' fields. */
const TOP_FIELDS: ReadonlySet<unknown> = new Set(['recentChanges', 'tokenEvents', 'tokenHistory']);

export function historyProblem(error: GraphQLErrorLike): HistoryProblem {
  const code = errorCode(error);
  return { opening: code === 'UPSTREAM_UNAVAILABLE' && OPENING.test(error.message), code, message: error.message };
}

/** Whether `error` is about a history field: a token's `history` or `firstSeenAt`, or a list of events. Such errors are shown where the history is, not as the page's. */
export function isHistoryError(error: GraphQLErrorLike): boolean {
  const path = error.path ?? [];
  return path.length === 1 ? TOP_FIELDS.has(path[0]) : path.length > 1 && TOKEN_FIELDS.has(path.at(-1));
}

/** The errors of each token's history fields, by the token's place in the answer (`["inventory","nodes",3]` as JSON). */
export function historyErrorsByToken(errors: readonly GraphQLErrorLike[] | undefined): Map<string, GraphQLErrorLike[]> {
  const byToken = new Map<string, GraphQLErrorLike[]>();
  for (const error of errors ?? []) {
    const path = error.path ?? [];
    if (path.length < 2 || !TOKEN_FIELDS.has(path.at(-1))) continue;
    const at = tokenPlace(path.slice(0, -1));
    byToken.set(at, [...(byToken.get(at) ?? []), error]);
  }
  return byToken;
}

/** How `historyErrorsByToken` names a token's place in the answer. */
export function tokenPlace(path: readonly (string | number)[]): string {
  return JSON.stringify(path);
}

/** A token's history as its row shows it, from the token's fields and the errors of those fields. */
export function rowHistory(token: { firstSeenAt?: string | null; history?: readonly HistoryEvent[] | null }, errors: readonly GraphQLErrorLike[] = []): RowHistory {
  // The history's own error says most; `firstSeenAt` fails for the same reason.
  const error = errors.find((e) => e.path?.at(-1) === 'history') ?? errors[0];
  if (error) return { state: 'failed', problem: historyProblem(error) };
  if (token.history === undefined) return { state: 'not asked' };
  if (token.history === null) return { state: 'failed', problem: { opening: false, code: 'ERROR', message: 'tokengraph gave no history and no error' } };
  return { state: 'shown', firstSeenAt: token.firstSeenAt ?? null, events: token.history };
}

/** A row's history with the events asked again after a revocation from the page (newer), its first sighting kept. */
export function withEvents(history: RowHistory, events: readonly HistoryEvent[]): RowHistory {
  return { state: 'shown', firstSeenAt: history.state === 'shown' ? history.firstSeenAt : null, events };
}

/** What an answer says of a list of events: its page, why it has none, or nothing (it was not asked). */
export type ListAnswer<P> = { page: P } | { problem: HistoryProblem } | null;
/** Recent changes' page in an answer. */
export type ChangesAnswer = ListAnswer<ChangesPage>;
/** A token's events asked again after a revocation from the page (RecentChanges' `tokenHistory`). */
export type EventsAnswer = ListAnswer<{ nodes: readonly HistoryEvent[] }>;

/**
 * A row's history once its events were asked again after a revocation from the page: the new
 * events with its first sighting kept, or why they could not be read (then none from before the
 * revocation is shown); as it was where they were not asked.
 */
export function afterRevocation(history: RowHistory, asked: EventsAnswer | undefined): RowHistory {
  if (!asked) return history;
  return 'problem' in asked ? { state: 'failed', problem: asked.problem } : withEvents(history, asked.page.nodes);
}

/**
 * The answer's list of events in field `field` (`recentChanges`, `tokenEvents`, `tokenHistory`), with that field's
 * error. An answer with no such field but errors was refused whole (a limit, a 400, 413 or 503
 * body, an error with no path): the list was asked and is not there, and its first error says why.
 * `null` only for no field and no error: the list was not asked.
 */
export function changesAnswer<P>(page: P | null | undefined, errors: readonly GraphQLErrorLike[] | undefined, field: string): ListAnswer<P> {
  if (page) return { page };
  const error = (errors ?? []).find((e) => e.path?.length === 1 && e.path[0] === field) ?? (page === undefined ? errors?.[0] : undefined);
  if (error) return { problem: historyProblem(error) };
  return page === null ? { problem: { opening: false, code: 'ERROR', message: 'tokengraph gave no events and no error' } } : null;
}

/** The Recent changes list: the pages loaded so far, in order. */
export interface RecentChanges {
  events: RecentChange[];
  /** Events matching the filter over all pages, as the first page counted them. */
  totalCount: number;
  hasNextPage: boolean;
  endCursor: string | null;
}

export function recentChanges(pages: readonly ChangesPage[]): RecentChanges {
  const last = pages.at(-1);
  return {
    events: pages.flatMap((page) => page.nodes),
    totalCount: pages[0]?.totalCount ?? 0,
    hasNextPage: last?.pageInfo.hasNextPage ?? false,
    endCursor: last?.pageInfo.endCursor ?? null,
  };
}

/** `20 of 412 changes shown`, `1 change`, `No changes recorded yet`. */
export function changesStateText(changes: RecentChanges): string {
  const { totalCount, events } = changes;
  if (totalCount === 0) return 'No changes recorded yet';
  const noun = totalCount === 1 ? 'change' : 'changes';
  return events.length >= totalCount ? `${totalCount} ${noun}` : `${events.length} of ${totalCount} ${noun} shown`;
}

/** Kinds as the page reads them from its form or URL: known values, in order, no repeats. */
export function normalizeKinds(values: Iterable<string>): TokenEventKind[] {
  return inOrder(EVENT_KINDS, values);
}

/** The kinds a URL's query string names. */
export function kindsFromSearch(search: string): TokenEventKind[] {
  return normalizeKinds(new URLSearchParams(search).getAll(KIND_PARAM));
}

/** `search` with its kinds replaced by `kinds`, written after the other parameters (the page then writes its watch list last). */
export function searchWithKinds(search: string, kinds: readonly TokenEventKind[]): string {
  return searchWithParam(search, KIND_PARAM, kinds);
}

/** `tokenEvents`' filter for the page's sources and the kinds chosen, or `null` for every event. */
export function eventFilter(sources: readonly TokenSource[], kinds: readonly TokenEventKind[]): TokenEventFilter | null {
  const filter: TokenEventFilter = {};
  if (sources.length > 0) filter.sources = [...sources];
  if (kinds.length > 0) filter.kinds = [...kinds];
  return Object.keys(filter).length > 0 ? filter : null;
}

/** `2026-11-23 14:05:09` (UTC): when an event was seen. */
export function eventTime(at: string): string {
  return `${at.slice(0, 10)} ${at.slice(11, 19)}`;
}

/** What an event's detail says: CHANGED's fields old → new, REVOKED's request id; `''` for none. */
export function eventDetail(event: Pick<HistoryEvent, 'kind' | 'detail'>): string {
  if (event.detail === null) return '';
  return event.kind === 'REVOKED' ? `request ${event.detail}` : event.detail;
}

/** Who did it: `key 3f2a9c…` (the API key's fingerprint, as in the audit line), `''` for no one named. */
export function actorText(actor: string | null): string {
  return actor === null ? '' : `key ${actor}`;
}

/** How an event names its token: its name (else its id as shown), the id as shown when it differs, and its owner. */
export function eventToken(event: Pick<RecentChange, 'name' | 'tokenId' | 'owner'>): { name: string; tokenId: string | null; owner: string | null } {
  const name = event.name ?? event.tokenId;
  return { name, tokenId: name === event.tokenId ? null : event.tokenId, owner: event.owner };
}

/** The line shown where the history could not be read. */
export function problemText(problem: HistoryProblem): string {
  if (problem.opening) return 'The history is opening: tokengraph started moments ago and its database is not open yet. Ask again in a few seconds.';
  return `The history could not be read (${problem.code}): ${problem.message}`;
}

/** `First seen 2026-11-23 14:05:09 UTC`, or that tokengraph has no history of it yet. */
export function firstSeenText(firstSeenAt: string | null): string {
  return firstSeenAt === null ? 'Not seen by the history yet.' : `First seen ${eventTime(firstSeenAt)} UTC`;
}
