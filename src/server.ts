/**
 * tokengraph's HTTP server: Apollo Server on Node's http server.
 *
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
import { createCache } from './cache/index.js';
import type { Config } from './config.js';
import { createContext, type Context } from './context.js';
import { createDataSources, sourceStatuses, type DataSources } from './datasources/index.js';
import { GRAPHIQL_ASSET_PREFIX, GRAPHIQL_HTML, loadGraphiqlAssets } from './graphiql.js';
import { createGraphqlHandler, sendError } from './graphqlHandler.js';
import type { Logger } from './logger.js';
import { createObservability, sendMetrics, type ObservabilityOptions } from './observability.js';
import { createSchema } from './schema.js';

/** Largest GraphQL request body accepted, in bytes. */
export const MAX_REQUEST_BODY_BYTES = 1024 * 1024;

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
  const observe = createObservability(logger, () => dataSources.guards, observability);
  const dataSources = createDataSources(config, { observer: observe.upstream, cache: createCache(config.cache, logger, observe.metrics) });
  const apollo = new ApolloServer<Context>({
    schema: createSchema(),
    // Apollo's own messages (e.g. that a subgraph schema turns on inline traces) go to our JSON log.
    logger,
    includeStacktraceInErrorResponses: false,
    formatError: (formatted, error) => maskUnexpected(formatted, error, logger),
    // No cache hints are served, and the cache-control plugin would wrap every resolver.
    plugins: [ApolloServerPluginLandingPageDisabled(), ApolloServerPluginCacheControlDisabled(), observe.plugin, ...plugins],
  });
  await apollo.start();

  const graphql = createGraphqlHandler({
    apollo,
    createContext: (options) => createContext(dataSources, options),
    maxBodyBytes: MAX_REQUEST_BODY_BYTES,
    requestDeadlineMs: config.requestDeadlineMs,
    observer: observe.requests,
  });
  const assets = loadGraphiqlAssets();
  let draining = false;

  const route = async (req: IncomingMessage, res: ServerResponse) => {
    // While draining, every answer ends its keep-alive connection, so clients reconnect elsewhere.
    if (draining) res.setHeader('connection', 'close');
    const url = new URL(req.url ?? '/', 'http://tokengraph');
    if (url.pathname === '/graphql') {
      if (req.method === 'GET' && wantsHtml(req) && !url.searchParams.has('query')) return sendHtml(res, GRAPHIQL_HTML);
      if (req.method !== 'GET' && req.method !== 'POST') {
        res.setHeader('allow', 'GET, POST');
        return sendError(res, 405, 'use GET or POST', 'METHOD_NOT_ALLOWED');
      }
      return graphql(req, res, url.search);
    }
    if (url.pathname.startsWith(GRAPHIQL_ASSET_PREFIX) && req.method === 'GET') {
      const asset = assets.get(url.pathname.slice(GRAPHIQL_ASSET_PREFIX.length));
      if (asset) {
        res.setHeader('content-type', asset.contentType);
        res.setHeader('cache-control', 'public, max-age=3600');
        res.end(asset.body);
        return;
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

  const httpServer = createServer((req, res) => {
    // A response that finishes while draining leaves an idle keep-alive connection behind:
    // close it, so shutdown does not wait out the grace period for nothing.
    res.once('finish', () => {
      if (draining) setImmediate(() => httpServer.closeIdleConnections());
    });
    route(req, res).catch((error: unknown) => {
      logger.error({ err: error }, 'request failed unexpectedly');
      if (!res.headersSent) sendError(res, 500, 'Internal server error', 'INTERNAL_SERVER_ERROR');
      else res.destroy();
    });
  });

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

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.statusCode = status;
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.setHeader('cache-control', 'no-store');
  res.end(JSON.stringify(body));
}

function wantsHtml(req: IncomingMessage): boolean {
  return (req.headers.accept ?? '').includes('text/html');
}

function sendHtml(res: ServerResponse, html: string): void {
  res.setHeader('content-type', 'text/html; charset=utf-8');
  // Everything the page needs comes from this server; nothing else may load.
  res.setHeader(
    'content-security-policy',
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'",
  );
  res.setHeader('x-content-type-options', 'nosniff');
  res.end(html);
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
