/**
 * What tokengraph records of each GraphQL request, from arrival to the end of its response:
 * its request id (the caller's sane `x-request-id`, or a new UUID; echoed in the response
 * header), one `info` log line (operation name, HTTP status, duration, upstream calls and
 * cache hits per source, error codes), the request metrics, and, when tracing is on, a
 * server span that the request's upstream spans are children of.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, context, propagation, trace, type Context, type Span, type Tracer } from '@opentelemetry/api';
import { ATTR_HTTP_REQUEST_METHOD, ATTR_HTTP_RESPONSE_STATUS_CODE } from '@opentelemetry/semantic-conventions';
import type { SourceName } from '../sources.js';
import type { KeyRefusal } from '../security/apiKeys.js';
import type { Logger } from './createLogger.js';
import type { Metrics, Outcome } from './metrics.js';
import { RequestTelemetry, requestIdFrom } from './requestTelemetry.js';
import { round } from './upstreamObserver.js';

/** The status recorded for a request whose client went away before its answer was sent (nginx's). */
const CLIENT_CLOSED_REQUEST = 499;

export interface RequestObserver {
  /**
   * A request to /graphql arrived: its request id goes in the `x-request-id` header of `res`, and
   * its log line and metrics are written once `res` closes, whatever answered it.
   */
  start(req: IncomingMessage, res: ServerResponse): RequestTelemetry;
  /** Runs the request's work (inside its span, when tracing). */
  run<T>(telemetry: RequestTelemetry, work: () => Promise<T>): Promise<T>;
  /** The request was refused for its API key: a warning with its request id (never the key) and a count. */
  refused(telemetry: RequestTelemetry, reason: KeyRefusal): void;
}

export interface RequestObserverOptions {
  logger: Logger;
  metrics: Metrics;
  tracer?: Tracer;
}

export const ATTR_GRAPHQL_OPERATION_NAME = 'graphql.operation.name';
export const ATTR_REQUEST_ID = 'tokengraph.request_id';

export function requestObserver({ logger, metrics, tracer }: RequestObserverOptions): RequestObserver {
  const spans = new WeakMap<RequestTelemetry, Span>();
  /** The caller's trace context (`traceparent`), when tracing. */
  const parents = new WeakMap<RequestTelemetry, Context>();
  const onBatch = (source: SourceName, size: number) => metrics.batch(source, size);
  return {
    start(req, res) {
      const telemetry = new RequestTelemetry(requestIdFrom(req.headers['x-request-id']), req.method ?? 'GET', onBatch);
      if (tracer) parents.set(telemetry, propagation.extract(ROOT_CONTEXT, req.headers));
      res.setHeader('x-request-id', telemetry.requestId);
      res.once('close', () => end(telemetry, res.writableFinished ? res.statusCode : CLIENT_CLOSED_REQUEST));
      return telemetry;
    },
    refused(telemetry, reason) {
      metrics.authRefusal(reason);
      logger.warn({ requestId: telemetry.requestId, reason }, reason === 'missing' ? 'API key refused: none was sent' : 'API key refused: it matches no configured key');
    },
    run(telemetry, work) {
      if (!tracer) return work();
      const parent = parents.get(telemetry) ?? ROOT_CONTEXT;
      const span = tracer.startSpan(
        'graphql.request',
        { kind: SpanKind.SERVER, attributes: { [ATTR_HTTP_REQUEST_METHOD]: telemetry.method, [ATTR_REQUEST_ID]: telemetry.requestId } },
        parent,
      );
      spans.set(telemetry, span);
      return context.with(trace.setSpan(parent, span), work);
    },
  };

  function end(telemetry: RequestTelemetry, status: number): void {
    const durationMs = telemetry.durationMs;
    const outcome = outcomeOf(telemetry, status);
    metrics.graphqlRequest(telemetry.operationName, outcome, durationMs / 1000);
    logger.info(
      {
        requestId: telemetry.requestId,
        operationName: telemetry.operationName,
        status,
        outcome,
        durationMs: round(durationMs),
        upstreamCalls: telemetry.upstreamCalls,
        cacheHits: telemetry.cacheHits,
        errorCodes: telemetry.errorCodes,
      },
      'graphql request',
    );
    const span = spans.get(telemetry);
    if (span) {
      span.setAttribute(ATTR_HTTP_RESPONSE_STATUS_CODE, status);
      if (telemetry.operationName) span.setAttribute(ATTR_GRAPHQL_OPERATION_NAME, telemetry.operationName);
      if (outcome !== 'success') span.setStatus({ code: SpanStatusCode.ERROR, message: telemetry.errorCodes.join(',') || `HTTP ${status}` });
      span.end();
    }
  }
}

function outcomeOf(telemetry: RequestTelemetry, status: number): Outcome {
  if (status >= 400) return 'error';
  if (telemetry.errorCodes.length === 0) return 'success';
  return telemetry.hasData ? 'partial' : 'error';
}
