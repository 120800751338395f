/**
 * The one way tokengraph talks HTTP to an upstream: a GET over a keep-alive undici pool,
 * with every path parameter encoded as exactly one segment, one deadline covering headers
 * and body, and a cap on the body's size. It knows nothing of any upstream's body format
 * or error shape; the datasources do. Transport failures come out as `TokengraphError`s
 * with the contract's codes, and never mention the URL (Crafter's carries the credential).
 */
import { Agent, errors as undiciErrors } from 'undici';
import { upstreamError, type SourceName, type TokengraphError } from '../errors.js';

export interface UpstreamClientOptions {
  /** Base URL, optionally with a path prefix (with or without a trailing slash). */
  baseUrl: URL;
  /** Deadline for one call, covering connection, headers and the whole body. */
  timeoutMs: number;
  /** Largest body accepted, in bytes. */
  maxBodyBytes: number;
  /** Headers sent on every call (credentials, Accept). */
  headers: Record<string, string>;
}

export interface UpstreamResponse {
  status: number;
  /** The media type without parameters, lower-cased; '' when absent. */
  contentType: string;
  body: string;
}

/** What a datasource call takes from the GraphQL request it serves. */
export interface CallOptions {
  /** Aborts the call early (for example when the client went away). */
  signal?: AbortSignal;
}

export interface GetOptions {
  /** Query parameters, appended after the encoded path. */
  query?: Record<string, string>;
  /** Aborts the call early (for example when the client went away). */
  signal?: AbortSignal;
}

export class UpstreamClient {
  private readonly origin: string;
  private readonly prefix: string;
  private readonly agent: Agent;

  constructor(private readonly options: UpstreamClientOptions) {
    this.origin = options.baseUrl.origin;
    this.prefix = options.baseUrl.pathname.replace(/\/+$/, '');
    this.agent = new Agent({ keepAliveTimeout: 30_000, connections: 64 });
  }

  /** The request path for `segments`, each encoded as exactly one path segment. */
  path(segments: readonly string[], query?: Record<string, string>): string {
    const path = `${this.prefix}/${segments.map(encodeSegment).join('/')}`;
    return query ? `${path}?${new URLSearchParams(query).toString()}` : path;
  }

  /** GETs `segments` under the base URL; `source` names the caller in errors. */
  async get(source: SourceName, segments: readonly string[], options: GetOptions = {}): Promise<UpstreamResponse> {
    const deadline = AbortSignal.timeout(this.options.timeoutMs);
    const signal = options.signal ? AbortSignal.any([deadline, options.signal]) : deadline;
    let status: number | undefined;
    try {
      const response = await this.agent.request({
        origin: this.origin,
        path: this.path(segments, options.query),
        method: 'GET',
        headers: this.options.headers,
        signal,
      });
      status = response.statusCode;
      const contentType = mediaType(response.headers['content-type']);
      const body = await readBody(response.body, this.options.maxBodyBytes, source, status);
      return { status, contentType, body };
    } catch (error) {
      throw transportError(error, source, status, deadline);
    }
  }

  async close(): Promise<void> {
    await this.agent.close();
  }
}

/**
 * encodeURIComponent leaves only `A-Z a-z 0-9 - _ . ! ~ * ' ( )` as they are, so `/`, `?`,
 * `#`, `%` and every non-ASCII character are escaped. `.` and `..` stay as they are and
 * would be read as path steps, which is why identifiers.ts refuses them before this runs.
 */
export function encodeSegment(value: string): string {
  return encodeURIComponent(value);
}

function mediaType(header: string | string[] | undefined): string {
  const value = Array.isArray(header) ? header[0] : header;
  return (value ?? '').split(';', 1)[0]!.trim().toLowerCase();
}

class BodyTooLarge extends Error {}

async function readBody(
  body: AsyncIterable<Buffer> & { destroy(error?: Error): void },
  maxBytes: number,
  source: SourceName,
  status: number,
): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    if (size > maxBytes) {
      body.destroy();
      throw new BodyTooLarge(`${source} sent a body larger than ${maxBytes} bytes (status ${status})`);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, size).toString('utf8');
}

function transportError(error: unknown, source: SourceName, status: number | undefined, deadline: AbortSignal): TokengraphError {
  const upstream = status === undefined ? { source } : { source, status };
  if (error instanceof BodyTooLarge) {
    return upstreamError('UPSTREAM_INVALID_RESPONSE', upstream, error.message);
  }
  if (deadline.aborted) {
    return upstreamError('UPSTREAM_TIMEOUT', upstream);
  }
  if (status !== undefined) {
    // The answer started and then broke off: what arrived cannot be trusted.
    return upstreamError('UPSTREAM_INVALID_RESPONSE', upstream, `${source} closed the connection in the middle of its response`);
  }
  if (error instanceof undiciErrors.RequestAbortedError || (error as Error)?.name === 'AbortError') {
    return upstreamError('UPSTREAM_UNAVAILABLE', upstream, `${source} call was cancelled`);
  }
  return upstreamError('UPSTREAM_UNAVAILABLE', upstream, `${source} could not be reached (${errorCodeOf(error)})`);
}

/** A system error code such as ECONNREFUSED: says what happened, carries no URL or secret. */
function errorCodeOf(error: unknown): string {
  const code = (error as { code?: unknown })?.code;
  return typeof code === 'string' && /^[A-Z_]+$/.test(code) ? code : 'connection failed';
}
