/**
 * tokengraph's HTTP server: Apollo Server on Node's http server.
 *
 *   GET  /                               the token overview page (web/)
 *   GET  /overview/*                     its script and style sheet
 *   GET  /graphql (a browser, no query)  GraphiQL, served from this process
 *   GET  /graphiql/*                     GraphiQL's scripts and styles
 *   POST /graphql, GET /graphql?query=   GraphQL over HTTP
 *   GET  /healthz                        200 while the process lives
 *   GET  /readyz                         200 with each source's state; 503 while shutting down
 *   GET  /metrics                        Prometheus metrics (metrics.ts)
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { unwrapResolverError } from '@apollo/server/errors';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import cors from 'cors';
import { createAuthenticator } from '../security/apiKeys.js';
import { createCache } from '../cache/createCache.js';
import type { Config } from '../config/readConfig.js';
import { createContext, type Context } from '../graph/createContext.js';
import { forwardedCredentials } from '../datasources/upstreamCredential.js';
import { createDataSources, sourceStatuses, type DataSources } from '../datasources/createDataSources.js';
import { GRAPHIQL_ASSET_PREFIX, GRAPHIQL_HTML, loadGraphiqlAssets } from './graphiqlPage.js';
import { ClientGone, createGraphqlHandler, sendError } from './graphqlRoute.js';
import { limitEntities, operationLimits } from '../security/operationLimits.js';
import type { Logger } from '../observability/createLogger.js';
import { OVERVIEW_ASSET_PREFIX, overviewAssets, overviewHtml } from './overviewPage.js';
import { createObservability, sendMetrics, type ObservabilityOptions } from '../observability/createObservability.js';
import { createDocumentStore, createPersistedQueryCache } from '../graph/documentStores.js';
import { createSchema } from '../graph/createSchema.js';
import { sendAsset, sendHtml } from './responses.js';

export interface Tokengraph {
  httpServer: Server;
  dataSources: DataSources;
  /** Starts listening on the configured host and port; resolves to the GraphQL endpoint's URL. */
  listen(): Promise<string>;
  /** Stops accepting, finishes in-flight requests, closes the upstream pools. */
  close(): Promise<void>;
}

export async function createTokengraph(
  config: Config,
  logger: Logger,
  plugins: ApolloServerPlugin<Context>[] = [],
  observability: ObservabilityOptions = {},
): Promise<Tokengraph> {
  const observe = createObservability(logger, () => dataSources.guards, config.metricsOperations, observability);
  const dataSources = createDataSources(config, { observer: observe.upstream, cache: createCache(config.cache, logger, observe.metrics) });
  const schema = createSchema();
  limitEntities(schema, config.limits.maxEntities);
  const limits = operationLimits(config.limits);
  const apollo = new ApolloServer<Context>({
    schema,
    // Apollo's own messages (e.g. that a subgraph schema turns on inline traces) go to our JSON log.
    logger,
    includeStacktraceInErrorResponses: false,
    // main.ts owns SIGTERM/SIGINT (drain, close the pools, exit 0). Apollo's own handlers
    // (on outside NODE_ENV=test) would stop the server under it and re-raise the signal.
    stopOnTerminationSignals: false,
    introspection: config.introspection,
    // Suggestions ("Did you mean …?") reveal the schema as introspection does: both follow one setting.
    hideSchemaDetailsFromClientErrors: !config.introspection,
    csrfPrevention: true,
    allowBatchedHttpRequests: false,
    validationRules: limits.validationRules,
    parseOptions: limits.parseOptions,
    documentStore: createDocumentStore(config.limits.documentCacheBytes),
    persistedQueries: config.apq ? { cache: createPersistedQueryCache(config.limits.documentCacheBytes) } : false,
    formatError: (formatted, error) => maskUnexpected(formatted, error, logger),
    // No cache hints are served, and the cache-control plugin would wrap every resolver.
    plugins: [ApolloServerPluginLandingPageDisabled(), ApolloServerPluginCacheControlDisabled(), observe.plugin, ...limits.plugins, ...plugins],
  });
  await apollo.start();

  if (config.access.why === 'none') logger.warn('TOKENGRAPH_AUTH=none: /graphql is served without API keys; anyone who can reach it can read every source');
  const authenticate = createAuthenticator(config.access);
  const applyCors = corsFor(config.corsOrigins, Object.values(dataSources.forwardHeaders));
  const graphql = createGraphqlHandler({
    apollo,
    createContext: (options, req) =>
      createContext(dataSources, { ...options, credentials: forwardedCredentials(dataSources.forwardHeaders, req.headers) }, config.limits.maxListLength),
    maxBodyBytes: config.limits.maxBodyBytes,
    maxQueryBytes: config.limits.maxQueryBytes,
    requestDeadlineMs: config.requestDeadlineMs,
    observer: observe.requests,
  });
  const assets = loadGraphiqlAssets();
  const overviewPage = overviewHtml({ demo: config.demo, endpoint: '/graphql' });
  let draining = false;

  const route = async (req: IncomingMessage, res: ServerResponse) => {
    // While draining, every answer ends its keep-alive connection, so clients reconnect elsewhere.
    if (draining) res.setHeader('connection', 'close');
    const url = new URL(req.url ?? '/', 'http://tokengraph');
    if (url.pathname === '/graphql') {
      // The page needs no key: its requests carry the one the user enters (contract §5).
      if (req.method === 'GET' && wantsHtml(req) && !url.searchParams.has('query')) return sendHtml(res, GRAPHIQL_HTML);
      if (await applyCors(req, res)) return;
      // From here every request, refused or answered, has a request id and a log line.
      const telemetry = observe.requests.start(req, res);
      if (req.method !== 'GET' && req.method !== 'POST') {
        res.setHeader('allow', 'GET, POST');
        res.setHeader('connection', 'close');
        return sendError(res, 405, 'use GET or POST', 'METHOD_NOT_ALLOWED');
      }
      const refused = authenticate(req, res);
      if (refused) return observe.requests.refused(telemetry, refused);
      return graphql(req, res, url.search, telemetry);
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
    if (url.pathname === '/metrics' && req.method === 'GET') return sendMetrics(res, observe.metrics);
    if (url.pathname === '/healthz') return sendJson(res, 200, { status: 'ok' });
    if (url.pathname === '/readyz') {
      // Ready means configuration is loaded and the server is not draining; an open circuit
      // does not make the process unready (restarting it would not mend the upstream).
      return sendJson(res, draining ? 503 : 200, { status: draining ? 'draining' : 'ready', sources: sourceStatuses(dataSources.guards) });
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
      await apollo.stop();
      await dataSources.close();
    },
  };
}

/**
 * CORS for `/graphql`, by the `cors` package: off (no headers, preflights refused with 405)
 * unless origins are configured. Resolves `true` when it answered the request itself (a
 * preflight); preflights need no key, as browsers send them without one.
 */
function corsFor(origins: string[], forwardHeaders: string[]): (req: IncomingMessage, res: ServerResponse) => Promise<boolean> {
  if (origins.length === 0) return async () => false;
  const middleware = cors({
    origin: origins,
    methods: ['GET', 'POST'],
    allowedHeaders: ['authorization', 'content-type', 'accept', 'apollo-require-preflight', 'x-apollo-operation-name', ...forwardHeaders],
    maxAge: 600,
  });
  return (req, res) =>
    new Promise((resolve, reject) => {
      middleware(req, res, (error?: unknown) => (error ? reject(error) : resolve(false)));
      if (res.writableEnded) resolve(true);
    });
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.statusCode = status;
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.setHeader('cache-control', 'no-store');
  res.end(JSON.stringify(body));
}

function wantsHtml(req: IncomingMessage): boolean {
  return (req.headers.accept ?? '').includes('text/html');
}


/**
 * Only errors tokengraph means to show (and graphql-js's own request errors) reach the
 * client as they are; anything else is logged and replaced by a generic message.
 */
function maskUnexpected(formatted: GraphQLFormattedError, error: unknown, logger: Logger): GraphQLFormattedError {
  const original = unwrapResolverError(error);
  if (original instanceof GraphQLError) return formatted;
  logger.error({ err: original, path: formatted.path }, 'unexpected error in a resolver');
  return {
    message: 'Internal server error',
    ...(formatted.locations && { locations: formatted.locations }),
    ...(formatted.path && { path: formatted.path }),
    extensions: { code: 'INTERNAL_SERVER_ERROR' },
  };
}
