/**
 * One page of an inventory snapshot (contract §7): filter, order, then a keyset page.
 *
 * - Order: by the `orderBy` field, `null`s last in either direction; ties by source (enum order),
 *   then the shown `tokenId`, then the global `id`, so the order is total.
 * - Cursors are opaque keysets, base64url of `[ordering, sort value, source, tokenId, id]`: the page
 *   after a cursor starts at the first token that sorts after it, so a walk never repeats or skips
 *   a token that stays in the inventory, even when the next page comes from a newer snapshot.
 * - Status is judged at the time of the request, like the `status` field.
 *
 * A prepared snapshot (`InventoryView`) computes each token's sort and filter values once, and
 * each ordering's sort once, for every page and every request that reads it.
 */
import { fieldsOf, globalIdOf, type TokenModel } from '../datasources/models.js';
import { statusAt, type TokenStatus } from '../datasources/tokenFields.js';
import { FIXED_LIMITS } from '../security/limits.js';
import { badUserInput } from '../shared/errors.js';
import { cursorOf, cursorValues, pageFirst } from '../shared/pages.js';
import { SOURCE_NAMES, type SourceName } from '../sources.js';
import { factsOf, findingsOf, TOKEN_FINDINGS, type FindingSettings, type TokenFacts, type TokenFinding } from './findings.js';
import type { InventoryGap, Snapshot } from './snapshot.js';

export type TokenOrder = 'EXPIRES_AT_ASC' | 'EXPIRES_AT_DESC' | 'CREATED_AT_DESC' | 'LAST_USED_AT_ASC' | 'NAME_ASC';

export interface TokenFilter {
  sources?: readonly SourceName[] | null;
  status?: readonly TokenStatus[] | null;
  /** Normalized DateTimes (the scalar's parse). */
  expiresBefore?: string | null;
  expiresAfter?: string | null;
  lastUsedBefore?: string | null;
  owner?: string | null;
  search?: string | null;
  /** Any of these findings (contract §11), judged at the time of the request. */
  findings?: readonly TokenFinding[] | null;
}

export interface PageArgs {
  filter?: TokenFilter | null;
  orderBy: TokenOrder;
  first: number;
  after?: string | null;
}

/** Arguments checked, cursor decoded: what `InventoryView.page` takes. */
export interface PageQuery {
  orderBy: TokenOrder;
  first: number;
  after?: Position;
  filter: TokenFilter;
}

/**
 * Checks a page's arguments before anything is read: `first` from 1 to 500, a cursor of this
 * ordering, filter texts within their limit. Throws `BAD_USER_INPUT`.
 */
export function pageQuery(args: PageArgs): PageQuery {
  pageFirst(args.first, FIXED_LIMITS.inventoryPageSize);
  const filter = args.filter ?? {};
  if (filter.owner !== undefined && filter.owner !== null) checkText('owner', filter.owner);
  if (filter.search !== undefined && filter.search !== null) checkText('search', filter.search);
  const after = args.after === undefined || args.after === null ? undefined : decodeCursor(args.after, args.orderBy);
  return { orderBy: args.orderBy, first: args.first, filter, ...(after && { after }) };
}

export interface InventoryPage {
  edges: Array<{ cursor: string; node: TokenModel }>;
  nodes: TokenModel[];
  pageInfo: { hasNextPage: boolean; hasPreviousPage: boolean; startCursor: string | null; endCursor: string | null };
  totalCount: number;
  gaps: InventoryGap[];
  /** RFC 3339, like every DateTime. */
  collectedAt: string;
  /** How many tokens matching the filter have each finding, every finding listed; worked out only when asked for. */
  findingCounts(): Array<{ finding: TokenFinding; count: number }>;
}

/** A token with what ordering, filtering and findings read of it, worked out once per snapshot. */
interface Entry {
  model: TokenModel;
  id: string;
  rank: number;
  tokenId: string;
  name: string | null;
  owner: string | null;
  /** Its dates, status rule and what else its findings are judged from. */
  facts: TokenFacts;
  /** name, owner and tokenId, lower-cased, for `search`. */
  text: string;
}

type SortValue = number | string | null;

const ORDERS: Record<TokenOrder, { value(entry: Entry): SortValue; descending: boolean }> = {
  EXPIRES_AT_ASC: { value: (e) => e.facts.expiresAt, descending: false },
  EXPIRES_AT_DESC: { value: (e) => e.facts.expiresAt, descending: true },
  CREATED_AT_DESC: { value: (e) => e.facts.createdAt, descending: true },
  LAST_USED_AT_ASC: { value: (e) => e.facts.lastUsedAt, descending: false },
  NAME_ASC: { value: (e) => e.name?.toLowerCase() ?? null, descending: false },
};

/** Where a token (or a cursor) sorts: its value, then the tie-breakers. */
interface Position {
  value: SortValue;
  rank: number;
  tokenId: string;
  id: string;
}

export class InventoryView {
  private readonly entries: Entry[];
  private readonly sorted = new Map<TokenOrder, Array<{ entry: Entry; position: Position }>>();

  constructor(readonly snapshot: Snapshot) {
    this.entries = snapshot.tokens.map(entryOf);
  }

  page(query: PageQuery, settings: FindingSettings, now = Date.now()): InventoryPage {
    const args = query;
    const order = ORDERS[args.orderBy];
    const keep = matcher(args.filter, settings, now);
    const matching = this.inOrder(args.orderBy).filter(({ entry }) => keep(entry));
    const start = query.after ? firstAfter(matching, query.after, order.descending) : 0;
    const slice = matching.slice(start, start + args.first);
    const edges = slice.map(({ entry, position }) => ({ cursor: encodeCursor(args.orderBy, position), node: entry.model }));
    return {
      edges,
      nodes: edges.map((edge) => edge.node),
      pageInfo: {
        hasNextPage: start + slice.length < matching.length,
        hasPreviousPage: start > 0,
        startCursor: edges[0]?.cursor ?? null,
        endCursor: edges.at(-1)?.cursor ?? null,
      },
      totalCount: matching.length,
      gaps: this.snapshot.gaps,
      collectedAt: new Date(this.snapshot.collectedAt).toISOString(),
      findingCounts: () => countFindings(matching.map(({ entry }) => entry.facts), settings, now),
    };
  }

  /** Every token of the snapshot, in the ordering's total order. */
  ordered(orderBy: TokenOrder): TokenModel[] {
    return this.inOrder(orderBy).map(({ entry }) => entry.model);
  }

  /** The tokens `filter` keeps, in the ordering's total order, each with its global id and findings: what an export writes. */
  *matching(orderBy: TokenOrder, filter: TokenFilter, settings: FindingSettings, now = Date.now()): Generator<{ model: TokenModel; id: string; findings: TokenFinding[] }> {
    const keep = matcher(filter, settings, now);
    for (const { entry } of this.inOrder(orderBy)) if (keep(entry)) yield { model: entry.model, id: entry.id, findings: findingsOf(entry.facts, settings, now) };
  }

  private inOrder(orderBy: TokenOrder) {
    let list = this.sorted.get(orderBy);
    if (!list) {
      const { value, descending } = ORDERS[orderBy];
      list = this.entries.map((entry) => ({ entry, position: { value: value(entry), rank: entry.rank, tokenId: entry.tokenId, id: entry.id } }));
      list.sort((a, b) => compare(a.position, b.position, descending));
      this.sorted.set(orderBy, list);
    }
    return list;
  }
}

function entryOf(model: TokenModel): Entry {
  const fields = fieldsOf(model);
  const name = fields.name(model);
  const owner = fields.owner(model);
  const tokenId = fields.tokenId(model);
  return {
    model,
    id: globalIdOf(model),
    rank: SOURCE_NAMES.indexOf(model.source),
    tokenId,
    name,
    owner,
    facts: factsOf(model),
    text: [name ?? '', owner ?? '', tokenId].join('\u0000').toLowerCase(),
  };
}

/** Every finding with how many of `facts` have it, in the enum's order. */
function countFindings(facts: readonly TokenFacts[], settings: FindingSettings, now: number): Array<{ finding: TokenFinding; count: number }> {
  const counts = new Map<TokenFinding, number>(TOKEN_FINDINGS.map((finding) => [finding, 0]));
  for (const one of facts) for (const finding of findingsOf(one, settings, now)) counts.set(finding, counts.get(finding)! + 1);
  return TOKEN_FINDINGS.map((finding) => ({ finding, count: counts.get(finding)! }));
}

/** Total order: the value (`null` last either way), then source, tokenId and id, ascending. */
function compare(a: Position, b: Position, descending: boolean): number {
  if (a.value !== b.value) {
    if (a.value === null) return 1;
    if (b.value === null) return -1;
    const byValue = a.value < b.value ? -1 : 1;
    return descending ? -byValue : byValue;
  }
  return a.rank - b.rank || (a.tokenId < b.tokenId ? -1 : a.tokenId > b.tokenId ? 1 : 0) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** Index of the first entry that sorts after `cursor` (binary search: the list is sorted). */
function firstAfter(list: Array<{ position: Position }>, cursor: Position, descending: boolean): number {
  let low = 0;
  let high = list.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (compare(list[middle]!.position, cursor, descending) <= 0) low = middle + 1;
    else high = middle;
  }
  return low;
}

function matcher(filter: TokenFilter, settings: FindingSettings, now: number): (entry: Entry) => boolean {
  const millis = (date: string | null | undefined) => (date ? Date.parse(date) : undefined);
  const expiresBefore = millis(filter.expiresBefore);
  const expiresAfter = millis(filter.expiresAfter);
  const lastUsedBefore = millis(filter.lastUsedBefore);
  const sources = filter.sources ? new Set(filter.sources) : undefined;
  const statuses = filter.status ? new Set(filter.status) : undefined;
  const owner = filter.owner ?? undefined;
  const search = filter.search?.toLowerCase() ?? undefined;
  const findings = filter.findings ? new Set(filter.findings) : undefined;
  return ({ model, facts, owner: entryOwner, text }) =>
    (!sources || sources.has(model.source)) &&
    (!statuses || statuses.has(statusAt(facts.expiresAt, now, facts.fixedStatus))) &&
    (expiresBefore === undefined || (facts.expiresAt !== null && facts.expiresAt < expiresBefore)) &&
    (expiresAfter === undefined || (facts.expiresAt !== null && facts.expiresAt >= expiresAfter)) &&
    (lastUsedBefore === undefined || facts.lastUsedAt === null || facts.lastUsedAt < lastUsedBefore) &&
    (owner === undefined || entryOwner === owner) &&
    (search === undefined || text.includes(search)) &&
    (!findings || findingsOf(facts, settings, now).some((finding) => findings.has(finding)));
}

function checkText(field: string, value: string): string {
  let length = 0;
  for (const _ of value) length++;
  if (length > FIXED_LIMITS.inventoryFilterText) throw badUserInput(`filter.${field} must be at most ${FIXED_LIMITS.inventoryFilterText} characters`);
  return value;
}

const CURSOR_VERSION = 1;

function encodeCursor(orderBy: TokenOrder, position: Position): string {
  return cursorOf([CURSOR_VERSION, orderBy, position.value, SOURCE_NAMES[position.rank], position.tokenId, position.id]);
}

/** The position a cursor names; `BAD_USER_INPUT` for anything this module did not write for this ordering. */
function decodeCursor(cursor: string, orderBy: TokenOrder): Position {
  const parts = cursorValues(cursor, FIXED_LIMITS.globalIdLength * 2, 6);
  if (!parts) throw badUserInput('after is not a cursor returned by inventory');
  const [version, order, value, source, tokenId, id] = parts;
  const rank = SOURCE_NAMES.indexOf(source as SourceName);
  if (version !== CURSOR_VERSION || rank < 0 || typeof tokenId !== 'string' || typeof id !== 'string' || !(value === null || typeof value === 'number' || typeof value === 'string')) {
    throw badUserInput('after is not a cursor returned by inventory');
  }
  if (order !== orderBy) throw badUserInput(`after is a cursor of another ordering (${String(order)}), not of ${orderBy}`);
  // A date ordering's values are epoch ms; a name ordering's, text.
  if (value !== null && typeof value !== (orderBy === 'NAME_ASC' ? 'string' : 'number')) throw badUserInput('after is not a cursor returned by inventory');
  return { value, rank, tokenId, id };
}
