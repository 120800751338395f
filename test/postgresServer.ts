/**
 * A real PostgreSQL server for the history tests: Debian's `postgresql` (npm test's pretest step
 * installs it, scripts/systemPackages.ts), a cluster initdb'd in a temporary directory and a
 * `postgres` started on a free 127.0.0.1 port, stopped by its PID afterwards and its directory
 * removed. Host connections need a password (scram-sha-256), so the tests can show a DATABASE_URL
 * with one is never printed. PostgreSQL refuses to run as root, and CI runs as root: then initdb
 * and postgres run as the `postgres` system user through `setpriv`, which execs them (the PID is
 * the server's own). No server is a failure, not a skip.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { closedPort } from './harness.js';

export interface TestPostgres {
  /** postgres://tokengraph:<password>@127.0.0.1:<port>/postgres */
  url: string;
  password: string;
  /** A fresh, empty database on the server; its URL. */
  createDatabase(name: string): Promise<string>;
  stop(): Promise<void>;
}

const USER = 'tokengraph';
const PASSWORD = 'PGPASSWORD-history-Vb7Qm2Xc9Lk4';

/** The directory of Debian's newest PostgreSQL binaries (`/usr/lib/postgresql/<n>/bin`), or PATH's. */
function binDir(): string {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).filter((name) => existsSync(join(root, name, 'bin', 'postgres'))) : [];
  versions.sort((a, b) => Number(b) - Number(a));
  if (versions[0]) return join(root, versions[0], 'bin');
  const found = spawnSync('sh', ['-c', 'command -v initdb'], { encoding: 'utf8' }).stdout.trim();
  if (!found) throw new Error("PostgreSQL's initdb and postgres are not installed (npm test's pretest step installs Debian's postgresql)");
  return found.replace(/\/initdb$/, '');
}

/** How to run PostgreSQL's programs: as is, or as the `postgres` user when this process is root. */
function asServerUser(): { prefix: string[]; uid?: number; gid?: number } {
  if (process.getuid?.() !== 0) return { prefix: [] };
  const id = (flag: string) => Number(spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' }).stdout.trim());
  const [uid, gid] = [id('-u'), id('-g')];
  if (!Number.isInteger(uid) || !Number.isInteger(gid)) throw new Error('running as root, and there is no postgres user to run PostgreSQL as');
  return { prefix: ['setpriv', `--reuid=${uid}`, `--regid=${gid}`, '--init-groups', '--'], uid, gid };
}

export async function startPostgres(): Promise<TestPostgres> {
  const bin = binDir();
  const user = asServerUser();
  const dir = mkdtempSync(join(tmpdir(), 'tokengraph-pg-'));
  const data = join(dir, 'data');
  const pwfile = join(dir, 'pw');
  writeFileSync(pwfile, `${PASSWORD}\n`);
  if (user.uid !== undefined) {
    chownSync(dir, user.uid, user.gid!);
    chownSync(pwfile, user.uid, user.gid!);
  }
  chmodSync(dir, 0o700);
  const run = (program: string, args: string[]) => [...user.prefix, join(bin, program), ...args];
  const [initdb, ...initArgs] = run('initdb', ['-D', data, '-U', USER, '--pwfile', pwfile, '--auth-host=scram-sha-256', '--auth-local=trust', '-E', 'UTF8', '--no-instructions']);
  const init = spawnSync(initdb!, initArgs, { encoding: 'utf8' });
  if (init.status !== 0) throw new Error(`initdb failed: ${init.stderr || init.error?.message}`);
  const port = await closedPort();
  const [postgres, ...args] = run('postgres', ['-D', data, '-p', String(port), '-h', '127.0.0.1', '-k', dir, '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off']);
  const child: ChildProcess = spawn(postgres!, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  await new Promise<void>((resolve, reject) => {
    child.once('spawn', resolve);
    child.once('error', (error) => reject(new Error(`postgres could not be started: ${error.message}`)));
  });
  const url = `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/postgres`;
  const admin = new pg.Client({ connectionString: url });
  for (let attempt = 0; ; attempt++) {
    try {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      await client.end();
      break;
    } catch (error) {
      if (child.exitCode !== null || attempt >= 100) throw new Error(`postgres on port ${port} did not answer: ${String(error)}\n${stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  await admin.connect();
  return {
    url,
    password: PASSWORD,
    async createDatabase(name) {
      if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`not a database name: ${name}`);
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.query(`CREATE DATABASE ${name}`);
      return url.replace(/\/postgres$/, `/${name}`);
    },
    async stop() {
      await admin.end().catch(() => {});
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve));
        // SIGINT: PostgreSQL's fast shutdown (ends the sessions, then exits).
        process.kill(child.pid!, 'SIGINT');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
