/**
 * `npm run bench`'s tokengraph: configured from the environment exactly as `npm start` is
 * (the parent sets the upstreams' `*_URL` and credentials), logging at the configured level
 * to stdout (which the parent discards). Its history, unless the environment places it, is PGlite
 * in a fresh temporary directory (as a new deployment's; never the working directory's ./data),
 * open before the server says it is ready, so no measurement runs during PGlite's first open.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readConfig } from '../src/config/readConfig.js';
import { createLogger } from '../src/observability/createLogger.js';
import { createTokengraph } from '../src/http/createTokengraph.js';
import { send, serveStats } from './benchChild.js';

const config = readConfig(process.env);
if (config.history && !process.env.TOKENGRAPH_DATA_DIR && !config.history.databaseUrl && !config.demo) {
  const dir = mkdtempSync(join(tmpdir(), 'tokengraph-bench-history-'));
  config.history = { ...config.history, dataDir: join(dir, 'data') };
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
}
const tokengraph = await createTokengraph(config, createLogger(config.logLevel));
await tokengraph.history?.opened;
const url = await tokengraph.listen();
serveStats(tokengraph.httpServer, tokengraph.close);
send({ type: 'ready', url });
