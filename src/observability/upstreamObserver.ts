/**
 * What tokengraph records of each upstream call (the `UpstreamObserver` of every
 * datasources/UpstreamClient): a debug log line with source, method, path (never the query string:
 * Crafter's carries its credential), status and duration; the upstream metrics; and, when
 * tracing is on, a client span (a child of the request's span).
 */
import { SpanKind, SpanStatusCode, type Tracer } from '@opentelemetry/api';
import { ATTR_HTTP_REQUEST_METHOD, ATTR_HTTP_RESPONSE_STATUS_CODE, ATTR_URL_PATH } from '@opentelemetry/semantic-conventions';
import { CallCancelled, type TokengraphError } from '../shared/errors.js';
import type { SourceName } from '../sources.js';
import type { Logger } from './createLogger.js';
import type { Metrics } from './metrics.js';

export const ATTR_TOKENGRAPH_SOURCE = 'tokengraph.source';

/**
 * Called as each upstream call starts, with the path without its query string (Crafter's
 * carries its credential) and the method (GET unless revoking); the function it returns is
 * called once with the outcome.
 */
export type UpstreamObserver = (source: SourceName, path: string, method?: string) => (outcome: UpstreamOutcome) => void;

export interface UpstreamOutcome {
  /** The HTTP status, when the upstream answered with one. */
  status?: number;
  /** Set when no complete answer came. */
  error?: TokengraphError;
}

export interface UpstreamTelemetryOptions {
  logger: Logger;
  metrics: Metrics;
  tracer?: Tracer;
}

export function upstreamObserver({ logger, metrics, tracer }: UpstreamTelemetryOptions): UpstreamObserver {
  return (source, path, method = 'GET') => {
    const startedAt = performance.now();
    const span = tracer?.startSpan(`${method} ${source}`, {
      kind: SpanKind.CLIENT,
      attributes: { [ATTR_TOKENGRAPH_SOURCE]: source, [ATTR_HTTP_REQUEST_METHOD]: method, [ATTR_URL_PATH]: path },
    });
    return ({ status, error }) => {
      const durationMs = performance.now() - startedAt;
      const label = error ? failureLabel(error) : String(status);
      metrics.upstreamCall(source, label, durationMs / 1000);
      if (logger.isLevelEnabled('debug')) {
        logger.debug({ source, method, path, status: error ? label : status, durationMs: round(durationMs) }, 'upstream call');
      }
      if (span) {
        if (status !== undefined) span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, status);
        // A 404 is an answer (the token does not exist), not a failure of the call.
        if (error) span.setStatus({ code: SpanStatusCode.ERROR, message: error.code });
        else if (status! >= 400 && status !== 404) span.setStatus({ code: SpanStatusCode.ERROR, message: `HTTP ${status}` });
        span.end();
      }
    };
  };
}

/** The `status` label of a call that got no complete answer. */
function failureLabel(error: TokengraphError): string {
  if (error instanceof CallCancelled) return 'cancelled';
  switch (error.code) {
    case 'UPSTREAM_TIMEOUT':
      return 'timeout';
    case 'UPSTREAM_INVALID_RESPONSE':
      return 'invalid_response';
    default:
      return 'unavailable';
  }
}

export const round = (ms: number) => Math.round(ms * 100) / 100;
