/**
 * tokengraph's HTTP server: Apollo Server on Node's http server.
 *
 *   GET  /                               the token overview page (web/)
 *   GET  /overview/*                     its script and style sheet
 *   GET  /graphql (a browser, no query)  GraphiQL, served from this process
 *   GET  /graphiql/*                     GraphiQL's scripts and styles
 *   POST /graphql, GET /graphql?query=   GraphQL over HTTP
 *   GET  /healthz                        200 while the process lives
 *   GET  /readyz                         200 with each source's state and the history's; 503 while shutting down
 *   GET  /metrics                        Prometheus metrics (observability/metrics.ts)
 *   GET  /inventory.csv, /inventory.ndjson  the inventory exported (inventoryExport.ts), with the /graphql key
 *
 * Whatever is answered without an API key (everything in demo mode and with TOKENGRAPH_AUTH=none)
 * is answered only for a Host that no web page can rebind to this address (security/allowedHosts.ts);
 * any other gets 421.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ApolloServerPlugin } from '@apollo/server';
import { createCache } from '../cache/createCache.js';
import { createMemoryTombstones } from '../cache/createMemoryTombstones.js';
import type { Config } from '../config/readConfig.js';
import { createDataSources, sourceStatuses, type DataSources } from '../datasources/createDataSources.js';
import { createApolloServer } from '../graph/createApolloServer.js';
import { createHistory, type History, type HistoryParts } from '../history/createHistory.js';
import { createInventory, type Inventory } from '../inventory/createInventory.js';
import { monitoredSources } from '../inventory/readInventory.js';
import type { Snapshot } from '../inventory/snapshot.js';
import { createInventoryMetrics } from '../monitoring/inventoryMetrics.js';
import { startInventoryRefresh } from '../monitoring/startInventoryRefresh.js';
import type { Logger } from '../observability/createLogger.js';
import type { CircuitName, Metrics } from '../observability/metrics.js';
import { createObservability, type ObservabilityOptions } from '../observability/createObservability.js';
import type { Context } from '../resolvers/context.js';
import { createRevoker } from '../revocation/createRevoker.js';
import { ALLOWED_HOSTS_VARIABLE, createHostCheck } from '../security/allowedHosts.js';
import { createAuthenticator, type KeyRefusal } from '../security/apiKeys.js';
import { FIXED_LIMITS } from '../security/limits.js';
import type { SourceName, UpstreamName } from '../sources.js';
import { corsFor } from './corsFor.js';
import { GRAPHIQL_ASSET_PREFIX, GRAPHIQL_HTML, loadGraphiqlAssets } from './graphiqlPage.js';
import { ClientGone, createGraphqlRoute } from './graphqlRoute.js';
import { createInventoryExport, EXPORT_PATHS, type ExportFormat } from './inventoryExport.js';
import { lingeringClose } from './lingeringClose.js';
import { OVERVIEW_ASSET_PREFIX, overviewAssets, overviewHtml } from './overviewPage.js';
import { sendAsset, sendError, sendHtml, sendJson, sendMetrics, sendUnauthenticated } from './responses.js';

export interface Tokengraph {
  httpServer: Server;
  dataSources: DataSources;
  /** The inventory's snapshots. */
  inventory: Inventory;
  /** The history (contract §12), opening beside the server; absent when the configuration has none. */
  history?: History;
  /** Starts listening on the configured host and port; resolves to the GraphQL endpoint's URL. */
  listen(): Promise<string>;
  /** Stops accepting, finishes in-flight requests, closes the upstream pools. */
  close(): Promise<void>;
}

/** What a test may put in place of tokengraph's own parts. */
export interface TokengraphHooks {
  /** Opens the history's database instead of history/database.ts (a test holds the open back to see the page while it opens). */
  openHistory?: HistoryParts['open'];
}

export async function createTokengraph(
  config: Config,
  logger: Logger,
  plugins: ApolloServerPlugin<Context>[] = [],
  observability: ObservabilityOptions = {},
  hooks: TokengraphHooks = {},
): Promise<Tokengraph> {
  const circuits = () => Object.values(dataSources.clients).map((client): [SourceName, CircuitName] => [client.source, client.guard.circuit]);
  const budgets = () =>
    Object.values(dataSources.budgets).flatMap((budget): Array<[UpstreamName, number]> => {
      const left = budget.remaining();
      return left === undefined ? [] : [[budget.upstream, left]];
    });
  const observe = createObservability(logger, { circuits, budgets }, config.metricsOperations, observability);
  const cache = createCache(config.cache, logger, observe.metrics);
  await cache?.ready();
  const dataSources = createDataSources(config, { observer: observe.upstream, cache });
  // Revoked tokens are remembered where the cache is; without one, in this process (its snapshots).
  const tombstones = cache?.tombstones ?? createMemoryTombstones();
  const { refreshS, maxSeries } = config.inventory;
  // The history opens beside the server (PGlite's first open takes seconds); reads made meanwhile wait for it.
  const history = config.history && createHistory({ settings: config.history, logger, metrics: observe.metrics, deadlineMs: config.limits.requestDeadlineMs, shutdownGraceMs: config.shutdownGraceMs, ...(hooks.openHistory && { open: hooks.openHistory }) });
  const onRead = history && ((snapshot: Snapshot, read: { forwarded: boolean }) => void history.recordRead(snapshot, { judgeAbsent: !read.forwarded }));
  const inventory = createInventory({ dataSources, settings: config.inventory, deadlineMs: config.limits.inventoryDeadlineMs, cache, tombstones, logger, refreshMs: refreshS * 1000, onRead });
  // Expiry monitoring: off (and costing nothing) unless TOKENGRAPH_INVENTORY_REFRESH_S is set.
  const inventoryMetrics = refreshS > 0 ? createInventoryMetrics({ maxSeries, refreshS, sources: monitoredSources(dataSources, config.inventory), findings: config.inventory.findings }) : undefined;
  const refresh = inventoryMetrics && startInventoryRefresh({ inventory, metrics: inventoryMetrics, periodS: refreshS, logger });
  const apollo = await createApolloServer(config, logger, [observe.plugin, ...plugins]);

  if (config.access.why === 'none') logger.warn('TOKENGRAPH_AUTH=none: /graphql is served without API keys; anyone who can reach it can read every source');
  const authenticate = createAuthenticator(config.access);
  // Prometheus sends the key as `authorization: { credentials: <key> }`; TOKENGRAPH_METRICS_AUTH=none opens /metrics.
  const authenticateMetrics = config.metricsAuth === 'none' ? createAuthenticator({ mode: 'open', keyDigests: [] }) : authenticate;
  const applyCors = corsFor(config.corsOrigins, Object.values(dataSources.forwardHeaders));
  const revoker = createRevoker({ dataSources, tombstones, history, logger, metrics: observe.metrics });
  const graphql = createGraphqlRoute({ apollo, parts: { dataSources, inventory, revoker, history, findings: config.inventory.findings }, limits: config.limits, observer: observe.requests });
  const exportInventory = createInventoryExport({ inventory, dataSources, findings: config.inventory.findings, deadlineMs: config.limits.requestDeadlineMs });
  const hostAllowed = createHostCheck(config.allowedHosts);
  /** Whether `path` is answered without an API key: everything in open access, and /metrics when it is open. */
  const keyless = (path: string) => config.access.mode === 'open' || (path === '/metrics' && config.metricsAuth === 'none');
  const assets = loadGraphiqlAssets();
  const overviewPage = overviewHtml({ demo: config.demo, endpoint: '/graphql' });
  let draining = false;

  const route = async (req: IncomingMessage, res: ServerResponse) => {
    // While draining, every answer ends its keep-alive connection, so clients reconnect elsewhere.
    if (draining) res.setHeader('connection', 'close');
    const url = new URL(req.url ?? '/', 'http://tokengraph');
    // DNS rebinding: what is answered without a key is answered only for hosts no web page can rebind.
    if (keyless(url.pathname) && !hostAllowed(req.headers.host)) {
      // The Host as sent, cut at a name's longest and a port, so an operator sees what to list.
      logger.warn({ path: url.pathname, host: String(req.headers.host ?? '').slice(0, FIXED_LIMITS.allowedHostLength + 8) }, 'request refused for its Host (DNS-rebinding guard)');
      lingeringClose(res);
      return sendError(res, 421, HOST_REFUSAL, 'HOST_NOT_ALLOWED');
    }
    if (url.pathname === '/graphql') {
      // The page needs no key: its requests carry the one the user enters (contract §5).
      if (req.method === 'GET' && wantsHtml(req) && !url.searchParams.has('query')) return sendHtml(res, GRAPHIQL_HTML);
      if (await applyCors(req, res)) return;
      // From here every request, refused or answered, has a request id and a log line.
      const telemetry = observe.requests.start(req, res);
      if (req.method !== 'GET' && req.method !== 'POST') return refuseMethod(res, ['GET', 'POST']);
      const access = authenticate(req);
      if ('refused' in access) {
        sendUnauthenticated(res, access.refused);
        return observe.requests.refused(telemetry, access.refused);
      }
      return graphql(req, res, url.search, access.caller, telemetry);
    }
    if (req.method === 'GET') {
      if (url.pathname === '/') return sendHtml(res, overviewPage);
      if (url.pathname.startsWith(GRAPHIQL_ASSET_PREFIX)) {
        const asset = assets.get(url.pathname.slice(GRAPHIQL_ASSET_PREFIX.length));
        if (asset) return sendAsset(res, asset);
      }
      if (url.pathname.startsWith(OVERVIEW_ASSET_PREFIX)) {
        const asset = (await overviewAssets()).get(url.pathname.slice(OVERVIEW_ASSET_PREFIX.length));
        if (asset) return sendAsset(res, asset);
      }
    }
    const exportFormat = EXPORTS[url.pathname];
    if (exportFormat) {
      if (req.method !== 'GET') return refuseMethod(res, ['GET']);
      // The same key as /graphql: an export is every token a key may read.
      const access = authenticate(req);
      if ('refused' in access) return refuseKey(res, url.pathname, access.refused, observe.metrics, logger);
      const started = performance.now();
      const written = await exportInventory(req, res, url.searchParams, exportFormat);
      if (written) {
        const line = { format: exportFormat, ...written, keyFingerprint: access.caller.keyFingerprint, durationMs: Math.round(performance.now() - started) };
        if (written.complete) logger.info(line, 'inventory exported');
        else logger.warn(line, 'inventory export cut short: the client left before its end');
      }
      return;
    }
    if (url.pathname === '/metrics' && req.method === 'GET') {
      const access = authenticateMetrics(req);
      if ('refused' in access) return refuseKey(res, url.pathname, access.refused, observe.metrics, logger);
      return sendMetrics(res, observe.metrics, inventoryMetrics?.text);
    }
    if (url.pathname === '/healthz') return sendJson(res, 200, { status: 'ok' });
    if (url.pathname === '/readyz') {
      // Ready means configuration is loaded and the server is not draining; an open circuit
      // does not make the process unready (restarting it would not mend the upstream).
      // `history: starting` while its database opens (contract §12): every other field is served meanwhile.
      return sendJson(res, draining ? 503 : 200, { status: draining ? 'draining' : 'ready', sources: sourceStatuses(dataSources), ...(history && { history: history.state }) });
    }
    sendError(res, 404, `nothing at ${url.pathname}: GraphQL is at /graphql`, 'NOT_FOUND');
  };

  const { headersTimeoutMs, requestTimeoutMs, keepAliveTimeoutMs, maxConnections } = config.limits;
  const httpServer = createServer(
    {
      headersTimeout: headersTimeoutMs,
      requestTimeout: requestTimeoutMs,
      keepAliveTimeout: keepAliveTimeoutMs,
      // Node checks these timeouts on this interval (30 s by default), so a slow client would
      // otherwise keep its connection up to 30 s past its timeout.
      connectionsCheckingInterval: Math.min(1000, Math.ceil(headersTimeoutMs / 4)),
    },
    (req, res) => {
      // A response that finishes while draining leaves an idle keep-alive connection behind:
      // close it, so shutdown does not wait out the grace period for nothing.
      res.once('finish', () => {
        if (draining) setImmediate(() => httpServer.closeIdleConnections());
      });
      route(req, res).catch((error: unknown) => {
        if (error instanceof ClientGone) {
          logger.debug({ requestId: res.getHeader('x-request-id') }, error.message);
          return void res.destroy();
        }
        logger.error({ err: error }, 'request failed unexpectedly');
        if (!res.headersSent) sendError(res, 500, 'Internal server error', 'INTERNAL_SERVER_ERROR');
        else res.destroy();
      });
    },
  );
  // Connections past the cap are closed as they arrive (Node's own check).
  httpServer.maxConnections = maxConnections;

  return {
    httpServer,
    dataSources,
    inventory,
    history,
    listen: () =>
      new Promise((resolve, reject) => {
        httpServer.once('error', reject);
        httpServer.listen(config.port, config.host, () => {
          const { port } = httpServer.address() as AddressInfo;
          const host = config.host.includes(':') ? `[${config.host}]` : config.host;
          resolve(`http://${host}:${port}/graphql`);
        });
      }),
    close: async () => {
      draining = true;
      // Stop accepting; let in-flight requests finish for up to the grace period, then cut
      // what is left. Idle keep-alive connections are closed at once.
      const closed = new Promise<void>((resolve) => httpServer.close(() => resolve()));
      httpServer.closeIdleConnections();
      const grace = setTimeout(() => httpServer.closeAllConnections(), config.shutdownGraceMs);
      await closed;
      clearTimeout(grace);
      // The refresh's reads are stopped first, so waiting for it does not wait for its upstreams.
      inventory.close();
      await refresh?.stop();
      await history?.close();
      await apollo.stop();
      await dataSources.close();
    },
  };
}

/** The inventory exports (contract §11), by path. */
const EXPORTS: Partial<Record<string, ExportFormat>> = Object.fromEntries((Object.keys(EXPORT_PATHS) as ExportFormat[]).map((format) => [EXPORT_PATHS[format], format]));

const HOST_REFUSAL =
  `tokengraph answers without an API key here, so only for localhost, an IP address or a host name listed in ${ALLOWED_HOSTS_VARIABLE}` +
  ' (a guard against DNS rebinding); this request\'s Host is none of them';

function wantsHtml(req: IncomingMessage): boolean {
  return (req.headers.accept ?? '').includes('text/html');
}

/**
 * 401 for an API key refused outside /graphql (whose refusals its request log and metrics record):
 * counted in tokengraph_auth_refused_total, and a `warn` line naming the path.
 */
function refuseKey(res: ServerResponse, path: string, refused: KeyRefusal, metrics: Metrics, logger: Logger): void {
  sendUnauthenticated(res, refused);
  metrics.authRefusal(refused);
  logger.warn({ path, reason: refused }, `API key refused at ${path}`);
}

/** 405 naming the methods the path takes; a body still arriving is read and dropped (lingeringClose). */
function refuseMethod(res: ServerResponse, allowed: string[]): void {
  res.setHeader('allow', allowed.join(', '));
  lingeringClose(res);
  sendError(res, 405, `use ${allowed.join(' or ')}`, 'METHOD_NOT_ALLOWED');
}
