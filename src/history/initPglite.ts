/**
 * PGlite's first open (its initdb) in a child process. PostgreSQL compiled to WebAssembly keeps
 * the linear memory it grows, and initdb grows it most: measured here (Node 20, PGlite 0.6), a
 * process that initdb'd a directory holds about 790 MiB RSS for the rest of its life, one that
 * reopens an initialised directory about 270 MiB, and one that loads an initialised in-memory
 * database from its dump (demo mode) about 400 MiB (700 MiB after an initdb in memory). So the
 * initdb runs here, in a process that exits, and tokengraph opens what it made.
 *
 * Run as a child: `initPglite.(ts|js) <dataDir>` initialises that directory; `initPglite.(ts|js)
 * '' <dumpFile>` initialises one in memory and writes its dump (a tar) to `dumpFile`. Any failure
 * is one line on stderr and exit code 1.
 */
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Makes sure `dataDir` is initialised, in a child process, unless it already is; without a
 * directory (memory), the dump of an initialised database to load. Rejects with the child's reason.
 */
export async function initPglite(dataDir: string | undefined): Promise<Blob | undefined> {
  if (dataDir && existsSync(join(dataDir, 'PG_VERSION'))) return undefined;
  const scratch = dataDir ? undefined : mkdtempSync(join(tmpdir(), 'tokengraph-pglite-'));
  const dump = scratch && join(scratch, 'initdb.tar');
  try {
    const self = fileURLToPath(import.meta.url);
    // From the sources (tsx, or vitest) the child needs tsx's loader; the build is plain JavaScript.
    const child = fork(self, [dataDir ?? '', dump ?? ''], { execArgv: self.endsWith('.ts') ? ['--import', 'tsx'] : [], stdio: ['ignore', 'ignore', 'pipe', 'ipc'] });
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const [code] = (await once(child, 'exit')) as [number | null];
    if (code !== 0) throw new Error(stderr.trim().split('\n')[0] || `its initdb process exited with ${code}`);
    return dump ? new Blob([readFileSync(dump)]) : undefined;
  } finally {
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  }
}

async function initdb(dataDir: string, dump: string): Promise<void> {
  const { PGlite } = await import('@electric-sql/pglite');
  const db = dataDir ? new PGlite(dataDir) : new PGlite();
  await db.waitReady;
  if (dump) writeFileSync(dump, Buffer.from(await (await db.dumpDataDir('none')).arrayBuffer()));
  await db.close();
}

if (process.send && process.argv[1] === fileURLToPath(import.meta.url)) {
  initdb(process.argv[2] ?? '', process.argv[3] ?? '').then(
    () => process.exit(0),
    (error: unknown) => {
      process.stderr.write(`${(error instanceof Error ? error.message : String(error)).split('\n')[0]}\n`);
      process.exit(1);
    },
  );
}
