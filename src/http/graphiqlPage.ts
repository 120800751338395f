/**
 * GraphiQL, served by tokengraph itself from the graphiql, react and react-dom packages:
 * the page loads nothing from any other host, so it works on an air-gapped network. The
 * files are read once at start-up and served from memory.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { StaticAsset } from './responses.js';

const require = createRequire(import.meta.url);

export const GRAPHIQL_ASSET_PREFIX = '/graphiql/';

/**
 * The tabs GraphiQL opens with: the operations of examples/graphiql/, in file-name order
 * (one per source, a mixed `tokens` query, a `node` refetch, tokens expiring soon, a
 * revocation as a dry run), each with the variables of its `<name>.variables.json` if there is
 * one: Crafter ticket and access-token ids are credentials, which tokengraph refuses written in a
 * document, so those tabs take them as variables. The operations are checked against the schema
 * by `npm run codegen`, so they cannot drift from it.
 */
const EXAMPLES_DIR = new URL('../../examples/graphiql/', import.meta.url);

export interface ExampleTab {
  query: string;
  /** The tab's variables, as JSON text. */
  variables?: string;
}

export function loadExampleTabs(): ExampleTab[] {
  const files = new Set(readdirSync(EXAMPLES_DIR));
  return [...files]
    .filter((file) => file.endsWith('.graphql'))
    .sort()
    .map((file) => {
      const query = readFileSync(new URL(file, EXAMPLES_DIR), 'utf8');
      const variablesFile = file.replace(/\.graphql$/, '.variables.json');
      if (!files.has(variablesFile)) return { query };
      // Parsed and printed again: a malformed file fails at start-up, not in the page.
      const variables = JSON.parse(readFileSync(new URL(variablesFile, EXAMPLES_DIR), 'utf8')) as unknown;
      return { query, variables: JSON.stringify(variables, null, 2) };
    });
}

/** The one thing the page keeps in localStorage by itself: whether GraphiQL may keep its tabs there. */
export const GRAPHIQL_PERSIST_FLAG = 'tokengraph.graphiql.persist';

/**
 * GraphiQL keeps its tabs (queries, variables, results) and its history in `localStorage` by
 * default, where a credential written in a tab would outlive the page in the browser profile.
 * Here its storage is this page's memory, so a reload starts again from the examples, unless the
 * person ticks "Keep tabs…" (a flag of its own in localStorage): then it is also written through
 * to localStorage and read back at the next load. Unticking removes GraphiQL's entries from
 * localStorage. Headers (where an API key goes) are never kept: `shouldPersistHeaders: false` keeps
 * them out of the tabs, and `withoutHeaders` out of the history GraphiQL writes for each run.
 */
const initScript = (tabs: ExampleTab[]) => `
(function () {
  var FLAG = ${JSON.stringify(GRAPHIQL_PERSIST_FLAG)};
  var PREFIX = 'graphiql:';
  var toggle = document.getElementById('persist');
  var persist = localStorage.getItem(FLAG) === 'on';
  var memory = new Map();
  function graphiqlKeys() {
    var keys = [];
    for (var i = 0; i < localStorage.length; i++) {
      var key = localStorage.key(i);
      if (key !== null && key.indexOf(PREFIX) === 0) keys.push(key);
    }
    return keys;
  }
  // Kept: read back what the last page stored. Not kept: drop whatever an earlier page left.
  graphiqlKeys().forEach(function (key) {
    if (persist) memory.set(key, localStorage.getItem(key));
    else localStorage.removeItem(key);
  });
  // What is written to localStorage: every headers field null. shouldPersistHeaders keeps them out
  // of the tabs only; GraphiQL's history (graphiql:queries, graphiql:favorites) records each run's
  // headers pane, API key included. Page memory keeps them whole. Null, not deleted: GraphiQL drops
  // a stored tab state whose tabs lack the field.
  function withoutHeaders(value) {
    var parsed;
    try { parsed = JSON.parse(value); } catch (error) { return value; }
    (function drop(node) {
      if (node === null || typeof node !== 'object') return;
      if (!Array.isArray(node) && 'headers' in node) node.headers = null;
      Object.keys(node).forEach(function (key) { drop(node[key]); });
    })(parsed);
    return JSON.stringify(parsed);
  }
  var storage = {
    getItem: function (key) { return memory.has(key) ? memory.get(key) : null; },
    setItem: function (key, value) {
      memory.set(key, String(value));
      if (persist) localStorage.setItem(key, withoutHeaders(String(value)));
    },
    removeItem: function (key) {
      memory.delete(key);
      if (persist) localStorage.removeItem(key);
    },
    clear: function () {
      memory.clear();
      if (persist) graphiqlKeys().forEach(function (key) { localStorage.removeItem(key); });
    },
    get length() { return memory.size; },
  };
  toggle.checked = persist;
  toggle.addEventListener('change', function () {
    persist = toggle.checked;
    if (persist) {
      localStorage.setItem(FLAG, 'on');
      memory.forEach(function (value, key) { localStorage.setItem(key, withoutHeaders(value)); });
    } else {
      localStorage.removeItem(FLAG);
      graphiqlKeys().forEach(function (key) { localStorage.removeItem(key); });
    }
  });

  var fetcher = GraphiQL.createFetcher({ url: window.location.pathname });
  var root = ReactDOM.createRoot(document.getElementById('graphiql'));
  root.render(React.createElement(GraphiQL, {
    fetcher: fetcher,
    storage: storage,
    defaultTabs: ${JSON.stringify(tabs)},
    // The headers pane is where an API key goes: {"Authorization": "Bearer <key>"}.
    defaultEditorToolbarTab: 'headers',
    shouldPersistHeaders: false,
  }, React.createElement(GraphiQL.Logo, null, 'tokengraph')));
})();
`;

export const GRAPHIQL_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>tokengraph · GraphiQL</title>
<link rel="stylesheet" href="${GRAPHIQL_ASSET_PREFIX}graphiql.min.css">
<style>
html, body { height: 100%; margin: 0; }
body { display: flex; flex-direction: column; }
#storage { font: 13px system-ui, sans-serif; padding: 4px 12px; border-bottom: 1px solid #ddd; }
#graphiql { flex: 1; min-height: 0; }
</style>
</head>
<body>
<div id="storage"><label><input type="checkbox" id="persist"> Keep tabs, queries, variables and history in this browser (localStorage) across reloads</label>
— off (the default), they live in this page only and a reload starts again from the examples; the headers pane (API keys) is never kept.</div>
<div id="graphiql">Loading GraphiQL…</div>
<script src="${GRAPHIQL_ASSET_PREFIX}react.production.min.js"></script>
<script src="${GRAPHIQL_ASSET_PREFIX}react-dom.production.min.js"></script>
<script src="${GRAPHIQL_ASSET_PREFIX}graphiql.min.js"></script>
<script src="${GRAPHIQL_ASSET_PREFIX}init.js"></script>
</body>
</html>
`;

/** A file of an installed package; resolved from its package.json, since `exports` hides the UMD builds. */
function file(packageName: string, path: string, contentType: string): StaticAsset {
  const root = dirname(require.resolve(`${packageName}/package.json`));
  return { contentType, body: readFileSync(join(root, path)) };
}

/** The page's scripts and styles by file name under GRAPHIQL_ASSET_PREFIX. */
export function loadGraphiqlAssets(): Map<string, StaticAsset> {
  const js = 'text/javascript; charset=utf-8';
  return new Map([
    ['graphiql.min.css', file('graphiql', 'graphiql.min.css', 'text/css; charset=utf-8')],
    ['graphiql.min.js', file('graphiql', 'graphiql.min.js', js)],
    ['react.production.min.js', file('react', 'umd/react.production.min.js', js)],
    ['react-dom.production.min.js', file('react-dom', 'umd/react-dom.production.min.js', js)],
    ['init.js', { contentType: js, body: Buffer.from(initScript(loadExampleTabs())) }],
  ]);
}
