/**
 * The history's database (contract §12), one small interface over two engines that run the same
 * SQL: PGlite (`@electric-sql/pglite`, PostgreSQL compiled to WebAssembly, in this process; its
 * data in a directory, or in memory) and a PostgreSQL server (`pg`, with `DATABASE_URL`, shared
 * by replicas). Everything above it speaks plain SQL through `Queryable` (historyRepository.ts
 * holds every query); nothing here knows what the tables mean.
 *
 * Migrations are the numbered files of `migrations/` (`001_history.sql`, …), applied in order at
 * open, each in its own transaction, and recorded in `tokengraph_migrations`. Replicas that start
 * together on one server take turns through a transaction-scoped advisory lock, so each file runs
 * once. Their statements are bounded like any other (below): a migration is written to fit.
 *
 * PGlite's directory is one process's: a second opening it would see its own copy of the data and
 * overwrite the first's writes without an error (tried: two processes on one directory, each
 * inserting a row, each counted one). So the directory is locked while open (`tokengraph.lock` in
 * it, proper-lockfile: a lock whose holder died is taken over once it is 10 s stale, across
 * containers sharing the volume as well as processes), and a second process stops at start.
 *
 * A server that stalls (a lock held, a network gone quiet) must not hold what waits on it: each
 * statement on a server is bounded (`timeoutMs`, REQUEST_DEADLINE_MS: PostgreSQL's
 * `statement_timeout`, and `pg` stops waiting for the answer a second later), and idle connections
 * send TCP keep-alives so a peer gone silent is noticed. PGlite runs in this process: nothing to
 * bound there.
 *
 * A database that cannot be opened, reached or migrated is a `DatabaseError` whose message names
 * it (`PostgreSQL at postgres://tokengraph@db:5432/tokengraph`, `PGlite in ./data`) and never
 * carries the password of `DATABASE_URL`, in any encoding. `pg` takes a password from the URL's
 * user info and from its query string (`password=`, and `sslpassword=` for the client key): the
 * name keeps only the query parameters that say where and how to connect, and the driver's
 * message is scrubbed of all of them (security/safeText.ts, every encoding).
 */
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import lockfile from 'proper-lockfile';
import { scrubberFor } from '../security/safeText.js';
import { initPglite } from './initPglite.js';

/** What runs SQL: the database, or one transaction of it. Parameters are `$1`, `$2`, … */
export interface Queryable {
  query<R = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<{ rows: R[]; rowCount: number }>;
}

export interface Database extends Queryable {
  engine: 'pglite' | 'postgres';
  /** How messages name it, without a password. */
  name: string;
  /** Statements run so far (the tests count a request's queries). */
  readonly queries: number;
  /** Runs `work` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T>;
  /** Bytes the history's tables take, indexes and TOAST included. */
  size(): Promise<number>;
  /**
   * Resolves when the database may no longer be used: PGlite's directory lock was lost (its file
   * removed, or taken over after a stall), so another process may be writing to it. Every query
   * fails from then on. A server's never resolves.
   */
  readonly lost: Promise<DatabaseError>;
  close(): Promise<void>;
}

/** Where the history is kept (config/readConfig.ts `HistoryConfig`). */
export interface DatabaseTarget {
  /** `postgres://…`: a PostgreSQL server. */
  databaseUrl?: string;
  /** PGlite's data directory; neither this nor a URL: PGlite in memory. */
  dataDir?: string;
  /** Longest a statement on a server may take, ms (REQUEST_DEADLINE_MS); none: unbounded. */
  timeoutMs?: number;
}

export class DatabaseError extends Error {
  override name = 'DatabaseError';
}

/** The tables of the history, for `size` and for the tests that read every row. */
export const HISTORY_TABLES = ['token_events', 'token_part_states', 'token_first_seen', 'tokengraph_migrations'] as const;

const MIGRATIONS_DIR = new URL('./migrations/', import.meta.url);
/** Any number, the same in every replica: the advisory lock migrations take turns with. */
const MIGRATION_LOCK = 726_172_026;
/** The query parameters of DATABASE_URL a name keeps: where and how to connect, never a secret. */
const SHOWN_PARAMETERS: readonly string[] = ['host', 'port', 'sslmode'];
/** The query parameters `pg` reads a password from (pg-connection-string: every parameter is a setting). */
const PASSWORD_PARAMETERS = ['password', 'sslpassword'] as const;

/** How a target is named in messages: the server's URL without its password or other query parameters, or PGlite's directory. */
export function databaseName(target: DatabaseTarget): string {
  if (target.databaseUrl) return `PostgreSQL at ${withoutPassword(target.databaseUrl)}`;
  return target.dataDir ? `PGlite in ${target.dataDir}` : 'PGlite in memory';
}

/** Opens the database and applies the migrations it lacks; a `DatabaseError` naming it otherwise. */
export async function openDatabase(target: DatabaseTarget): Promise<Database> {
  const name = databaseName(target);
  let database: Database;
  try {
    database = target.databaseUrl ? await openServer(target.databaseUrl, name, target.timeoutMs) : await openEmbedded(target.dataDir, name);
  } catch (error) {
    throw new DatabaseError(`${name} cannot be opened: ${scrubbed(error, target.databaseUrl)}`);
  }
  try {
    await migrate(database);
  } catch (error) {
    await database.close().catch(() => {});
    throw new DatabaseError(`${name} cannot be migrated: ${scrubbed(error, target.databaseUrl)}`);
  }
  return database;
}

/** The numbered migrations, in order: `[version, name, sql]`. */
export function migrations(): Array<[number, string, string]> {
  return readdirSync(MIGRATIONS_DIR)
    .filter((file) => /^\d{3}_[a-z0-9_]+\.sql$/.test(file))
    .sort()
    .map((file) => [Number(file.slice(0, 3)), file, readFileSync(new URL(file, MIGRATIONS_DIR), 'utf8')]);
}

async function migrate(database: Database): Promise<void> {
  for (const [version, file, sql] of migrations()) {
    await database.transaction(async (tx) => {
      // Replicas starting together take turns here; the lock ends with the transaction.
      await tx.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
      await tx.query('CREATE TABLE IF NOT EXISTS tokengraph_migrations (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())');
      const applied = await tx.query('SELECT 1 FROM tokengraph_migrations WHERE version = $1', [version]);
      if (applied.rows.length > 0) return;
      await exec(tx, sql);
      await tx.query('INSERT INTO tokengraph_migrations (version, name) VALUES ($1, $2)', [version, file]);
    });
  }
}

/** A file of several statements: each runs on its own (parameterless, so both engines take them). */
async function exec(tx: Queryable, sql: string): Promise<void> {
  const statements = sql
    .replace(/--[^\n]*/g, '')
    .split(';')
    .map((statement) => statement.trim())
    .filter(Boolean);
  for (const statement of statements) await tx.query(statement);
}

/** How stale the lock of a PGlite directory gets before another process may take it over, ms. */
const LOCK_STALE_MS = 10_000;

/** Locks PGlite's `dataDir` for this process; the release. A directory another process holds: an error saying so. */
async function lockDirectory(dataDir: string, onLost: (error: Error) => void): Promise<() => Promise<void>> {
  mkdirSync(dataDir, { recursive: true });
  try {
    return await lockfile.lock(dataDir, { lockfilePath: join(dataDir, 'tokengraph.lock'), stale: LOCK_STALE_MS, update: LOCK_STALE_MS / 5, retries: 0, onCompromised: onLost });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ELOCKED') throw error;
    throw new Error('another tokengraph process has it open (PGlite is one process\'s: replicas share a PostgreSQL server, DATABASE_URL)');
  }
}

async function openEmbedded(dataDir: string | undefined, name: string): Promise<Database> {
  // Loaded only when used: a server deployment never loads the WebAssembly build.
  const { PGlite } = await import('@electric-sql/pglite');
  /** Set when the directory's lock was lost (its file removed or taken over): every query then fails, loudly. */
  let lost: DatabaseError | undefined;
  let announceLost: (error: DatabaseError) => void = () => {};
  const whenLost = new Promise<DatabaseError>((resolve) => (announceLost = resolve));
  const loseLock = (error: Error) => {
    lost = new DatabaseError(`${name} lost its lock (${messageOf(error)}): another process may be writing to it, so this one reads and writes it no more`);
    announceLost(lost);
  };
  const release = dataDir ? await lockDirectory(dataDir, loseLock) : async () => {};
  let db: InstanceType<typeof PGlite>;
  try {
    // initdb in a child process: this one keeps the memory it grows (initPglite.ts).
    const loadDataDir = await initPglite(dataDir);
    db = dataDir ? new PGlite(dataDir) : new PGlite({ loadDataDir });
    await db.waitReady;
  } catch (error) {
    await release().catch(() => {});
    throw error;
  }
  let queries = 0;
  const run = (target: Pick<typeof db, 'query'>) => async (sql: string, params?: readonly unknown[]) => {
    if (lost) throw lost;
    queries += 1;
    const result = await target.query(sql, params as unknown[] | undefined);
    // PGlite counts only the rows a statement changed; a SELECT's are its rows.
    return { rows: result.rows as never[], rowCount: Math.max(result.affectedRows ?? 0, result.rows.length) };
  };
  const query = run(db) as Queryable['query'];
  return {
    engine: 'pglite',
    name,
    get queries() {
      return queries;
    },
    query,
    transaction: (work) => db.transaction((tx) => work({ query: run(tx) as Queryable['query'] })),
    size: () => tablesSize({ query }),
    lost: whenLost,
    async close() {
      await db.close();
      await release().catch(() => {});
    },
  };
}

/** How much longer than a statement's own timeout `pg` waits for the server's answer (which a stalled network never sends), ms. */
const ANSWER_MARGIN_MS = 1000;
/** How long a connection is idle before TCP keep-alives probe the server, ms. */
const KEEP_ALIVE_MS = 10_000;

async function openServer(databaseUrl: string, name: string, timeoutMs: number | undefined): Promise<Database> {
  const { default: pg } = await import('pg');
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    max: 4,
    connectionTimeoutMillis: 10_000,
    keepAlive: true,
    keepAliveInitialDelayMillis: KEEP_ALIVE_MS,
    ...(timeoutMs !== undefined && { statement_timeout: timeoutMs, query_timeout: timeoutMs + ANSWER_MARGIN_MS }),
  });
  // An idle connection the server closed is an error on the pool: logged by whoever queries next, never a crash.
  pool.on('error', () => {});
  try {
    await pool.query('SELECT 1');
  } catch (error) {
    await pool.end().catch(() => {});
    throw error;
  }
  let queries = 0;
  const query = (async (sql: string, params?: readonly unknown[]) => {
    queries += 1;
    const result = await pool.query(sql, params as unknown[] | undefined);
    return { rows: result.rows, rowCount: result.rowCount ?? result.rows.length };
  }) as Queryable['query'];
  return {
    engine: 'postgres',
    name,
    get queries() {
      return queries;
    },
    query,
    async transaction(work) {
      const client = await pool.connect();
      let failed: Error | undefined;
      try {
        await client.query('BEGIN');
        const result = await work({
          query: (async (sql: string, params?: readonly unknown[]) => {
            queries += 1;
            const answer = await client.query(sql, params as unknown[] | undefined);
            return { rows: answer.rows, rowCount: answer.rowCount ?? answer.rows.length };
          }) as Queryable['query'],
        });
        await client.query('COMMIT');
        return result;
      } catch (error) {
        // A connection that cannot even roll back (its statement timed out unanswered) is not reused.
        failed = await client.query('ROLLBACK').then(
          () => undefined,
          (rollback: unknown) => rollback as Error,
        );
        throw error;
      } finally {
        client.release(failed);
      }
    },
    size: () => tablesSize({ query }),
    // A server has no lock to lose: one that fails fails each query.
    lost: new Promise(() => {}),
    close: () => pool.end(),
  };
}

async function tablesSize(db: Queryable): Promise<number> {
  const { rows } = await db.query<{ bytes: string | number }>(
    `SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0)::text AS bytes FROM pg_class c WHERE c.relkind = 'r' AND c.relname = ANY($1::text[])`,
    [HISTORY_TABLES],
  );
  return Number(rows[0]?.bytes ?? 0);
}

function withoutPassword(databaseUrl: string): string {
  try {
    const url = new URL(databaseUrl);
    url.password = '';
    url.hash = '';
    url.search = new URLSearchParams([...url.searchParams].filter(([parameter]) => SHOWN_PARAMETERS.includes(parameter))).toString();
    return url.toString();
  } catch {
    return 'DATABASE_URL';
  }
}

function messageOf(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0]!.trim() || 'unknown error';
}

/** `error`'s message without any password of `databaseUrl`, in any encoding. */
function scrubbed(error: unknown, databaseUrl: string | undefined): string {
  const message = messageOf(error);
  if (!databaseUrl) return message;
  return scrubberFor(passwordsOf(databaseUrl))(message) ?? message;
}

/** Every password `pg` may take from `databaseUrl`, as written and as `pg` decodes it; one it cannot parse is all secret. */
function passwordsOf(databaseUrl: string): string[] {
  let url: URL;
  try {
    url = new URL(databaseUrl);
  } catch {
    return [databaseUrl];
  }
  const passwords = [url.password, ...PASSWORD_PARAMETERS.map((parameter) => url.searchParams.get(parameter) ?? '')];
  try {
    passwords.push(decodeURIComponent(url.password));
  } catch {
    // kept as written
  }
  return passwords;
}
