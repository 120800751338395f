/**
 * `npm start`: read the configuration, start the demo upstreams when no `*_URL` is set,
 * serve GraphQL, and shut down cleanly on SIGTERM or SIGINT.
 */
import { ConfigError, readConfig, type Config } from './config/readConfig.js';
import { startDemoUpstreams, withDemoUpstreams } from './demo/startDemoUpstreams.js';
import { createLogger } from './observability/createLogger.js';
import { createTokengraph } from './http/createTokengraph.js';
import { startTracing, tracesUrl } from './observability/startTracing.js';
import { UPSTREAM_NAMES } from './sources.js';

async function main(): Promise<void> {
  let config: Config;
  try {
    config = readConfig(process.env);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`tokengraph: configuration error: ${error.message}\n`);
    process.exit(1);
  }
  // Demo mode in a terminal is a person reading: readable lines. Anything else gets JSON.
  const logger = createLogger(config.logLevel, { pretty: config.demo && process.stdout.isTTY === true });

  let closeDemo = async () => {};
  if (config.demo) {
    const demo = await startDemoUpstreams();
    closeDemo = demo.close;
    config = withDemoUpstreams(config, demo);
    logger.info('demo mode: no *_URL variable is set, so tokengraph serves embedded demo upstreams on loopback');
    logger.info(Object.fromEntries(UPSTREAM_NAMES.map((name) => [name, demo[name].baseUrl])), 'demo upstreams listening');
  } else {
    const configured = UPSTREAM_NAMES.filter((name) => config.upstreams[name]);
    logger.info({ configured }, `upstreams configured: ${configured.join(', ') || 'none'}`);
  }

  const tracing = startTracing(process.env);
  if (tracing.tracer) logger.info({ endpoint: tracesUrl(process.env) }, 'tracing: exporting spans over OTLP/HTTP');
  const tokengraph = await createTokengraph(config, logger, [], { tracer: tracing.tracer });
  // A history database that cannot be opened or migrated stops tokengraph with one line naming it
  // (never its password). A server is waited for before listening; PGlite, whose first open takes
  // seconds, opens while every other field is served.
  const historyOpen = tokengraph.history?.opened.catch((error: unknown) => {
    process.stderr.write(`tokengraph: history: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
  if (config.history?.databaseUrl) await historyOpen;
  const url = await tokengraph.listen();
  logger.info({ url }, `tokengraph is serving GraphQL at ${url} (open it in a browser for GraphiQL)`);

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: finishing in-flight requests');
    // The demo upstreams close last: in-flight requests may still be calling them.
    tokengraph
      .close()
      .then(closeDemo)
      .then(() => tracing.shutdown())
      .then(() => {
        logger.info('stopped');
        process.exit(0);
      })
      .catch((error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      });
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((error: unknown) => {
  process.stderr.write(`tokengraph: failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
