/**
 * `npm run build`: the production build in `dist/`, run with plain `node` (no TypeScript loader).
 *
 *   dist/src/**.js            src/**.ts, each file transpiled by esbuild (types are checked by
 *                             `npm run typecheck`, not here); imports and layout unchanged
 *   dist/schema/              the SDL the server reads at start (graph/createSchema.ts)
 *   dist/web/operations/      the shipped operations (observability/shippedOperations.ts)
 *   dist/web/overview.js|css  the overview page's script, bundled now (http/overviewPage.ts serves
 *                             it; from source it bundles on first use)
 *   dist/examples/graphiql/   GraphiQL's example tabs (http/graphiqlPage.ts)
 *   dist/src/history/migrations/  the history's SQL migrations (history/database.ts)
 *   dist/.build               written last: when the build finished
 *
 * Plain JavaScript, so that `npm start` (scripts/start.mjs) can build with nothing but node and
 * esbuild. `node scripts/build.mjs [--scripts]`: `--scripts` also transpiles scripts/*.ts into
 * dist/scripts/ (the benches run their servers from there).
 */
import { cpSync, existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const DIST = join(ROOT, 'dist');
const STAMP = '.build';

/** Everything a build is made from: a change to any of these makes `dist/` stale. */
export const BUILD_INPUTS = ['src', 'schema', 'web', 'examples/graphiql', 'package.json', 'scripts/build.mjs'];
/** What the server reads at run time, copied as it is. */
const COPIED = ['schema', 'web/operations', 'web/overview.css', 'examples/graphiql', 'src/history/migrations'];

/**
 * Every file under `path` (or `path` itself), recursively.
 * @param {string} path
 * @returns {string[]}
 */
function filesUnder(path) {
  if (!existsSync(path)) return [];
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path, { withFileTypes: true }).flatMap((entry) => filesUnder(join(path, entry.name)));
}

/**
 * Why `dist` must be built again, or undefined when it is up to date: missing, or older than the
 * newest of `inputs` (paths relative to `root`).
 * @param {string} [root]
 * @param {string} [dist]
 * @param {readonly string[]} [inputs]
 * @returns {string | undefined}
 */
export function staleReason(root = ROOT, dist = DIST, inputs = BUILD_INPUTS) {
  const stamp = join(dist, STAMP);
  if (!existsSync(stamp)) return `${relative(root, dist) || dist}/ has no build`;
  const built = statSync(stamp).mtimeMs;
  for (const input of inputs) {
    const newer = filesUnder(join(root, input)).find((file) => statSync(file).mtimeMs > built);
    if (newer) return `${relative(root, newer)} changed since the last build`;
  }
  return undefined;
}

/**
 * Builds `dist/` from scratch; with `scripts`, scripts/*.ts too. Resolves to the number of modules.
 * @param {{ scripts?: boolean }} [options]
 * @returns {Promise<number>}
 */
export async function build({ scripts = false } = {}) {
  const esbuild = await import('esbuild');
  rmSync(DIST, { recursive: true, force: true });
  const sources = filesUnder(join(ROOT, 'src')).filter((file) => file.endsWith('.ts'));
  const benchScripts = scripts ? filesUnder(join(ROOT, 'scripts')).filter((file) => file.endsWith('.ts')) : [];
  await Promise.all([
    esbuild.build({
      entryPoints: [...sources, ...benchScripts],
      outbase: ROOT,
      outdir: DIST,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      sourcemap: true,
      logLevel: 'warning',
    }),
    esbuild.build({ ...overviewBundle(), outfile: join(DIST, 'web', 'overview.js') }),
  ]);
  for (const path of COPIED) cpSync(join(ROOT, path), join(DIST, path), { recursive: true });
  // Node reads dist/**.js as ES modules, as it reads src/ (package.json "type": "module").
  writeFileSync(join(DIST, STAMP), `${new Date().toISOString()}\n`);
  return sources.length + benchScripts.length;
}

/**
 * The overview page's bundle: the same options http/overviewPage.ts uses from source (web/bundle.json).
 * @returns {import('esbuild').BuildOptions}
 */
export function overviewBundle() {
  const options = JSON.parse(readFileSync(join(ROOT, 'web', 'bundle.json'), 'utf8'));
  return { ...options, entryPoints: [join(ROOT, 'web', 'overview.ts')], bundle: true };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const started = performance.now();
  const modules = await build({ scripts: process.argv.includes('--scripts') });
  console.log(`tokengraph: built ${modules} modules into dist/ in ${Math.round(performance.now() - started)} ms`);
}
