/**
 * `npm start`: the production build, run with plain node. When dist/ is missing or older than any
 * of its inputs (a fresh clone, a pulled change), it is built first (about a second; one line says
 * so), so `npm install && npm start` works as it is. The server then runs in this process: signals
 * reach it directly, and the Node flags of `npm start` (package.json) apply to it.
 */
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { build, DIST, staleReason } from './build.mjs';

const reason = staleReason();
if (reason) {
  process.stderr.write(`tokengraph: building dist/ first: ${reason}\n`);
  await build();
}
await import(pathToFileURL(join(DIST, 'src', 'main.js')).href);
