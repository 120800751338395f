/**
 * Everything one tokengraph instance records, built together: its metrics registry, the
 * observer of its upstream calls, the observer of its GraphQL requests and the Apollo
 * plugin that feeds the latter. Tracing is on only when a tracer is given (startTracing.ts).
 */
import type { Tracer } from '@opentelemetry/api';
import type { SourceName, UpstreamName } from '../sources.js';
import type { Logger } from './createLogger.js';
import { Metrics, type CircuitName } from './metrics.js';
import { requestObserver } from './requestObserver.js';
import { shippedOperationNames } from './shippedOperations.js';
import { useTelemetry } from './useTelemetry.js';
import { upstreamObserver } from './upstreamObserver.js';

export interface ObservabilityOptions {
  /** Spans for requests and upstream calls; none when absent (startTracing.ts decides). */
  tracer?: Tracer;
}

export function createObservability(
  logger: Logger,
  /** Read on each scrape: each configured source's circuit state, and what each upstream's rate budget has left. */
  state: { circuits: () => Array<[SourceName, CircuitName]>; budgets: () => Array<[UpstreamName, number]> },
  /** Operation names the metrics label as themselves, besides the ones tokengraph ships. */
  operations: readonly string[],
  options: ObservabilityOptions = {},
) {
  const metrics = new Metrics(state.circuits, [...shippedOperationNames(), ...operations], state.budgets);
  const { tracer } = options;
  return {
    metrics,
    upstream: upstreamObserver({ logger, metrics, tracer }),
    requests: requestObserver({ logger, metrics, tracer }),
    plugin: useTelemetry(),
  };
}
