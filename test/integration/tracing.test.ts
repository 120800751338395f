/**
 * Traces: a `graphql.request` span per GraphQL request and a `GET <source>` child span per
 * upstream call, collected with an in-memory exporter through an injected tracer; the
 * caller's `traceparent` is honoured; tracing is off (no tracer) without an OTLP endpoint,
 * and with one, spans reach a collector over OTLP/HTTP.
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { InMemorySpanExporter, SimpleSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTracing, tracesUrl } from '../../src/observability/startTracing.js';
import { startStack, type Stack } from '../harness.js';

const exporter = new InMemorySpanExporter();
const provider = new NodeTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });

const QUERY = `query Traced {
  crafterAccessTokens { name }
  netbirdToken(userId: "alice", tokenId: "nb-demo-1") { name }
  gameToken(id: "game-demo-1") { name }
}`;

let stack: Stack;
beforeAll(async () => {
  // As startTracing does in production: async context propagation and W3C trace context.
  // The tracer itself is injected, not taken from the global provider.
  provider.register();
  stack = await startStack({ observability: { tracer: provider.getTracer('test') } });
});
afterAll(async () => {
  await stack.close();
  await provider.shutdown();
});
beforeEach(() => {
  stack.reset();
  exporter.reset();
});

/** Spans end when the response has finished; give the close event a moment. */
async function finishedSpans() {
  for (let i = 0; i < 50 && !exporter.getFinishedSpans().some((s) => s.name === 'graphql.request'); i++) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return exporter.getFinishedSpans();
}

describe('spans', () => {
  it('one server span per request, with a client child span per upstream call', async () => {
    const response = await fetch(stack.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'trace-me' },
      body: JSON.stringify({ query: QUERY }),
    });
    expect(response.status).toBe(200);
    const spans = await finishedSpans();
    const requests = spans.filter((s) => s.name === 'graphql.request');
    expect(requests).toHaveLength(1);
    const request = requests[0]!;
    expect(request.kind).toBe(SpanKind.SERVER);
    expect(request.attributes).toMatchObject({ 'graphql.operation.name': 'Traced', 'http.response.status_code': 200, 'tokengraph.request_id': 'trace-me' });
    const calls = spans.filter((s) => s.kind === SpanKind.CLIENT);
    expect(calls.map((s) => s.name).sort()).toEqual(['GET CRAFTER_ACCESS_TOKEN', 'GET GAME', 'GET NETBIRD']);
    for (const call of calls) {
      expect(call.spanContext().traceId).toBe(request.spanContext().traceId);
      expect(call.parentSpanContext?.spanId).toBe(request.spanContext().spanId);
      expect(call.attributes['http.response.status_code']).toBe(200);
      expect(String(call.attributes['url.path'])).not.toContain('?');
    }
    const crafter = calls.find((s) => s.name === 'GET CRAFTER_ACCESS_TOKEN')!;
    expect(crafter.attributes).toMatchObject({ 'tokengraph.source': 'CRAFTER_ACCESS_TOKEN', 'url.path': '/crafter-profile/api/1/access_token/all' });
  });

  it('shows a Crafter ticket id (a session credential) masked in the span\'s path', async () => {
    await stack.query('query ($id: String!) { crafterTicket(id: $id) { tenant } }', { id: '2e911e0b-ac47-423e-9174-4e8896f1b387' });
    const ticket = (await finishedSpans()).find((s) => s.name === 'GET CRAFTER_TICKET')!;
    expect(ticket.attributes['url.path']).toBe('/crafter-profile/api/1/authentication/ticket/2e91%E2%80%A6b387');
  });

  it('marks failed upstream calls and the partial request as errors', async () => {
    stack.upstreams.netbird.inject({ fault: { kind: 'status', status: 503 } });
    await stack.query(QUERY);
    const spans = await finishedSpans();
    const netbird = spans.find((s) => s.name === 'GET NETBIRD')!;
    expect(netbird.status).toMatchObject({ code: SpanStatusCode.ERROR, message: 'HTTP 503' });
    expect(netbird.attributes['http.response.status_code']).toBe(503);
    expect(spans.find((s) => s.name === 'graphql.request')!.status.code).toBe(SpanStatusCode.ERROR);
  });

  it("continues the caller's trace from traceparent", async () => {
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    await fetch(stack.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', traceparent: `00-${traceId}-00f067aa0ba902b7-01` },
      body: JSON.stringify({ query: '{ gameToken(id: "game-demo-2") { name } }' }),
    });
    const request = (await finishedSpans()).find((s) => s.name === 'graphql.request')!;
    expect(request.spanContext().traceId).toBe(traceId);
    expect(request.parentSpanContext?.spanId).toBe('00f067aa0ba902b7');
  });
});

describe('startTracing', () => {
  it('is off without an OTLP endpoint: no tracer at all', async () => {
    const tracing = startTracing({});
    expect(tracing.tracer).toBeUndefined();
    await tracing.shutdown();
  });

  it('reads the standard endpoint variables', () => {
    expect(tracesUrl({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/' })).toBe('http://collector:4318/v1/traces');
    expect(tracesUrl({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://a:4318', OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://b/traces' })).toBe('http://b/traces');
  });

  it('exports spans over OTLP/HTTP to the endpoint', async () => {
    const received: Array<{ path: string; body: string }> = [];
    const collector = createServer((req: IncomingMessage, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString('latin1')));
      req.on('end', () => {
        received.push({ path: req.url ?? '', body });
        res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      });
    });
    await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
    const tracing = startTracing({ OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${(collector.address() as AddressInfo).port}` });
    const own = await startStack({ configured: ['games'], observability: { tracer: tracing.tracer } });
    try {
      expect(tracing.tracer).toBeDefined();
      await own.query('{ gameToken(id: "game-demo-2") { name } }');
      await new Promise((resolve) => setTimeout(resolve, 50));
      await tracing.shutdown();
      expect(received.map((r) => r.path)).toContain('/v1/traces');
      const all = received.map((r) => r.body).join('');
      expect(all).toContain('graphql.request');
      expect(all).toContain('GET GAME');
      expect(all).toContain('tokengraph');
    } finally {
      await own.close();
      collector.close();
    }
  });
});
