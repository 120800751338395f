/**
 * Everything one tokengraph instance records, built together: its metrics registry, the
 * observer of its upstream calls, the observer of its GraphQL requests and the Apollo
 * plugin that feeds the latter. Tracing is on only when a tracer is given (tracing.ts).
 */
import type { ServerResponse } from 'node:http';
import type { Tracer } from '@opentelemetry/api';
import type { SourceName } from '../shared/errors.js';
import type { SourceGuard } from '../datasources/sourceGuard.js';
import type { Logger } from './createLogger.js';
import { Metrics } from './metrics.js';
import { requestObserver } from './requestObserver.js';
import { shippedOperationNames } from './shippedOperations.js';
import { useTelemetry } from './useTelemetry.js';
import { upstreamObserver } from './upstreamObserver.js';

export interface ObservabilityOptions {
  /** Spans for requests and upstream calls; none when absent (tracing.ts decides). */
  tracer?: Tracer;
}

export function createObservability(
  logger: Logger,
  guards: () => Partial<Record<SourceName, SourceGuard>>,
  /** Operation names the metrics label as themselves, besides the ones tokengraph ships. */
  operations: readonly string[],
  options: ObservabilityOptions = {},
) {
  const metrics = new Metrics(() => Object.values(guards()).map((guard) => [guard.source, guard.circuit]), [...shippedOperationNames(), ...operations]);
  const { tracer } = options;
  return {
    metrics,
    upstream: upstreamObserver({ logger, metrics, tracer }),
    requests: requestObserver({ logger, metrics, tracer }),
    plugin: useTelemetry(),
  };
}

/** `GET /metrics`: the Prometheus text format. */
export async function sendMetrics(res: ServerResponse, metrics: Metrics): Promise<void> {
  const body = await metrics.registry.metrics();
  res.setHeader('content-type', metrics.registry.contentType);
  res.setHeader('cache-control', 'no-store');
  res.end(body);
}
