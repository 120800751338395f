/**
 * `npm run bench`'s tokengraph: configured from the environment exactly as `npm start` is
 * (the parent sets the upstreams' `*_URL` and credentials), logging at the configured level
 * to stdout (which the parent discards).
 */
import { readConfig } from '../src/config/readConfig.js';
import { createLogger } from '../src/observability/createLogger.js';
import { createTokengraph } from '../src/http/createTokengraph.js';
import { send, serveStats } from './benchChild.js';

const config = readConfig(process.env);
const tokengraph = await createTokengraph(config, createLogger(config.logLevel));
const url = await tokengraph.listen();
serveStats(tokengraph.httpServer, tokengraph.close);
send({ type: 'ready', url });
