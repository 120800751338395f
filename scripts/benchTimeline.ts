/**
 * Where one request's time goes, in a bench server (BENCH_TIMELINE=1): from Node's and undici's
 * diagnostics channels, per request sent one at a time, the moments
 *
 *   in        the server has the request (headers parsed)
 *   sent      its first upstream request is written (undici:client:sendHeaders)
 *   answered  its last upstream response has its headers
 *   read      its last upstream body is complete (undici:request:trailers)
 *   out       the server has written the whole response
 *
 * and so the segments before the upstreams (in→sent), waiting for them (sent→answered), reading them
 * (answered→read) and after them (read→out). Both servers record the same way, so the difference
 * between them is what tokengraph adds, and where. Meaningful only one request at a time.
 */
import { subscribe } from 'node:diagnostics_channel';
import { median } from './benchStatistics.js';

export interface TimelineSegments {
  requests: number;
  /** Medians, ms. */
  beforeUpstream: number;
  upstream: number;
  readingUpstream: number;
  afterUpstream: number;
  total: number;
}

export function recordTimeline(): () => TimelineSegments | undefined {
  let current: { in: number; sent?: number; answered?: number; read?: number } | undefined;
  const done: Array<{ in: number; sent: number; answered: number; read: number; out: number }> = [];
  subscribe('http.server.request.start', () => {
    current = { in: performance.now() };
  });
  subscribe('undici:client:sendHeaders', () => {
    if (current && current.sent === undefined) current.sent = performance.now();
  });
  subscribe('undici:request:headers', () => {
    if (current) current.answered = performance.now();
  });
  subscribe('undici:request:trailers', () => {
    if (current) current.read = performance.now();
  });
  subscribe('http.server.response.finish', () => {
    const request = current;
    current = undefined;
    if (request?.sent === undefined || request.answered === undefined || request.read === undefined) return;
    done.push({ in: request.in, sent: request.sent, answered: request.answered, read: request.read, out: performance.now() });
  });
  return () => {
    if (done.length === 0) return undefined;
    const taken = done.splice(0);
    return {
      requests: taken.length,
      beforeUpstream: median(taken.map((t) => t.sent - t.in)),
      upstream: median(taken.map((t) => t.answered - t.sent)),
      readingUpstream: median(taken.map((t) => t.read - t.answered)),
      afterUpstream: median(taken.map((t) => t.out - t.read)),
      total: median(taken.map((t) => t.out - t.in)),
    };
  };
}
