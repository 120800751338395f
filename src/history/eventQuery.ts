/**
 * `tokenEvents(filter, first, after)` and `Token.history(first)` arguments, checked before the
 * database is asked (contract §12): `first` 1 to 500 (history: 1 to 100), a cursor this module
 * wrote, a token id tokengraph made. Cursors are keysets like the inventory's: base64url of
 * `[1, at, row id]`, so a walk newest first never repeats or skips an event that stays kept,
 * whatever is recorded meanwhile.
 */
import { FIXED_LIMITS } from '../security/limits.js';
import { badUserInput } from '../shared/errors.js';
import { cursorOf, cursorValues, pageFirst } from '../shared/pages.js';
import type { SourceName } from '../sources.js';
import type { EventFilter, EventPosition, TokenEventRow } from './historyRepository.js';
import { historyIdOfGlobalId } from './historyIds.js';
import type { TokenEventKind } from './tokenEvents.js';

/** Most events of one token a `history` field answers. */
export const MAX_HISTORY_FIRST = 100;

export interface EventArgs {
  filter?: {
    sources?: readonly SourceName[] | null;
    kinds?: readonly TokenEventKind[] | null;
    /** Normalized DateTimes (the scalar's parse). */
    since?: string | null;
    until?: string | null;
    /** A global id. */
    token?: string | null;
  } | null;
  first?: number | null;
  after?: string | null;
}

export interface EventQuery {
  filter: EventFilter;
  first: number;
  after?: EventPosition;
}

/** A page of events: a Relay connection, its count asked only when a client selects it. */
export interface TokenEventPage {
  edges: Array<{ cursor: string; node: TokenEventRow }>;
  nodes: TokenEventRow[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  totalCount: () => Promise<number>;
}

const CURSOR_VERSION = 1;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

export function eventQuery(args: EventArgs): EventQuery {
  const first = pageFirst(args.first ?? 50, FIXED_LIMITS.inventoryPageSize);
  const given = args.filter ?? {};
  const filter: EventFilter = {
    ...(given.sources && { sources: [...new Set(given.sources)] }),
    ...(given.kinds && { kinds: [...new Set(given.kinds)] }),
    ...(given.since && { since: given.since }),
    ...(given.until && { until: given.until }),
    ...(given.token !== undefined && given.token !== null && { token: historyIdOfGlobalId(given.token) }),
  };
  const after = args.after === undefined || args.after === null ? undefined : decodeEventCursor(args.after);
  return { filter, first, ...(after && { after }) };
}

/** `history(first)`'s `first`, 1 to 100. */
export function historyFirst(first: number | null | undefined): number {
  return pageFirst(first ?? 20, MAX_HISTORY_FIRST);
}

/** The page of `rows` (fetched `first + 1`, newest first). */
export function eventPageOf(rows: TokenEventRow[], query: EventQuery, count: () => Promise<number>): TokenEventPage {
  const nodes = rows.slice(0, query.first);
  const edges = nodes.map((node) => ({ cursor: encodeEventCursor(node), node }));
  return {
    edges,
    nodes,
    pageInfo: { hasNextPage: rows.length > query.first, hasPreviousPage: query.after !== undefined, startCursor: edges[0]?.cursor ?? null, endCursor: edges.at(-1)?.cursor ?? null },
    totalCount: count,
  };
}

export function encodeEventCursor(row: Pick<TokenEventRow, 'at' | 'id'>): string {
  return cursorOf([CURSOR_VERSION, row.at, row.id]);
}

function decodeEventCursor(cursor: string): EventPosition {
  const parts = cursorValues(cursor, 200, 3);
  if (!parts) throw badUserInput('after is not a cursor returned by tokenEvents');
  const [version, at, id] = parts;
  if (version !== CURSOR_VERSION || typeof at !== 'string' || !DATE_TIME.test(at) || typeof id !== 'string' || !/^\d{1,19}$/.test(id)) {
    throw badUserInput('after is not a cursor returned by tokenEvents');
  }
  return { at, id };
}
