/**
 * OpenTelemetry tracing, on only when the standard `OTEL_EXPORTER_OTLP_ENDPOINT` (or
 * `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`) is set: then a NodeTracerProvider is registered
 * (AsyncLocalStorage context, W3C trace context) and spans are batched to the collector
 * over OTLP/HTTP. When neither is set nothing is registered and no tracer exists, so the
 * request path does not even reach the no-op API.
 *
 * Spans: one `graphql.request` (SERVER) per GraphQL request (requestObserver.ts), a child
 * of the caller's `traceparent` when it sent one, and one `GET <source>` (CLIENT) per
 * upstream call under it (upstreamObserver.ts).
 */
import type { Tracer } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';

export interface Tracing {
  /** Absent when tracing is off. */
  tracer?: Tracer;
  /** Flushes and stops the exporter. */
  shutdown(): Promise<void>;
}

/** The OTLP/HTTP traces URL the environment asks for, if any. */
export function tracesUrl(env: NodeJS.ProcessEnv): string | undefined {
  if (env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) return env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT;
  if (env.OTEL_EXPORTER_OTLP_ENDPOINT) return `${env.OTEL_EXPORTER_OTLP_ENDPOINT.replace(/\/+$/, '')}/v1/traces`;
  return undefined;
}

export function startTracing(env: NodeJS.ProcessEnv): Tracing {
  const url = tracesUrl(env);
  if (!url) return { shutdown: async () => {} };
  const provider = new NodeTracerProvider({
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: env.OTEL_SERVICE_NAME || 'tokengraph' }),
    spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter({ url }))],
  });
  provider.register();
  return { tracer: provider.getTracer('tokengraph'), shutdown: () => provider.shutdown() };
}
