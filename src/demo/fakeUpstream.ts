/**
 * A generic fake upstream: a real `node:http` server on 127.0.0.1 that records every call and
 * can be told to misbehave (fault injection). The four API files in this folder give it routes,
 * auth checks and error bodies; demo mode and the test-suite both use them, so tokengraph always
 * talks real HTTP (keep-alive, sockets, resets, slow bodies) to something that looks like the docs.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/** One request as the fake received it. */
export interface RecordedCall {
  method: string;
  /** Raw request path without the query, exactly as received (still percent-encoded). */
  path: string;
  /** Query parameters, decoded; the first occurrence of a repeated name wins. */
  query: Record<string, string>;
  /** Request headers with lower-case names. */
  headers: Record<string, string | undefined>;
  /** Arrival time, epoch milliseconds. */
  at: number;
}

/** A misbehaviour to serve instead of (or around) the normal answer. */
export type Fault =
  /** This status; body defaults to the API's own error body for it. */
  | { kind: 'status'; status: number; body?: string; contentType?: string; headers?: Record<string, string> }
  /** 200 with a cut-off body in the API's content type. */
  | { kind: 'malformed' }
  /** Accept the request and never answer (until the server closes). */
  | { kind: 'hang' }
  /** Answer normally after `ms`. */
  | { kind: 'delay'; ms: number }
  /** An arbitrary raw answer (status defaults to 200). */
  | { kind: 'body'; status?: number; body: string; contentType: string }
  /** Reset the connection before sending anything. */
  | { kind: 'reset' }
  /** 200 headers announcing the full body's length, half the body, then the socket is destroyed. */
  | { kind: 'resetMidBody' }
  /** The normal answer, `bytesPerChunk` bytes every `intervalMs`. */
  | { kind: 'trickle'; bytesPerChunk: number; intervalMs: number }
  /**
   * 200 with the normal (valid) body padded with trailing whitespace to `bytes` bytes, announced
   * by `content-length`, or streamed chunked with no length when `chunked` is set.
   */
  | { kind: 'oversize'; bytes: number; chunked?: boolean }
  /** The normal answer with one extra response header of `bytes` bytes. */
  | { kind: 'hugeHeader'; bytes: number };

export interface FaultRule {
  fault: Fault;
  /** Only calls for which this returns true get the fault (default: every call). */
  match?: (call: RecordedCall) => boolean;
  /** How many calls get it before the rule is dropped (default: unlimited). */
  times?: number;
}

/**
 * Counts requests in flight, from arrival until their response finishes or their socket closes.
 * Share one between servers to measure concurrency across upstreams.
 */
export class InFlightMeter {
  current = 0;
  max = 0;
  enter(): void {
    this.current += 1;
    this.max = Math.max(this.max, this.current);
  }
  leave(): void {
    this.current -= 1;
  }
  /** Starts a new measurement: `max` drops to what is in flight right now. */
  reset(): void {
    this.max = this.current;
  }
}

/** A complete HTTP answer. */
export interface Answer {
  status: number;
  body: string;
  contentType: string;
  /** Extra response headers, such as `retry-after`. */
  headers?: Record<string, string>;
}

/** The API's own error body for a status. */
export type ErrorBody = (status: number, call: RecordedCall) => { body: string; contentType: string };

/** How many calls an upstream remembers; far more than any test counts. */
export const MAX_RECORDED_CALLS = 10_000;

export interface FakeUpstream {
  /** e.g. `http://127.0.0.1:PORT` (no trailing slash, no prefix). */
  readonly url: string;
  /**
   * The requests received, in arrival order: at most the most recent MAX_RECORDED_CALLS of them, so
   * a long-running demo or soak does not grow without bound.
   */
  readonly calls: RecordedCall[];
  /** Requests received since start, never reset: a cheap counter for load tests. */
  readonly callCount: number;
  /** The meter this server reports to (the shared one if given). */
  readonly meter: InFlightMeter;
  /** Rules are checked in order; a rule with `times` decrements and is dropped at 0. */
  inject(rule: FaultRule): void;
  clearFaults(): void;
  /** Clears calls and faults. */
  reset(): void;
  /** Extra delay before every normal answer, ms (default 0). */
  latencyMs: number;
  /** Closes the server and destroys open sockets, hanging ones included. */
  close(): Promise<void>;
}

export interface FakeUpstreamOptions {
  /** For messages only. */
  name: string;
  /** Default 0: an ephemeral port. */
  port?: number;
  /** Path prefix such as `/crafter-profile`; requests outside it get 404. */
  prefix?: string;
  meter?: InFlightMeter;
  errorBody: ErrorBody;
  /** The normal answer to a GET; `path` is the raw path relative to the prefix (always starts with `/`). */
  handle: (call: RecordedCall, path: string) => Answer;
  /** The normal answer to any other method (a revocation); `undefined`, or no `write`: 405. */
  write?: (call: RecordedCall, path: string) => Answer | undefined;
}

export async function startFakeUpstream(options: FakeUpstreamOptions): Promise<FakeUpstream> {
  const prefix = (options.prefix ?? '').replace(/\/+$/, '');
  const meter = options.meter ?? new InFlightMeter();
  let rules: FaultRule[] = [];
  const timers = new Set<NodeJS.Timeout>();

  const later = (ms: number, fn: () => void): void => {
    if (ms <= 0) return fn();
    const timer = setTimeout(() => {
      timers.delete(timer);
      fn();
    }, ms);
    timers.add(timer);
  };

  const errorAnswer = (status: number, call: RecordedCall): Answer => ({ status, ...options.errorBody(status, call) });

  const normalAnswer = (call: RecordedCall): Answer => {
    if (call.path !== prefix && !call.path.startsWith(`${prefix}/`)) return errorAnswer(404, call);
    const path = call.path.slice(prefix.length) || '/';
    if (call.method === 'GET') return options.handle(call, path);
    return options.write?.(call, path) ?? errorAnswer(405, call);
  };

  const takeFault = (call: RecordedCall): Fault | undefined => {
    const rule = rules.find((r) => !r.match || r.match(call));
    if (!rule) return undefined;
    if (rule.times !== undefined) {
      rule.times -= 1;
      if (rule.times <= 0) rules = rules.filter((r) => r !== rule);
    }
    return rule.fault;
  };

  const send = (res: ServerResponse, answer: Answer): void => {
    if (res.destroyed || res.writableEnded) return;
    res.writeHead(answer.status, {
      ...answer.headers,
      'content-type': answer.contentType,
      'content-length': Buffer.byteLength(answer.body),
    });
    res.end(answer.body);
  };

  const trickle = (res: ServerResponse, answer: Answer, bytesPerChunk: number, intervalMs: number): void => {
    if (res.destroyed) return;
    const body = Buffer.from(answer.body);
    res.writeHead(answer.status, { 'content-type': answer.contentType, 'content-length': body.length });
    res.flushHeaders();
    let offset = 0;
    const step = Math.max(1, bytesPerChunk);
    const timer = setInterval(() => {
      if (res.destroyed) return stop();
      const chunk = body.subarray(offset, offset + step);
      offset += step;
      if (offset >= body.length) {
        stop();
        res.end(chunk);
      } else {
        res.write(chunk);
      }
    }, intervalMs);
    const stop = () => {
      clearInterval(timer);
      timers.delete(timer);
    };
    timers.add(timer);
    res.once('close', stop);
  };

  const serve = (req: IncomingMessage, res: ServerResponse, call: RecordedCall): void => {
    const fault = takeFault(call);
    const latency = upstream.latencyMs;
    switch (fault?.kind) {
      case undefined:
        return later(latency, () => send(res, normalAnswer(call)));
      case 'delay':
        return later(latency + fault.ms, () => send(res, normalAnswer(call)));
      case 'status': {
        const own = options.errorBody(fault.status, call);
        return send(res, {
          status: fault.status,
          body: fault.body ?? own.body,
          contentType: fault.contentType ?? own.contentType,
          headers: fault.headers,
        });
      }
      case 'body':
        return send(res, { status: fault.status ?? 200, body: fault.body, contentType: fault.contentType });
      case 'malformed': {
        const { contentType } = normalAnswer(call);
        return send(res, { status: 200, contentType, body: /xml/i.test(contentType) ? '<Token><Name>' : '{"id": "x", "na' });
      }
      case 'oversize': {
        const normal = normalAnswer(call);
        const body = (normal.status >= 200 && normal.status < 300 ? normal.body : '{"padding":""}').padEnd(fault.bytes, ' ');
        if (!fault.chunked) return send(res, { status: 200, contentType: normal.contentType, body });
        res.writeHead(200, { 'content-type': normal.contentType });
        for (let offset = 0; offset < body.length && !res.destroyed; offset += 65536) res.write(body.slice(offset, offset + 65536));
        res.end();
        return;
      }
      case 'hugeHeader':
        return send(res, { ...normalAnswer(call), headers: { 'x-padding': 'a'.repeat(fault.bytes) } });
      case 'hang':
        return; // the meter keeps counting until close() destroys the socket
      case 'reset':
        req.socket.resetAndDestroy();
        return;
      case 'resetMidBody': {
        const normal = normalAnswer(call);
        const body = Buffer.from(normal.body);
        res.writeHead(200, { 'content-type': normal.contentType, 'content-length': body.length });
        res.write(body.subarray(0, Math.max(1, Math.floor(body.length / 2))), () => req.socket.destroy());
        return;
      }
      case 'trickle':
        return later(latency, () => trickle(res, normalAnswer(call), fault.bytesPerChunk, fault.intervalMs));
    }
  };

  const server = createServer((req, res) => {
    meter.enter();
    let left = false;
    const leave = () => {
      if (left) return;
      left = true;
      meter.leave();
    };
    res.once('finish', leave);
    res.once('close', leave);
    req.resume();

    const raw = req.url ?? '/';
    const q = raw.indexOf('?');
    const query: Record<string, string> = {};
    for (const [name, value] of new URLSearchParams(q < 0 ? '' : raw.slice(q + 1))) {
      if (!(name in query)) query[name] = value;
    }
    const headers: Record<string, string | undefined> = {};
    for (const [name, value] of Object.entries(req.headers)) {
      headers[name] = Array.isArray(value) ? value.join(', ') : value;
    }
    const call: RecordedCall = {
      method: req.method ?? 'GET',
      path: q < 0 ? raw : raw.slice(0, q),
      query,
      headers,
      at: Date.now(),
    };
    // Dropping the older half at once keeps this O(1) per call on average.
    if (upstream.calls.length >= MAX_RECORDED_CALLS) upstream.calls.splice(0, MAX_RECORDED_CALLS / 2);
    upstream.calls.push(call);
    callCount += 1;
    try {
      serve(req, res, call);
    } catch (error) {
      // A bug in a handler or a match function: answer 500 rather than hang the test.
      process.stderr.write(`fake ${options.name} upstream: ${error instanceof Error ? error.stack : String(error)}\n`);
      send(res, errorAnswer(500, call));
    }
  });

  const sockets = new Set<Socket>();
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;

  let callCount = 0;
  const upstream: FakeUpstream = {
    url: `http://127.0.0.1:${port}`,
    calls: [],
    get callCount() {
      return callCount;
    },
    meter,
    latencyMs: 0,
    inject(rule) {
      rules.push({ ...rule });
    },
    clearFaults() {
      rules = [];
    },
    reset() {
      upstream.calls.length = 0;
      rules = [];
    },
    close() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      // Wait for every socket's close too, so that the meter has counted each request out.
      const socketsClosed = [...sockets].map((socket) => new Promise((resolve) => socket.once('close', resolve)));
      const serverClosed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      return Promise.all([serverClosed, ...socketsClosed]).then(() => undefined);
    },
  };
  return upstream;
}

// ---- helpers shared by the API files ----------------------------------------------------------

/**
 * Matches a raw path against a pattern like `/api/users/:userId/tokens/:tokenId`. Each `:param`
 * takes exactly one raw segment, then decoded (`a%2Fb` is the one value `a/b`). Returns the
 * params, or undefined when the path does not match or a segment is not valid percent-encoding.
 */
export function matchRoute(pattern: string, path: string): Record<string, string> | undefined {
  const want = pattern.split('/');
  const got = path.split('/');
  if (want.length !== got.length) return undefined;
  const params: Record<string, string> = {};
  for (const [i, part] of want.entries()) {
    const segment = got[i] ?? '';
    if (part.startsWith(':')) {
      if (segment === '') return undefined;
      try {
        params[part.slice(1)] = decodeURIComponent(segment);
      } catch {
        return undefined;
      }
    } else if (part !== segment) {
      return undefined;
    }
  }
  return params;
}

/** The credential of an `Authorization: <scheme> <credential>` header (scheme case-insensitive). */
export function authorization(call: RecordedCall, scheme: string): string | undefined {
  const match = /^(\S+)\s+(.+)$/.exec(call.headers.authorization ?? '');
  return match && match[1]?.toLowerCase() === scheme.toLowerCase() ? match[2] : undefined;
}

export function jsonAnswer(status: number, value: unknown, contentType: string): Answer {
  return { status, body: JSON.stringify(value), contentType };
}

export function escapeXml(value: string): string {
  const entities: Record<string, string> = { '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' };
  return value.replace(/[<>&"']/g, (c) => entities[c] ?? c);
}
