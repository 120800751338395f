/**
 * GraphiQL, served by tokengraph itself from the graphiql, react and react-dom packages:
 * the page loads nothing from any other host, so it works on an air-gapped network. The
 * files are read once at start-up and served from memory.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

export const GRAPHIQL_ASSET_PREFIX = '/graphiql/';

interface Asset {
  contentType: string;
  body: Buffer;
}

const DEFAULT_QUERY = `# Welcome to tokengraph: one schema over five token APIs.
# Press the run button (or Ctrl-Enter) to fetch one token of each source.
query DemoTokens {
  tokens(refs: [
    { source: CRAFTER_TICKET, tokenId: "2e911e0b-ac47-423e-9174-4e8896f1b387" }
    { source: ASTRA, accountId: "acme", userId: "ops-admin", tokenId: "astra-demo-1" }
    { source: NETBIRD, userId: "alice", tokenId: "nb-demo-1" }
    { source: GAME, tokenId: "game-demo-1" }
  ]) {
    __typename
    id
    source
    tokenId
    name
    owner
    expiresAt
    lastUsedAt
    status
  }
  crafterAccessTokens { tokenId name expiresAt status master }
}
`;

const INIT_SCRIPT = `
(function () {
  var fetcher = GraphiQL.createFetcher({ url: window.location.pathname });
  var root = ReactDOM.createRoot(document.getElementById('graphiql'));
  root.render(React.createElement(GraphiQL, {
    fetcher: fetcher,
    defaultQuery: ${JSON.stringify(DEFAULT_QUERY)},
    defaultEditorToolbarTab: 'headers',
    shouldPersistHeaders: false,
  }));
})();
`;

export const GRAPHIQL_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>tokengraph · GraphiQL</title>
<link rel="stylesheet" href="${GRAPHIQL_ASSET_PREFIX}graphiql.min.css">
<style>html, body, #graphiql { height: 100%; margin: 0; }</style>
</head>
<body>
<div id="graphiql">Loading GraphiQL…</div>
<script src="${GRAPHIQL_ASSET_PREFIX}react.production.min.js"></script>
<script src="${GRAPHIQL_ASSET_PREFIX}react-dom.production.min.js"></script>
<script src="${GRAPHIQL_ASSET_PREFIX}graphiql.min.js"></script>
<script src="${GRAPHIQL_ASSET_PREFIX}init.js"></script>
</body>
</html>
`;

/** A file of an installed package; resolved from its package.json, since `exports` hides the UMD builds. */
function file(packageName: string, path: string, contentType: string): Asset {
  const root = dirname(require.resolve(`${packageName}/package.json`));
  return { contentType, body: readFileSync(join(root, path)) };
}

/** The page's scripts and styles by file name under GRAPHIQL_ASSET_PREFIX. */
export function loadGraphiqlAssets(): Map<string, Asset> {
  const js = 'text/javascript; charset=utf-8';
  return new Map([
    ['graphiql.min.css', file('graphiql', 'graphiql.min.css', 'text/css; charset=utf-8')],
    ['graphiql.min.js', file('graphiql', 'graphiql.min.js', js)],
    ['react.production.min.js', file('react', 'umd/react.production.min.js', js)],
    ['react-dom.production.min.js', file('react-dom', 'umd/react-dom.production.min.js', js)],
    ['init.js', { contentType: js, body: Buffer.from(INIT_SCRIPT) }],
  ]);
}
