/**
 * The token overview page at `/` (web/): its HTML, and its script bundled by esbuild from
 * web/overview.ts the first time it is asked for, then kept in memory. Nothing on the page
 * comes from another host. In demo mode the page opens with the demo tokens on its watch
 * list; otherwise with an empty one.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { DEMO_REFS } from '../demo/demoData.js';
import type { StaticAsset } from './responses.js';
import { SOURCES } from '../sources.js';

export const OVERVIEW_ASSET_PREFIX = '/overview/';

const WEB_DIR = new URL('../../web/', import.meta.url);

export interface OverviewPageOptions {
  demo: boolean;
  /** The GraphQL endpoint's path. */
  endpoint: string;
}

/** Crafter access tokens are all listed anyway; the demo watch list holds the others. */
const DEMO_WATCH = DEMO_REFS.filter((ref) => ref.source !== 'CRAFTER_ACCESS_TOKEN').map((ref) => ({ ...ref }));

/** JSON that is safe inside a <script> element: no `</script>`, no `<!--`. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}

/** Text that is safe inside an HTML attribute or element. */
function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The watch form's sources: those that cannot be listed first, as they are the ones a person adds. */
const SOURCE_OPTIONS = [...SOURCES.filter((row) => !row.listable), ...SOURCES.filter((row) => row.listable)]
  .map((row) => `<option value="${row.name}">${escapeHtml(row.label)}</option>`)
  .join('');

export function overviewHtml(options: OverviewPageOptions): string {
  const config = { endpoint: options.endpoint, demo: options.demo, defaultWatch: options.demo ? DEMO_WATCH : [] };
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>tokengraph · token overview</title>
<link rel="stylesheet" href="${OVERVIEW_ASSET_PREFIX}overview.css">
</head>
<body>
<header>
  <h1>tokengraph <span>token overview</span></h1>
  ${options.demo ? '<span class="hint">demo mode: embedded demo upstreams</span>' : ''}
  <nav><a href="${escapeHtml(options.endpoint)}">GraphiQL</a></nav>
</header>
<main>
  <div id="failures" role="alert" hidden></div>
  <section aria-labelledby="watch-title">
    <h2 id="watch-title">Watch list</h2>
    <p class="hint">Only Crafter access tokens can be listed upstream; add any other token by its reference. The list is kept in this page's address, so the view can be shared.</p>
    <form id="add-ref" class="inline">
      <label>Source <select id="ref-source">${SOURCE_OPTIONS}</select></label>
      <label id="field-accountId">Account <input id="ref-accountId" autocomplete="off" maxlength="256"></label>
      <label id="field-userId">User <input id="ref-userId" autocomplete="off" maxlength="256"></label>
      <label>Token id <input id="ref-tokenId" required autocomplete="off" maxlength="256"></label>
      <button class="primary" type="submit">Watch</button>
    </form>
    <ul id="watch-list" class="chips" aria-label="Watched tokens"></ul>
    <p id="watch-empty" class="hint" hidden>No token is watched.</p>
  </section>
  <section aria-labelledby="tokens-title">
    <div class="toolbar">
      <h2 id="tokens-title">Tokens</h2>
      <button id="refresh" type="button">Refresh</button>
      <span id="state" aria-live="polite"></span>
    </div>
    <p class="hint">Expired tokens are marked red; tokens expiring within <span id="soon-days"></span> days amber. Dates are UTC.</p>
    <table>
      <thead><tr><th>Source</th><th>Name</th><th>Owner</th><th>Created</th><th>Last used</th><th>Expires</th><th>Status</th></tr></thead>
      <tbody id="token-rows"></tbody>
    </table>
    <p id="empty" class="hint" hidden>No tokens to show.</p>
  </section>
  <details>
    <summary>API key</summary>
    <form id="api-key-form" class="inline">
      <label>Key for <code>Authorization: Bearer</code> (kept in this tab only) <input id="api-key" type="password" autocomplete="off"></label>
      <button type="submit">Save</button>
    </form>
  </details>
</main>
<script type="application/json" id="tokengraph-config">${scriptJson(config)}</script>
<script src="${OVERVIEW_ASSET_PREFIX}overview.js"></script>
</body>
</html>
`;
}

let assets: Promise<Map<string, StaticAsset>> | undefined;

/** The page's script and style sheet by file name; built once per process, on first use. */
export function overviewAssets(): Promise<Map<string, StaticAsset>> {
  assets ??= buildAssets().catch((error: unknown) => {
    assets = undefined; // let the next request try again
    throw error;
  });
  return assets;
}

async function buildAssets(): Promise<Map<string, StaticAsset>> {
  const [bundle, css] = await Promise.all([
    build({
      entryPoints: [fileURLToPath(new URL('overview.ts', WEB_DIR))],
      bundle: true,
      write: false,
      format: 'iife',
      target: 'es2020',
      minify: true,
      legalComments: 'none',
      logLevel: 'silent',
    }),
    readFile(new URL('overview.css', WEB_DIR)),
  ]);
  return new Map([
    ['overview.js', { contentType: 'text/javascript; charset=utf-8', body: Buffer.from(bundle.outputFiles[0]!.contents) }],
    ['overview.css', { contentType: 'text/css; charset=utf-8', body: css }],
  ]);
}
