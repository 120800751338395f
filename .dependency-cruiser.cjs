/**
 * The import rules of tokengraph (`npm run lint:imports`, run by CI): no circles, and imports
 * point one way, from the edge inward:
 *
 *   main.ts → http/ → monitoring/, graph/ → resolvers/ (+ generated/) → revocation/ → history/ → inventory/ → datasources/ → cache/ → observability/, config/ → security/ → shared/, sources.ts
 *
 * history/ keeps what the inventory's reads and the revocations changed: it reads snapshots and token
 * models, and revocation/ and the resolvers write and read it through it; the inventory knows it
 * only as a callback (`onRead`) that http/ wires.
 *
 * demo/ imitates the upstreams and knows nothing of how tokengraph reads them (only config/ and
 * the sources table); web/ is the browser's, and takes only the sources table and the typed client
 * documents from src/. Type-only imports count too.
 */
const layer = (name, from, allowed) => ({
  name,
  comment: `${from} may import only from ${allowed.join(', ')}`,
  severity: 'error',
  from: { path: `^src/${from}` },
  to: { path: '^src/', pathNot: [`^src/${from}`, ...allowed.map((to) => `^src/${to}`)] },
});

const LOW = ['shared/', 'sources\\.ts$'];

module.exports = {
  forbidden: [
    { name: 'no-circular', comment: 'a circle of imports', severity: 'error', from: {}, to: { circular: true } },
    layer('shared', '(shared/|sources\\.ts$)', LOW),
    layer('security', 'security/', LOW),
    layer('config', 'config/', ['security/', ...LOW]),
    layer('observability', 'observability/', ['security/', ...LOW]),
    layer('cache', 'cache/', ['config/', 'observability/', 'security/', ...LOW]),
    layer('datasources', 'datasources/', ['cache/', 'config/', 'observability/', 'security/', ...LOW]),
    layer('demo', 'demo/', ['config/', ...LOW]),
    layer('inventory', 'inventory/', ['datasources/', 'cache/', 'config/', 'observability/', 'security/', ...LOW]),
    layer('history', 'history/', ['inventory/', 'datasources/', 'cache/', 'config/', 'observability/', 'security/', ...LOW]),
    layer('revocation', 'revocation/', ['history/', 'inventory/', 'datasources/', 'cache/', 'config/', 'observability/', 'security/', ...LOW]),
    layer('resolvers', '(resolvers|generated)/', ['resolvers/', 'generated/', 'revocation/', 'history/', 'inventory/', 'datasources/', 'observability/', 'security/', ...LOW]),
    layer('graph', 'graph/', ['resolvers/', 'generated/', 'revocation/', 'history/', 'inventory/', 'datasources/', 'cache/', 'config/', 'observability/', 'security/', ...LOW]),
    layer('monitoring', 'monitoring/', ['inventory/', 'datasources/', 'observability/', 'security/', ...LOW]),
    layer('http', 'http/', ['graph/', 'monitoring/', 'resolvers/', 'generated/', 'revocation/', 'history/', 'inventory/', 'datasources/', 'cache/', 'config/', 'observability/', 'security/', 'demo/', ...LOW]),
    {
      name: 'web',
      comment: 'the page runs in a browser: from src/ it takes only the sources table and the typed client documents',
      severity: 'error',
      from: { path: '^web/' },
      to: { path: '^src/', pathNot: ['^src/sources\\.ts$', '^src/generated/client/'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js'] },
  },
};
