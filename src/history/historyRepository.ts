/**
 * Every query of the history, by name, in plain SQL that PGlite and a PostgreSQL server both run
 * (database.ts). Nothing else in tokengraph writes SQL.
 *
 * - Idempotence by constraint: an event is `INSERT … ON CONFLICT (event_key) DO NOTHING`, so an
 *   event two replicas derive from the same part transition is one row, and only the rows this
 *   call inserted come back (to be logged and counted once).
 * - A part moves on only from the version it was compared with (`UPDATE … WHERE version = $from`,
 *   `INSERT … ON CONFLICT DO NOTHING` for a first read, `DELETE … WHERE version = $from`): a
 *   replica whose comparison is stale moves no part (`LostRace`), and its transaction, events
 *   included, is rolled back to be compared again.
 * - Lists go in as one array parameter per column (`unnest`), one statement however many rows.
 * - Dates come out as the DateTime form (`to_char` in UTC) and ids as text, the same from both engines.
 */
import type { TokenStatus } from '../datasources/tokenFields.js';
import type { SourceName } from '../sources.js';
import type { Queryable } from './database.js';
import type { PartState, TokenEventFields, TokenEventKind, TokenEventRecord, TokenState, Transition } from './tokenEvents.js';

/** An event as stored, as `TokenEvent` answers it. */
export interface TokenEventRow extends TokenEventFields {
  /** Its row id (text: a bigint), the cursor's tie-breaker. */
  id: string;
  /** DateTime. */
  at: string;
}

/** A comparison was stale: another replica read a part first (`firstRead`), or moved it on first (`movedOn`). */
export class LostRace extends Error {
  override name = 'LostRace';
  constructor(
    readonly reason: 'firstRead' | 'movedOn',
    message: string,
  ) {
    super(message);
  }
}

/** Which events a page keeps (`TokenEventFilter`), every condition given must hold. */
export interface EventFilter {
  sources?: readonly SourceName[];
  kinds?: readonly TokenEventKind[];
  /** DateTimes: since inclusive, until exclusive. */
  since?: string;
  until?: string;
  /** A history id. */
  token?: string;
}

/** Where a page starts: after this event, in newest-first order. */
export interface EventPosition {
  at: string;
  id: string;
}

/** A timestamptz column as the DateTime form, in UTC. */
const dateTime = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
const EVENT_COLUMNS = `id::text AS id, ${dateTime('at')} AS at, kind, source, token, token_id AS "tokenId", name, owner, detail, actor`;
const FILTER = `($1::text[] IS NULL OR source = ANY($1::text[]))
  AND ($2::text[] IS NULL OR kind = ANY($2::text[]))
  AND ($3::timestamptz IS NULL OR at >= $3::timestamptz)
  AND ($4::timestamptz IS NULL OR at < $4::timestamptz)
  AND ($5::text IS NULL OR token = $5::text)`;

const filterParams = (filter: EventFilter) => [filter.sources ?? null, filter.kinds ?? null, filter.since ?? null, filter.until ?? null, filter.token ?? null];
const iso = (ms: number) => new Date(ms).toISOString();

/** Which version of each part of these sources is stored, and from which read: cheap, no tokens. */
export async function loadPartVersions(db: Queryable, sources: readonly SourceName[]): Promise<Array<Omit<PartState, 'tokens'>>> {
  const { rows } = await db.query<{ part: string; source: SourceName; version: string; readAt: string }>(
    `SELECT part, source, version::text AS version, (extract(epoch FROM read_at) * 1000)::bigint::text AS "readAt" FROM token_part_states WHERE source = ANY($1::text[])`,
    [sources],
  );
  return rows.map((row) => ({ part: row.part, source: row.source, version: Number(row.version), readAt: Number(row.readAt) }));
}

/** The stored states of these parts, tokens included. */
export async function loadPartStates(db: Queryable, parts: readonly string[]): Promise<PartState[]> {
  const { rows } = await db.query<{ part: string; source: SourceName; version: string; readAt: string; tokens: string }>(
    `SELECT part, source, version::text AS version, (extract(epoch FROM read_at) * 1000)::bigint::text AS "readAt", tokens FROM token_part_states WHERE part = ANY($1::text[])`,
    [parts],
  );
  return rows.map((row) => ({ part: row.part, source: row.source, version: Number(row.version), readAt: Number(row.readAt), tokens: decodeTokens(row.tokens) }));
}

/**
 * Moves every part of `transitions` on, then inserts `events`; in `tx`, one transaction. Throws
 * `LostRace` when a part is no longer at the version compared with. Returns the events inserted
 * (not those another replica had inserted already).
 */
export async function applyTransitions(tx: Queryable, transitions: readonly Transition[], events: readonly TokenEventRecord[]): Promise<TokenEventRow[]> {
  const firsts = transitions.filter((t) => t.from === 0 && t.to > 0);
  const moves = transitions.filter((t) => t.from > 0 && t.to > 0);
  const gone = transitions.filter((t) => t.from > 0 && t.to === 0);
  if (firsts.length > 0) {
    const { rowCount } = await tx.query(
      `INSERT INTO token_part_states (part, source, version, read_at, tokens)
       SELECT p.part, p.source, 1, p.read_at::timestamptz, p.tokens FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS p(part, source, read_at, tokens)
       ON CONFLICT (part) DO NOTHING`,
      [firsts.map((t) => t.part), firsts.map((t) => t.source), firsts.map((t) => iso(t.readAt)), firsts.map((t) => encodeTokens(t.tokens))],
    );
    if (rowCount !== firsts.length) throw new LostRace('firstRead', 'a part was first read by another replica meanwhile');
  }
  if (moves.length > 0) {
    const { rowCount } = await tx.query(
      `UPDATE token_part_states s SET version = p.version, read_at = p.read_at::timestamptz, tokens = p.tokens
       FROM unnest($1::text[], $2::bigint[], $3::bigint[], $4::text[], $5::text[]) AS p(part, from_version, version, read_at, tokens)
       WHERE s.part = p.part AND s.version = p.from_version`,
      [moves.map((t) => t.part), moves.map((t) => t.from), moves.map((t) => t.to), moves.map((t) => iso(t.readAt)), moves.map((t) => encodeTokens(t.tokens))],
    );
    if (rowCount !== moves.length) throw new LostRace('movedOn', 'a part was moved on by another replica meanwhile');
  }
  if (gone.length > 0) {
    const { rowCount } = await tx.query(
      `DELETE FROM token_part_states s USING unnest($1::text[], $2::bigint[]) AS p(part, from_version) WHERE s.part = p.part AND s.version = p.from_version`,
      [gone.map((t) => t.part), gone.map((t) => t.from)],
    );
    if (rowCount !== gone.length) throw new LostRace('movedOn', 'a part was moved on by another replica meanwhile');
  }
  return insertEvents(tx, events);
}

/** Inserts the events not recorded yet (by key) and notes when each token was first seen or went; the rows inserted. */
export async function insertEvents(tx: Queryable, events: readonly TokenEventRecord[]): Promise<TokenEventRow[]> {
  if (events.length === 0) return [];
  const column = <K extends keyof TokenEventRecord>(name: K) => events.map((event) => event[name]);
  const { rows } = await tx.query<TokenEventRow>(
    `INSERT INTO token_events (event_key, at, kind, source, token, token_id, name, owner, detail, actor)
     SELECT e.event_key, e.at::timestamptz, e.kind, e.source, e.token, e.token_id, e.name, e.owner, e.detail, e.actor
     FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[])
       AS e(event_key, at, kind, source, token, token_id, name, owner, detail, actor)
     ON CONFLICT (event_key) DO NOTHING
     RETURNING ${EVENT_COLUMNS}`,
    [column('key'), events.map((event) => iso(event.at)), column('kind'), column('source'), column('token'), column('tokenId'), column('name'), column('owner'), column('detail'), column('actor')],
  );
  if (rows.length === 0) return rows;
  // First seen at its first event of any kind; gone at DISAPPEARED or REVOKED, here again at APPEARED.
  await tx.query(
    `INSERT INTO token_first_seen AS f (token, source, first_seen_at, gone_at)
     SELECT e.token, min(e.source), min(e.at::timestamptz), max(CASE WHEN e.kind IN ('DISAPPEARED', 'REVOKED') THEN e.at::timestamptz END)
     FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS e(token, source, at, kind)
     GROUP BY e.token
     ON CONFLICT (token) DO UPDATE SET
       first_seen_at = least(f.first_seen_at, excluded.first_seen_at),
       gone_at = excluded.gone_at`,
    [rows.map((row) => row.token), rows.map((row) => row.source), rows.map((row) => row.at), rows.map((row) => row.kind)],
  );
  return rows;
}

/** One page of events, newest first, after `after`: `first + 1` rows, so the caller knows whether more follow. */
export async function eventPage(db: Queryable, filter: EventFilter, first: number, after?: EventPosition): Promise<TokenEventRow[]> {
  const { rows } = await db.query<TokenEventRow>(
    // Ordered by the table's columns (e.at, e.id), not the text the page shows them as.
    `SELECT ${EVENT_COLUMNS} FROM token_events e
     WHERE ${FILTER}
       AND ($6::timestamptz IS NULL OR (e.at, e.id) < ($6::timestamptz, $7::bigint))
     ORDER BY e.at DESC, e.id DESC
     LIMIT $8`,
    [...filterParams(filter), after?.at ?? null, after?.id ?? null, first + 1],
  );
  return rows;
}

/** How many events the filter keeps, over all pages. */
export async function countEvents(db: Queryable, filter: EventFilter): Promise<number> {
  const { rows } = await db.query<{ count: string }>(`SELECT count(*)::text AS count FROM token_events WHERE ${FILTER}`, filterParams(filter));
  return Number(rows[0]?.count ?? 0);
}

/** The newest `first` events of each of `tokens`, newest first, in one query. */
export async function eventsOfTokens(db: Queryable, tokens: readonly string[], first: number): Promise<TokenEventRow[]> {
  const { rows } = await db.query<TokenEventRow>(
    `SELECT ${EVENT_COLUMNS} FROM (
       SELECT e.*, row_number() OVER (PARTITION BY e.token ORDER BY e.at DESC, e.id DESC) AS n FROM token_events e WHERE e.token = ANY($1::text[])
     ) AS ranked WHERE n <= $2 ORDER BY ranked.at DESC, ranked.id DESC`,
    [tokens, first],
  );
  return rows;
}

/** When each of `tokens` was first seen (those never seen are left out). */
export async function firstSeen(db: Queryable, tokens: readonly string[]): Promise<Array<{ token: string; at: string }>> {
  const { rows } = await db.query<{ token: string; at: string }>(
    `SELECT token, ${dateTime('first_seen_at')} AS at FROM token_first_seen WHERE token = ANY($1::text[])`,
    [tokens],
  );
  return rows;
}

/**
 * Deletes up to `batch` events older than `before`, and the first-seen rows of tokens gone before
 * it; how many events it deleted (fewer than `batch`: none are left).
 */
export async function deleteEventsBefore(db: Queryable, before: string, batch: number): Promise<number> {
  const { rowCount } = await db.query(
    `DELETE FROM token_events WHERE id IN (SELECT id FROM token_events WHERE at < $1::timestamptz ORDER BY at LIMIT $2)`,
    [before, batch],
  );
  if (rowCount < batch) await db.query(`DELETE FROM token_first_seen WHERE gone_at < $1::timestamptz`, [before]);
  return rowCount;
}

function encodeTokens(tokens: ReadonlyMap<string, TokenState>): string {
  const out: Record<string, [string, string | null, string | null, string | null, TokenStatus]> = {};
  for (const [token, state] of tokens) out[token] = [state.tokenId, state.name, state.owner, state.expiresAt, state.status];
  return JSON.stringify(out);
}

function decodeTokens(text: string): Map<string, TokenState> {
  const parsed = JSON.parse(text) as Record<string, [string, string | null, string | null, string | null, TokenStatus]>;
  return new Map(Object.entries(parsed).map(([token, [tokenId, name, owner, expiresAt, status]]) => [token, { tokenId, name, owner, expiresAt, status }]));
}
