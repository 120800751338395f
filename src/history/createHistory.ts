/**
 * The history (contract §12): what changed, when, and who did it, kept in PostgreSQL (database.ts)
 * across restarts and shared by the replicas of one server.
 *
 *   inventory read (createInventory's `onRead`, its own parts, before carry-forward)
 *     → load the stored states of its sources' parts → diffRead (tokenEvents.ts)
 *     → one transaction: move the parts on from the versions compared with, insert the events
 *       (ON CONFLICT DO NOTHING) → log and count the events inserted
 *   revokeTokens' REVOKED result → one REVOKED event (at: when the upstream confirmed; detail: the
 *     request id; actor: the API key's fingerprint)
 *
 * Opening: PGlite's first open (initdb) takes seconds, so `open` runs beside the server: until it
 * ends `state` is `starting`, reads and revocations wait in a short queue (a read past it is skipped:
 * the next one compares with the same stored state, so nothing is lost but the time of a change),
 * and the GraphQL fields fail alone with UPSTREAM_UNAVAILABLE. A database that cannot be opened
 * or migrated rejects `opened`: main.ts stops with one line.
 *
 * A database that stalls holds no request past its deadline: a GraphQL field's query is waited for
 * until the request's signal aborts (then UPSTREAM_TIMEOUT for that field alone), and a REVOKED
 * event until then at most (the upstream revoked the token already: the mutation answers, a warn
 * line says the write goes on). A server's statements are bounded besides (database.ts).
 *
 * Failing after that is never silent: each read or revocation not recorded (a write the database
 * failed, a read skipped from a full queue, any after the history failed or while it closes) is a
 * log line and a count of `tokengraph_history_write_failures_total`, all through `notRecorded`.
 * Closing waits for the writes queued and in flight, REVOKED events made meanwhile too, up to the
 * shutdown grace. PGlite's directory lock lost (another
 * process may write to the directory) turns `state` to `failed`, which /readyz shows, and the
 * fields' message says so.
 *
 * Writes are serialized in this process (one at a time, in order). Between replicas nothing is
 * locked: a replica whose comparison another one overtook loses its transaction (`LostRace`),
 * compares again with the new state, and writes only what is still new.
 *
 * Each event inserted is one `info` log line (`event: "token"`, its fields) and one count of
 * `tokengraph_token_events_total{source,kind}`; a replica that finds an event already recorded does
 * neither. Events older than TOKENGRAPH_HISTORY_DAYS are deleted hourly, in bounded batches.
 */
import DataLoader from 'dataloader';
import { DEFAULTS, type HistoryConfig } from '../config/readConfig.js';
import type { TokenModel } from '../datasources/models.js';
import type { Snapshot } from '../inventory/snapshot.js';
import type { Logger } from '../observability/createLogger.js';
import type { Metrics } from '../observability/metrics.js';
import { TokengraphError } from '../shared/errors.js';
import type { SourceName } from '../sources.js';
import { databaseName, openDatabase, type Database } from './database.js';
import { eventPageOf, eventQuery, historyFirst, type EventArgs, type TokenEventPage } from './eventQuery.js';
import { historyIdOf, readPartsOf, tokenStateOf } from './historyIds.js';
import { applyTransitions, countEvents, deleteEventsBefore, eventPage, eventsOfTokens, firstSeen, insertEvents, loadPartStates, loadPartVersions, LostRace, type TokenEventRow } from './historyRepository.js';
import { diffRead, eventKey, type PartState, type Read, type TokenEventRecord } from './tokenEvents.js';

export type HistoryState = 'starting' | 'ready' | 'failed';

export interface ReadOptions {
  /** The read used tokengraph's own credentials: parts missing under a part read whole are gone. */
  judgeAbsent: boolean;
}

export interface Revocation {
  /** When the upstream confirmed it, epoch ms. */
  at: number;
  requestId?: string;
  /** The API key's fingerprint, as in the audit line. */
  keyFingerprint?: string;
}

/** A request's view of the history: `firstSeenAt` and `history` of a page of tokens in one query each. */
export interface HistoryLoaders {
  firstSeenAt(token: TokenModel): Promise<string | null>;
  history(token: TokenModel, first: number | null | undefined): Promise<TokenEventRow[]>;
}

export interface History {
  readonly state: HistoryState;
  /** How the database is named (no password). */
  readonly name: string;
  /** Resolves once the database is open and migrated; rejects with a DatabaseError. */
  readonly opened: Promise<void>;
  /** Records what a completed read changed (queued; never rejects). */
  recordRead(snapshot: Pick<Snapshot, 'collectedAt' | 'tokens' | 'parts'>, options: ReadOptions): Promise<void>;
  /**
   * Records a REVOKED result; resolves once written, or when `signal` (the request's) aborts first:
   * the write goes on, and a warn line says so. While the history opens, at once (written after).
   */
  recordRevoked(token: TokenModel, revocation: Revocation, signal?: AbortSignal): Promise<void>;
  /** One page of `tokenEvents`; waits for the database until `signal` (the request's) aborts. */
  events(args: EventArgs, signal?: AbortSignal): Promise<TokenEventPage>;
  /** Per-request batching of the Token fields; each waits for the database until `signal` (the request's) aborts. */
  loaders(signal?: AbortSignal): HistoryLoaders;
  /** Deletes the events past TOKENGRAPH_HISTORY_DAYS (also hourly); how many. */
  prune(now?: number): Promise<number>;
  /** Comparisons another replica overtook (each compared again), by how: the tests make these races happen. */
  readonly races: Readonly<Record<RaceReason, number>>;
  /** The open database (tests, benches); undefined until open. */
  database(): Database | undefined;
  /**
   * Waits for the writes queued and in flight (REVOKED events made meanwhile too) up to the
   * shutdown grace, then closes the database; a write made after that is logged and counted.
   */
  close(): Promise<void>;
}

export interface HistoryParts {
  settings: HistoryConfig;
  logger: Logger;
  metrics?: Metrics;
  /** Opens the database (default: database.ts); a test may hand one in. */
  open?: () => Promise<Database>;
  /**
   * REQUEST_DEADLINE_MS: the longest a statement on a PostgreSQL server may take (database.ts), so
   * a stalled server fails writes rather than holding them. Default: unbounded.
   */
  deadlineMs?: number;
  /** SHUTDOWN_GRACE_MS: how long close() waits for the writes not ended yet. Default: the default grace. */
  shutdownGraceMs?: number;
}

/** Reads waiting while one is written; more are skipped (the next read sees the same changes). */
const MAX_QUEUED = 8;
/** Comparisons tried when other replicas keep moving parts on first. */
const MAX_ATTEMPTS = 5;
const PRUNE_EVERY_MS = 3_600_000;
const PRUNE_BATCH = 5000;
/** Most batches one pruning deletes: bounded work; the rest waits for the next hour. */
const PRUNE_MAX_BATCHES = 40;
const DAY_MS = 86_400_000;

export function createHistory(parts: HistoryParts): History {
  const { settings, logger, metrics } = parts;
  const name = databaseName(settings);
  let state: HistoryState = 'starting';
  let db: Database | undefined;
  /** Reads waiting to be written, the one being written included. */
  let queued = 0;
  /** close() was called: reads are taken no more, REVOKED events still are while the database is open. */
  let closing = false;
  /** Past close()'s wait for the writes: nothing more is written. */
  let closed = false;
  let closeOnce: Promise<void> | undefined;
  /** The writes, one after another. */
  let writes: Promise<void> = Promise.resolve();
  /** Writes not ended yet, queued or direct (REVOKED events), for close() to wait for; and who waits for none to be left. */
  let pending = 0;
  let onIdle: (() => void) | undefined;
  let pruneTimer: NodeJS.Timeout | undefined;
  const races: Record<RaceReason, number> = { firstRead: 0, movedOn: 0, deadlock: 0, serialization: 0, duplicate: 0 };
  /** Why the history failed after it opened (PGlite's lock lost), for the fields' message. */
  let failure: Error | undefined;
  const partCache: PartCache = new Map();

  const opened = (parts.open ?? (() => openDatabase({ ...settings, timeoutMs: parts.deadlineMs })))().then(
    (database) => {
      db = database;
      state = 'ready';
      logger.info({ database: name, engine: database.engine }, `history: ${name} is open`);
      void database.lost.then((error) => {
        state = 'failed';
        failure = error;
        logger.error({ err: error, database: name }, `history: ${error.message}`);
      });
      if (closing) return;
      const pruned = (error: unknown) => notRecorded('the pruning', { error });
      pruneTimer = setInterval(() => void prune().catch(pruned), PRUNE_EVERY_MS);
      pruneTimer.unref();
      void prune().catch(pruned);
    },
    (error: unknown) => {
      state = 'failed';
      throw error;
    },
  );
  // Whoever awaits `opened` reports the failure; the queue must not see it as unhandled.
  opened.catch(() => {});

  /**
   * Every write the history does not make goes through here: one line naming it (`write`, never
   * with a credential) and one count of tokengraph_history_write_failures_total. An `error` line
   * with the database's error when it failed the write; a `warn` line saying why when the write was
   * dropped (a full queue, the history failed, closing or closed).
   */
  function notRecorded(write: string, cause: { error: unknown } | { why: string }): void {
    metrics?.historyWriteFailure();
    if ('error' in cause) logger.error({ err: cause.error, database: name, write }, 'history: writing to the database failed');
    else logger.warn({ database: name, write }, `history: ${write} was not recorded: ${cause.why}`);
  }

  /** `write` (never rejecting), counted in `pending` until it ends. */
  const tracked = (write: Promise<void>): Promise<void> => {
    pending += 1;
    return write.finally(() => {
      pending -= 1;
      if (pending === 0) onIdle?.();
    });
  };

  /** Runs `write` (`what`: its name) after the writes before it, once the database is open. */
  const enqueue = (what: string, write: (database: Database) => Promise<void>): Promise<void> => {
    const run = writes.then(async () => {
      try {
        await opened;
      } catch {
        return notRecorded(what, { why: `${name} could not be opened` });
      }
      if (!db || closed) return notRecorded(what, { why: 'the history is closed' });
      await write(db).catch((error: unknown) => notRecorded(what, { error }));
    });
    writes = run;
    return tracked(run);
  };

  /** Waits for the writes not ended yet, those made meanwhile too, up to `graceMs`; a warn line if some are left then. */
  const drain = async (graceMs: number) => {
    if (pending === 0) return;
    let timer: NodeJS.Timeout | undefined;
    const idle = new Promise<boolean>((resolve) => (onIdle = () => resolve(true)));
    const inTime = await Promise.race([idle, new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), graceMs)))]);
    clearTimeout(timer);
    onIdle = undefined;
    if (inTime) return;
    const writesLeft = pending === 1 ? '1 write was' : `${pending} writes were`;
    logger.warn({ database: name, pending }, `history: ${writesLeft} still waiting after the shutdown grace (${graceMs} ms); what is not written by the time the database closes is not recorded`);
  };

  const notOpen = () =>
    new TokengraphError(
      'UPSTREAM_UNAVAILABLE',
      state === 'starting' ? `the history is opening (${name}); ask again in a few seconds` : `the history is unavailable: ${failure ? failure.message : `${name} could not be opened`}`,
    );
  const ready = (): Database => {
    if (!db || closing || state !== 'ready') throw notOpen();
    return db;
  };

  /**
   * A query of a GraphQL field: a database that fails it is UPSTREAM_UNAVAILABLE for that field
   * alone (logged in full); one that has not answered by the request's deadline (`signal`'s abort)
   * is UPSTREAM_TIMEOUT for that field alone, the query left to end on its own.
   */
  const reading = async <T>(query: () => Promise<T>, signal: AbortSignal | undefined): Promise<T> => {
    const abandoned = (timedOut: boolean): never => {
      throw timedOut
        ? new TokengraphError('UPSTREAM_TIMEOUT', `the history's database (${name}) did not answer before the request's deadline`)
        : new TokengraphError('UPSTREAM_UNAVAILABLE', 'the client went away');
    };
    if (signal?.aborted) abandoned(timedOut(signal));
    const answer = query().catch((error: unknown) => {
      if (error instanceof TokengraphError) throw error;
      logger.error({ err: error, database: name }, 'history: reading the database failed');
      throw new TokengraphError('UPSTREAM_UNAVAILABLE', `the history's database (${name}) cannot be read now`);
    });
    return unlessAborted(answer, signal, abandoned);
  };

  const announce = (rows: readonly TokenEventRow[]) => {
    for (const row of rows) {
      logger.info(
        { event: 'token', at: row.at, kind: row.kind, source: row.source, tokenId: row.tokenId, token: row.token, name: row.name, owner: row.owner, detail: row.detail, actor: row.actor },
        `token ${row.kind} ${row.source} ${row.tokenId}`,
      );
      metrics?.tokenEvent(row.source, row.kind);
    }
  };

  const writeRead = async (database: Database, snapshot: Pick<Snapshot, 'collectedAt' | 'tokens' | 'parts'>, options: ReadOptions) => {
    const read = { at: snapshot.collectedAt, parts: readPartsOf(snapshot), judgeAbsent: options.judgeAbsent };
    const written = await recordReadParts(database, read, partCache, (attempt, reason) => {
      races[reason] += 1;
      logger.debug({ attempt, reason }, 'history: another replica recorded this read first; comparing again');
    });
    announce(written);
  };

  async function prune(now = Date.now()): Promise<number> {
    const database = db;
    if (!database) return 0;
    const before = new Date(now - settings.days * DAY_MS).toISOString();
    let deleted = 0;
    for (let batch = 0; batch < PRUNE_MAX_BATCHES; batch++) {
      const count = await deleteEventsBefore(database, before, PRUNE_BATCH);
      deleted += count;
      if (count < PRUNE_BATCH) break;
    }
    if (deleted > 0) logger.info({ deleted, before }, `history: deleted ${deleted} events older than ${settings.days} days`);
    return deleted;
  }

  return {
    get state() {
      return state;
    },
    name,
    opened,
    recordRead(snapshot, options) {
      const what = 'a read';
      if (closing) return Promise.resolve(notRecorded(what, { why: closed ? 'the history is closed' : 'the history is closing' }));
      if (state === 'failed') return Promise.resolve(notRecorded(what, { why: notOpen().message }));
      if (queued >= MAX_QUEUED) {
        return Promise.resolve(notRecorded(what, { why: `skipped while ${MAX_QUEUED} earlier ones wait to be written (the next read compares with the same state, so only the time of its changes is lost)` }));
      }
      queued += 1;
      return enqueue(what, (database) => writeRead(database, snapshot, options)).finally(() => (queued -= 1));
    },
    recordRevoked(token, revocation, signal) {
      const tokenState = tokenStateOf(token, revocation.at);
      const id = historyIdOf(token);
      const event: TokenEventRecord = {
        // One per revocation: a request revokes a token once (duplicate refs are one action).
        key: eventKey('REVOKED', id, `request ${revocation.requestId ?? revocation.at}`, `${revocation.at}`),
        at: revocation.at,
        kind: 'REVOKED',
        source: token.source,
        token: id,
        tokenId: tokenState.tokenId,
        name: tokenState.name,
        owner: tokenState.owner,
        detail: revocation.requestId ?? null,
        actor: revocation.keyFingerprint ?? null,
      };
      const write = async (database: Database) => announce(await database.transaction((tx) => insertEvents(tx, [event])));
      const what = `the REVOKED event of ${token.source} ${tokenState.tokenId}`;
      if (closed) return Promise.resolve(notRecorded(what, { why: 'the history is closed' }));
      if (state === 'failed') return Promise.resolve(notRecorded(what, { why: notOpen().message }));
      // Open: written at once, not behind the reads queued (a REVOKED event moves no part), so the
      // mutation answers after one insert, or at its deadline (the upstream revoked the token
      // whatever the database does); while the history closes too, which waits for it. Opening:
      // queued, and the mutation does not wait.
      if (db && state === 'ready') {
        return unlessAborted(tracked(write(db).catch((error: unknown) => notRecorded(what, { error }))), signal, (timedOut) => {
          const when = timedOut ? "before the request's deadline" : 'before its request ended (the client went away)';
          logger.warn({ database: name, write: what, requestId: revocation.requestId }, `history: ${what} was not written ${when}; it is still being written`);
        });
      }
      void enqueue(what, write);
      return Promise.resolve();
    },
    async events(args, signal) {
      const query = eventQuery(args);
      const database = ready();
      const rows = await reading(() => eventPage(database, query.filter, query.first, query.after), signal);
      let count: Promise<number> | undefined;
      return eventPageOf(rows, query, () => (count ??= reading(() => countEvents(database, query.filter), signal)));
    },
    loaders(signal) {
      const firstSeenLoader = new DataLoader<string, string | null>(async (tokens) => {
        const found = new Map((await reading(() => firstSeen(ready(), tokens), signal)).map((row) => [row.token, row.at]));
        return tokens.map((token) => found.get(token) ?? null);
      });
      const historyLoaders = new Map<number, DataLoader<string, TokenEventRow[]>>();
      const historyLoader = (first: number) => {
        let loader = historyLoaders.get(first);
        if (!loader) {
          loader = new DataLoader<string, TokenEventRow[]>(async (tokens) => {
            const byToken = new Map<string, TokenEventRow[]>(tokens.map((token) => [token, []]));
            for (const row of await reading(() => eventsOfTokens(ready(), tokens, first), signal)) byToken.get(row.token)?.push(row);
            return tokens.map((token) => byToken.get(token)!);
          });
          historyLoaders.set(first, loader);
        }
        return loader;
      };
      return {
        firstSeenAt: async (token) => {
          ready();
          return firstSeenLoader.load(historyIdOf(token));
        },
        history: async (token, first) => {
          const count = historyFirst(first);
          ready();
          return historyLoader(count).load(historyIdOf(token));
        },
      };
    },
    prune,
    races,
    database: () => db,
    close() {
      closeOnce ??= (async () => {
        closing = true;
        if (pruneTimer) clearInterval(pruneTimer);
        await drain(parts.shutdownGraceMs ?? DEFAULTS.shutdownGraceMs);
        closed = true;
        await opened.catch(() => {});
        const database = db;
        db = undefined;
        // Both engines finish the statements in flight before they close.
        await database?.close();
      })();
      return closeOnce;
    },
  };
}

/** `work`'s outcome, or `onAbort`'s (given whether it was the deadline) once `signal` aborts first; the work goes on either way. */
function unlessAborted<T>(work: Promise<T>, signal: AbortSignal | undefined, onAbort: (timedOut: boolean) => T): Promise<T> {
  if (!signal) return work;
  return new Promise<T>((resolve, reject) => {
    const abort = () => {
      try {
        resolve(onAbort(timedOut(signal)));
      } catch (error) {
        reject(error);
      }
    };
    if (signal.aborted) return abort();
    signal.addEventListener('abort', abort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', abort));
  });
}

/** Whether `signal` aborted at the request's deadline (a TimeoutError reason), not because its client went away. */
function timedOut(signal: AbortSignal): boolean {
  return (signal.reason as Error | undefined)?.name === 'TimeoutError';
}

/**
 * The parts' stored states this process has seen, by part: a read loads only the versions of its
 * sources' parts (no tokens), then the tokens of those whose version or read time is not the one
 * kept here (a part deleted and read anew starts again at version 1, from a later read).
 */
export type PartCache = Map<string, PartState>;

/**
 * Compares `read` with the stored states of its sources' parts and writes what changed, in one
 * transaction; compared again (`onRace`) when another replica moved a part on first. The events
 * inserted (not those another replica had inserted already).
 */
export async function recordReadParts(database: Database, read: Read, cache: PartCache = new Map(), onRace: (attempt: number, reason: RaceReason) => void = () => {}): Promise<TokenEventRow[]> {
  const sources = [...new Set(read.parts.map((part) => part.source))] as SourceName[];
  if (sources.length === 0) return [];
  for (let attempt = 1; ; attempt++) {
    const states = await storedStates(database, sources, cache);
    const changes = diffRead(read, states);
    if (changes.transitions.length === 0 && changes.events.length === 0) return [];
    try {
      const inserted = await database.transaction((tx) => applyTransitions(tx, changes.transitions, changes.events));
      for (const t of changes.transitions) {
        if (t.to === 0) cache.delete(t.part);
        else cache.set(t.part, { part: t.part, source: t.source, version: t.to, readAt: t.readAt, tokens: t.tokens });
      }
      return inserted;
    } catch (error) {
      const reason = raceReason(error);
      if (!reason || attempt >= MAX_ATTEMPTS) throw error;
      // Another replica overtook this comparison: compare again with what it stored.
      onRace(attempt, reason);
    }
  }
}

/** The stored states of `sources`' parts, through `cache`. */
async function storedStates(database: Database, sources: readonly SourceName[], cache: PartCache): Promise<Map<string, PartState>> {
  const versions = await loadPartVersions(database, sources);
  const stale = versions.filter((v) => {
    const kept = cache.get(v.part);
    return !kept || kept.version !== v.version || kept.readAt !== v.readAt;
  });
  if (stale.length > 0) for (const loaded of await loadPartStates(database, stale.map((v) => v.part))) cache.set(loaded.part, loaded);
  const states = new Map<string, PartState>();
  for (const v of versions) {
    const kept = cache.get(v.part);
    // Moved on again between the two queries: the next attempt (after a lost race) sees it.
    if (kept) states.set(v.part, kept);
  }
  const stored = new Set(versions.map((v) => v.part));
  for (const [part, kept] of cache) if (sources.includes(kept.source) && !stored.has(part)) cache.delete(part);
  return states;
}

/**
 * How another replica overtook a comparison: it read a part first or moved it on first (LostRace),
 * two transactions crossed (a deadlock, or a serialization failure), or a first read was inserted
 * twice (a duplicate key).
 */
export type RaceReason = LostRace['reason'] | 'deadlock' | 'serialization' | 'duplicate';

/** The race `error` says was lost; undefined for any other failure. */
function raceReason(error: unknown): RaceReason | undefined {
  if (error instanceof LostRace) return error.reason;
  const code = (error as { code?: unknown } | null)?.code;
  if (code === '40P01') return 'deadlock';
  if (code === '40001') return 'serialization';
  if (code === '23505') return 'duplicate';
  return undefined;
}
