/**
 * The token overview page at `/` (web/): the inventory, soonest expiry first, with filters and
 * a watch list kept in the URL. Its HTML is here; its script is web/overview.js, bundled by
 * `npm run build` (scripts/build.mjs), or, run from source, bundled by esbuild from
 * web/overview.ts the first time it is asked for (with the same options, web/bundle.json); either
 * way then kept in memory. Nothing on the page
 * comes from another host. The page opens with an empty watch list in every mode: what the
 * server watches (TOKENGRAPH_WATCH; in demo mode the demo's tickets and game tokens) is in the
 * inventory already. The Revoke dialog's markup is here too; web/revokeDialog.ts drives it. The
 * finding counts and the export links are filled in and kept current by the script, as are each
 * row's details (its history) and the "Recent changes" list (web/tokenHistory.ts).
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { TokenEventKind, TokenStatus } from '../generated/client/graphql.js';
import { EXPORT_PATHS } from './inventoryExport.js';
import type { StaticAsset } from './responses.js';
import { SOURCES } from '../sources.js';

export const OVERVIEW_ASSET_PREFIX = '/overview/';

const WEB_DIR = new URL('../../web/', import.meta.url);

export interface OverviewPageOptions {
  demo: boolean;
  /** The GraphQL endpoint's path. */
  endpoint: string;
}

/** JSON that is safe inside a <script> element: no `</script>`, no `<!--`. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}

/** Text that is safe inside an HTML attribute or element. */
function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * The watch form's sources: those that cannot be listed first, as they are the ones a person adds.
 * Not Crafter access tokens: they are all listed, and watching one would mean typing the token.
 */
const WATCHABLE = SOURCES.filter((row) => row.id !== 'secret');
const SOURCE_OPTIONS = [...WATCHABLE.filter((row) => !row.listable), ...WATCHABLE.filter((row) => row.listable)]
  .map((row) => `<option value="${row.name}">${escapeHtml(row.label)}</option>`)
  .join('');

/** "A, B and C". */
const inWords = (labels: string[]) => (labels.length > 1 ? `${labels.slice(0, -1).join(', ')} and ${labels.at(-1)}` : (labels[0] ?? ''));
const LISTED = inWords(SOURCES.filter((row) => row.listable).map((row) => row.label));
const WATCHED_ONLY = SOURCES.filter((row) => !row.listable).map((row) => row.label).join(', ');

/**
 * The filter form's checkboxes: one per source, in the sources table's order, then one per status.
 * The statuses and Recent changes' kinds are in their enum's order (schema/token.graphql,
 * schema/history.graphql), each list written as a record of the generated type: a value the schema
 * gains and this lacks fails the type check (test/unit/http/overviewPage.test.ts checks the order).
 */
const checkbox = (name: string, value: string, label: string) =>
  `<label class="check"><input type="checkbox" name="${name}" value="${escapeHtml(value)}"> ${escapeHtml(label)}</label>`;
const SOURCE_CHECKBOXES = SOURCES.map((row) => checkbox('source', row.name, row.label)).join('');
const STATUSES = { ACTIVE: 0, EXPIRED: 0, NEVER_EXPIRES: 0, UNKNOWN: 0 } satisfies Record<TokenStatus, 0>;
const STATUS_CHECKBOXES = Object.keys(STATUSES).map((status) => checkbox('status', status, status)).join('');
const KINDS = { APPEARED: 0, DISAPPEARED: 0, CHANGED: 0, EXPIRED: 0, REVOKED: 0 } satisfies Record<TokenEventKind, 0>;
const KIND_CHECKBOXES = Object.keys(KINDS).map((kind) => checkbox('kind', kind, kind)).join('');

export function overviewHtml(options: OverviewPageOptions): string {
  // No default watch list: the server's own (TOKENGRAPH_WATCH, the demo's tickets and game
  // tokens) is in the inventory already. The field stays so a server could give one.
  const config = { endpoint: options.endpoint, demo: options.demo, defaultWatch: [] };
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
  <div id="gaps" role="status" hidden></div>
  <div id="failures" role="alert" hidden></div>
  <section aria-labelledby="filters-title">
    <h2 id="filters-title">Filters</h2>
    <form id="filters" class="filters">
      <fieldset><legend>Source</legend>${SOURCE_CHECKBOXES}</fieldset>
      <fieldset><legend>Status</legend>${STATUS_CHECKBOXES}</fieldset>
      <label>Expiring within (days) <input id="within" name="within" type="number" min="0" max="3650" step="1" inputmode="numeric" autocomplete="off"></label>
      <label>Search name, owner or id <input id="q" name="q" type="search" maxlength="256" autocomplete="off"></label>
      <button id="clear-filters" type="button">Clear</button>
    </form>
    <div class="findings-bar">
      <span id="findings-title" class="bar-title">Findings</span>
      <div id="finding-counts" class="finding-counts" role="group" aria-labelledby="findings-title"></div>
    </div>
    <p class="hint">Each count is how many tokens have that finding among those the other filters keep. Click a count to show only the tokens with that finding, click more for any of them, and again to drop it; the counts stay as they are.</p>
  </section>
  <section aria-labelledby="tokens-title">
    <div class="toolbar">
      <h2 id="tokens-title">Tokens</h2>
      <button id="refresh" type="button" title="Read every source again instead of the inventory kept">Refresh</button>
      <span id="state" aria-live="polite"></span>
      <span class="exports">
        <a id="export-csv" class="export" href="${EXPORT_PATHS.csv}" data-format="CSV">Export CSV</a>
        <a id="export-ndjson" class="export" href="${EXPORT_PATHS.ndjson}" data-format="NDJSON">Export NDJSON</a>
        <span id="export-state" role="status" aria-live="polite"></span>
      </span>
    </div>
    <p class="hint">Soonest expiry first; tokens with no expiry last. Expired tokens are marked red; tokens expiring within <span id="soon-days"></span> days amber. Dates are UTC. ▸ opens a token's details: when tokengraph first saw it and its history, newest first. The exports hold every token the filters keep (not only those shown, nor the tokens watched in this page alone), with their findings, in the same order; they are sent with the API key below.</p>
    <div class="table-wrap"><table>
      <thead><tr><th>Source</th><th>Name</th><th>Owner</th><th>Created</th><th>Last used</th><th>Expires</th><th>Status</th><th>Findings</th><th>Action</th></tr></thead>
      <tbody id="token-rows"></tbody>
    </table></div>
    <p id="empty" class="hint" hidden>No tokens to show.</p>
    <p class="more"><button id="load-more" type="button" hidden>Load more</button></p>
  </section>
  <section aria-labelledby="changes-title">
    <div class="toolbar">
      <h2 id="changes-title">Recent changes</h2>
      <span id="changes-state" aria-live="polite"></span>
    </div>
    <form id="change-kinds" class="filters">
      <fieldset><legend>Kind</legend>${KIND_CHECKBOXES}</fieldset>
    </form>
    <p class="hint">What tokengraph saw happen to tokens, newest first, across every token: from the sources chosen in the filters above and the kinds chosen here (none chosen: all). Times are UTC. A token still shown in the table above links to its row. CHANGED says which fields changed, old → new; REVOKED names the API key that revoked it by its fingerprint (as in the audit line) and the request.</p>
    <div id="changes-problem" hidden></div>
    <div class="table-wrap"><table class="changes">
      <thead><tr><th>Time</th><th>Kind</th><th>Source</th><th>Token</th><th>Owner</th><th>Detail</th><th>Actor</th></tr></thead>
      <tbody id="change-rows"></tbody>
    </table></div>
    <p class="more"><button id="changes-more" type="button" hidden>Load more changes</button></p>
  </section>
  <section aria-labelledby="watch-title">
    <h2 id="watch-title">Watch list</h2>
    <p class="hint">Listed automatically: ${escapeHtml(LISTED)}. The other sources (${escapeHtml(WATCHED_ONLY)}) cannot be listed upstream: the inventory holds those tokengraph watches (<code>TOKENGRAPH_WATCH</code>), and you can watch any token here by its reference. Watched tokens are marked. The list is kept in this page's address, so the view can be shared, except Crafter tickets: a ticket id is a session, so a watched ticket stays in this page only while it is open.</p>
    <form id="add-ref" class="inline">
      <label>Source <select id="ref-source">${SOURCE_OPTIONS}</select></label>
      <label id="field-accountId">Account <input id="ref-accountId" autocomplete="off" maxlength="256"></label>
      <label id="field-userId">User <input id="ref-userId" autocomplete="off" maxlength="256"></label>
      <label>Token id <input id="ref-tokenId" required autocomplete="off" maxlength="256"></label>
      <button class="primary" type="submit">Watch</button>
    </form>
    <ul id="watch-list" class="chips" aria-label="Watched tokens"></ul>
    <p id="watch-empty" class="hint" hidden>No token is watched in this page.</p>
  </section>
  <dialog id="revoke-dialog" aria-labelledby="revoke-title">
    <h2 id="revoke-title">Revoke this token?</h2>
    <dl class="revoke-token">
      <dt>Source</dt><dd id="revoke-source"></dd>
      <dt>Name</dt><dd id="revoke-name"></dd>
      <dt>Owner</dt><dd id="revoke-owner"></dd>
      <dt>Token id</dt><dd id="revoke-shown-id" class="token-id"></dd>
    </dl>
    <p class="hint">tokengraph first reads the token (a dry run) and revokes nothing until you confirm. A revoked token cannot be restored: whatever uses it stops working.${options.demo ? ' In demo mode this revokes demo data, restored when tokengraph restarts.' : ''} Both requests carry the key saved under “API key”: where tokengraph has admin keys (<code>TOKENGRAPH_ADMIN_API_KEYS</code>), any other key is refused with FORBIDDEN.</p>
    <form id="revoke-id-form" class="inline" hidden>
      <p class="hint">A Crafter access token’s id is itself a credential, so tokengraph only ever shows its first and last four characters and this page never has the whole id. To revoke it, paste its full id and check it: it goes to tokengraph in the body of the dry run and of the revocation only, never into the address or any storage, and this field is cleared when the dialog closes.</p>
      <label>Full token id <input id="revoke-full-id" type="password" required autocomplete="off" spellcheck="false" maxlength="256"></label>
      <button type="submit">Check id</button>
    </form>
    <p id="revoke-status" role="status" aria-live="polite"></p>
    <div class="dialog-actions">
      <button id="revoke-cancel" type="button">Cancel</button>
      <button id="revoke-confirm" class="danger" type="button" disabled>Yes, revoke</button>
    </div>
  </dialog>
  <details>
    <summary>API key</summary>
    <form id="api-key-form" class="inline">
      <label>Key for <code>Authorization: Bearer</code> (kept in this page's memory only: a reload asks again) <input id="api-key" type="password" autocomplete="off"></label>
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
  const [script, css] = await Promise.all([readFile(new URL('overview.js', WEB_DIR)).catch(() => bundleFromSource()), readFile(new URL('overview.css', WEB_DIR))]);
  return new Map([
    ['overview.js', { contentType: 'text/javascript; charset=utf-8', body: script }],
    ['overview.css', { contentType: 'text/css; charset=utf-8', body: css }],
  ]);
}

/** From source there is no built script: bundle web/overview.ts now (esbuild is loaded only then). */
async function bundleFromSource(): Promise<Buffer> {
  const { build } = await import('esbuild');
  const options = JSON.parse(await readFile(new URL('bundle.json', WEB_DIR), 'utf8')) as Record<string, unknown>;
  const result = await build({ ...options, entryPoints: [fileURLToPath(new URL('overview.ts', WEB_DIR))], bundle: true, write: false });
  return Buffer.from(result.outputFiles[0]!.contents);
}
