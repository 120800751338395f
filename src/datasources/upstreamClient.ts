/**
 * The one way tokengraph talks HTTP to an upstream: a call (a GET; a DELETE or POST to revoke)
 * over a keep-alive undici pool, with every path parameter encoded as exactly one segment, one deadline covering headers
 * and body, and a cap on the body's size. It knows nothing of any upstream's body format
 * or error shape; the datasources do. Transport failures come out as `TokengraphError`s
 * with the contract's codes, and never mention the URL (Crafter's carries the credential).
 */
import { Agent } from 'undici';
import { abandonedCall, TokengraphError, unsent, upstreamError } from '../shared/errors.js';
import type { SourceName, UpstreamName } from '../sources.js';
import type { RequestTelemetry } from '../observability/requestTelemetry.js';
import type { UpstreamObserver } from '../observability/upstreamObserver.js';
import { CallAbort } from './callAbort.js';
import { parseRetryAfter } from './parseRetryAfter.js';

export interface UpstreamClientOptions {
  /** Base URL, optionally with a path prefix (with or without a trailing slash). */
  baseUrl: URL;
  /** Deadline for one call, covering connection, headers and the whole body. */
  timeoutMs: number;
  /** Largest body accepted, in bytes. */
  maxBodyBytes: number;
  /** Longest time from the headers to the end of the body, in ms. */
  bodyTimeoutMs: number;
  /** Most connections kept open to the upstream. */
  connections: number;
  /** Headers sent on every call (Accept, User-Agent); credentials go per call. */
  headers: Record<string, string>;
  /** Told of every call (logs, metrics, traces); see observability/upstreamObserver.ts. */
  observer?: UpstreamObserver;
}

export interface UpstreamResponse {
  status: number;
  /** The media type without parameters, lower-cased; '' when absent. */
  contentType: string;
  body: string;
  /** The `Retry-After` header, in ms from now, when present and readable. */
  retryAfterMs?: number;
}

/** What a datasource call takes from the GraphQL request it serves. */
export interface CallOptions {
  /**
   * Aborts the call early: with a `TimeoutError` reason at the request's deadline, with any
   * other reason when the client went away.
   */
  signal?: AbortSignal;
  /** The request's deadline, epoch ms: no retry is started that could not finish before it. */
  deadline?: number;
  /**
   * Credential forwarding: the caller's own credential for each upstream whose forwarding
   * is on, read from the incoming request's header. A datasource sends it instead of its
   * static credential. Never log these values.
   */
  credentials?: Partial<Record<UpstreamName, string>>;
  /** Counts the request's upstream calls, cache hits and batches (logs and metrics). */
  telemetry?: RequestTelemetry;
  /** Read anew: no answer from the cross-request cache (an inventory read keeps its own snapshot). */
  bypassCache?: boolean;
}

/** The methods tokengraph sends: GET to read, DELETE and POST (with no body) to revoke (contract §9). */
export type Method = 'GET' | 'DELETE' | 'POST';

export interface GetOptions {
  /** Query parameters, appended after the encoded path. */
  query?: Record<string, string>;
  /** The request's signal (see CallOptions.signal). */
  signal?: AbortSignal;
  /** Headers of this call only (the credential), over the client's own. */
  headers?: Record<string, string>;
  /** The segments as logs and spans show them, where some are credentials: masked. Default: `segments`. */
  shown?: readonly string[];
}

export class UpstreamClient {
  private readonly origin: string;
  private readonly prefix: string;
  private readonly agent: Agent;

  constructor(private readonly options: UpstreamClientOptions) {
    this.origin = options.baseUrl.origin;
    this.prefix = options.baseUrl.pathname.replace(/\/+$/, '');
    this.agent = new Agent({ keepAliveTimeout: 30_000, connections: options.connections });
  }

  /** The request path for `segments`, each encoded as exactly one path segment. */
  path(segments: readonly string[], query?: Record<string, string>): string {
    const path = `${this.prefix}/${segments.map(encodeSegment).join('/')}`;
    return query ? withQuery(path, query) : path;
  }

  /** GETs `segments` under the base URL; `source` names the caller in errors. */
  get(source: SourceName, segments: readonly string[], options: GetOptions = {}): Promise<UpstreamResponse> {
    return this.request('GET', source, segments, options);
  }

  /** One call of `method` to `segments` under the base URL, with no request body. */
  async request(method: Method, source: SourceName, segments: readonly string[], options: GetOptions = {}): Promise<UpstreamResponse> {
    // Clients' identifiers are refused earlier (security/identifiers.ts); ids an upstream listed
    // are not, and one that is empty, `.` or `..` would address another resource.
    if (segments.some(isNotASegment)) throw upstreamError('UPSTREAM_INVALID_RESPONSE', { source }, `${source}: an id the upstream listed is empty, "." or "..", which no path may be built from`);
    const call = new CallAbort(this.options.timeoutMs, options.signal);
    const path = this.path(segments);
    const done = this.options.observer?.(source, options.shown ? this.path(options.shown) : path, method);
    let status: number | undefined;
    try {
      const response = await this.agent.request({
        origin: this.origin,
        path: options.query ? withQuery(path, options.query) : path,
        method,
        headers: options.headers ? { ...this.options.headers, ...options.headers } : this.options.headers,
        signal: call,
      });
      status = response.statusCode;
      const contentType = mediaType(response.headers['content-type']);
      const body = await readBody(response.body, this.options, source, status);
      const retryAfterMs = parseRetryAfter(response.headers['retry-after']);
      done?.({ status });
      return retryAfterMs === undefined ? { status, contentType, body } : { status, contentType, body, retryAfterMs };
    } catch (error) {
      const failure = transportError(error, source, status, call.expired, options.signal);
      done?.(status === undefined ? { error: failure } : { status, error: failure });
      throw failure;
    } finally {
      call.clear();
    }
  }

  async close(): Promise<void> {
    await this.agent.close();
  }
}

function isNotASegment(value: string): boolean {
  return value === '' || value === '.' || value === '..';
}

function withQuery(path: string, query: Record<string, string>): string {
  return `${path}?${new URLSearchParams(query).toString()}`;
}

/**
 * encodeURIComponent leaves only `A-Z a-z 0-9 - _ . ! ~ * ' ( )` as they are, so `/`, `?`,
 * `#`, `%` and every non-ASCII character are escaped. `.` and `..` stay as they are and
 * would be read as path steps, which is why `request` refuses them (and empty segments).
 */
function encodeSegment(value: string): string {
  return encodeURIComponent(value);
}

function mediaType(header: string | string[] | undefined): string {
  const value = Array.isArray(header) ? header[0] : header;
  return (value ?? '').split(';', 1)[0]!.trim().toLowerCase();
}

class BodyTooLarge extends Error {}
class BodyTooSlow extends Error {}

type Body = NodeJS.ReadableStream & { destroy(error?: Error): void };

/**
 * The whole body as text, within the size cap and the body deadline. Plain 'data'/'end'
 * events: an async iterator over the stream costs several times more per call.
 */
function readBody(body: Body, limits: UpstreamClientOptions, source: SourceName, status: number): Promise<string> {
  const { maxBodyBytes, bodyTimeoutMs } = limits;
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const fail = (error: Error) => {
      clearTimeout(timer);
      body.destroy();
      reject(error);
    };
    const timer = setTimeout(() => fail(new BodyTooSlow(`${source} did not finish its response within ${bodyTimeoutMs} ms of its headers`)), bodyTimeoutMs);
    body.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBodyBytes) return fail(new BodyTooLarge(`${source} sent a body larger than ${maxBodyBytes} bytes (status ${status})`));
      chunks.push(chunk);
    });
    body.once('end', () => {
      clearTimeout(timer);
      resolve(chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks, size).toString('utf8'));
    });
    body.once('error', (error: Error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}

function transportError(
  error: unknown,
  source: SourceName,
  status: number | undefined,
  callDeadlinePassed: boolean,
  requestSignal: AbortSignal | undefined,
): TokengraphError {
  const upstream = status === undefined ? { source } : { source, status };
  if (error instanceof BodyTooLarge) return upstreamError('UPSTREAM_INVALID_RESPONSE', upstream, error.message);
  if (error instanceof BodyTooSlow) return upstreamError('UPSTREAM_TIMEOUT', upstream, error.message);
  if (callDeadlinePassed) return upstreamError('UPSTREAM_TIMEOUT', upstream);
  if (requestSignal?.aborted) return abandonedCall(upstream, requestSignal.reason);
  if (status !== undefined) {
    // The answer started and then broke off: what arrived cannot be trusted.
    return upstreamError('UPSTREAM_INVALID_RESPONSE', upstream, `${source} closed the connection in the middle of its response`);
  }
  // An answer came that is not HTTP tokengraph can read (headers over undici's limit, a status
  // line or header that does not parse): the upstream answered, so it is not unavailable, and
  // asking again would get the same answer.
  const code = errorCodeOf(error);
  if (code === 'UND_ERR_HEADERS_OVERFLOW') return upstreamError('UPSTREAM_INVALID_RESPONSE', upstream, `${source} sent response headers larger than tokengraph reads`);
  if (code.startsWith('HPE_')) return upstreamError('UPSTREAM_INVALID_RESPONSE', upstream, `${source} sent a response that is not valid HTTP (${code})`);
  const unreachable = upstreamError('UPSTREAM_UNAVAILABLE', upstream, `${source} could not be reached (${code})`);
  // No connection was made, so nothing was sent; a reset may come after the request was read.
  return NOT_CONNECTED.has(code) ? unsent(unreachable) : unreachable;
}

/** Connection failures that happen before anything is sent. */
const NOT_CONNECTED = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);

/** A system error code such as ECONNREFUSED: says what happened, carries no URL or secret. */
function errorCodeOf(error: unknown): string {
  const code = (error as { code?: unknown })?.code;
  return typeof code === 'string' && /^[A-Z_]+$/.test(code) ? code : 'connection failed';
}
