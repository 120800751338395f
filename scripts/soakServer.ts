/**
 * The process under soak: demo upstreams plus tokengraph, driven by its parent (soak.ts)
 * over IPC. It reports its own memory (after a full GC) and every unhandled rejection or
 * uncaught exception, so the soak can prove neither happened.
 */
import { DEFAULTS, readConfig } from '../src/config/readConfig.js';
import { startDemoUpstreams, withDemoUpstreams } from '../src/demo/startDemoUpstreams.js';
import { createLogger } from '../src/observability/createLogger.js';
import { createTokengraph } from '../src/http/createTokengraph.js';
import { UPSTREAM_NAMES } from '../src/sources.js';

export type SoakCommand = { type: 'memory' } | { type: 'degrade' } | { type: 'heal' } | { type: 'stop' };
export type SoakReport =
  | { type: 'ready'; url: string }
  | { type: 'memory'; rss: number; heapUsed: number }
  | { type: 'crash'; kind: string; message: string }
  | { type: 'ok' };

const send = (report: SoakReport) => process.send!(report);
process.on('unhandledRejection', (reason) => send({ type: 'crash', kind: 'unhandledRejection', message: String(reason) }));
process.on('uncaughtException', (error) => send({ type: 'crash', kind: 'uncaughtException', message: error.stack ?? String(error) }));

const upstreams = await startDemoUpstreams();
for (const name of UPSTREAM_NAMES) upstreams[name].latencyMs = 5;

const tokengraph = await createTokengraph(
  withDemoUpstreams({ ...readConfig({}), port: 0, logLevel: 'silent', limits: { ...DEFAULTS.limits, requestDeadlineMs: 5000 } }, upstreams, {
    timeoutMs: 1000,
    resilience: { ...DEFAULTS.resilience, breakerHalfOpenMs: 2000 },
  }),
  createLogger('silent'),
);
const url = await tokengraph.listen();

process.on('message', async (command: SoakCommand) => {
  switch (command.type) {
    case 'memory':
      globalThis.gc?.();
      send({ type: 'memory', rss: process.memoryUsage().rss, heapUsed: process.memoryUsage().heapUsed });
      return;
    case 'degrade': {
      // Astra is down: every connection is reset before an answer.
      upstreams.astra.inject({ fault: { kind: 'reset' } });
      // NetBird flaps: every other call is a 502.
      let n = 0;
      upstreams.netbird.inject({ fault: { kind: 'status', status: 502 }, match: () => n++ % 2 === 0 });
      send({ type: 'ok' });
      return;
    }
    case 'heal':
      upstreams.astra.clearFaults();
      upstreams.netbird.clearFaults();
      send({ type: 'ok' });
      return;
    case 'stop':
      await tokengraph.close();
      await upstreams.close();
      process.exit(0);
  }
});

send({ type: 'ready', url });
