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

const initScript = (tabs: ExampleTab[]) => `
(function () {
  var fetcher = GraphiQL.createFetcher({ url: window.location.pathname });
  var root = ReactDOM.createRoot(document.getElementById('graphiql'));
  root.render(React.createElement(GraphiQL, {
    fetcher: fetcher,
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
