/**
 * Node's http request → Apollo Server's `executeHTTPGraphQLRequest` → Node's response.
 * This is the whole of what an Express integration would do, without Express: read the
 * body within a limit, parse JSON bodies, and give each request its own context (and an
 * AbortSignal that fires when the client goes away, so its upstream calls stop too).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { HeaderMap, type ApolloServer, type HTTPGraphQLRequest } from '@apollo/server';
import { createContext, type ContextParts } from '../graph/createContext.js';
import type { RequestObserver } from '../observability/requestObserver.js';
import type { RequestTelemetry } from '../observability/requestTelemetry.js';
import type { Caller } from '../security/apiKeys.js';
import type { Context } from '../resolvers/context.js';
import { LIMIT_VARIABLES, type Limits } from '../security/limits.js';
import { deadlineSignal } from './deadlineSignal.js';
import { lingeringClose } from './lingeringClose.js';
import { sendError } from './responses.js';

export interface GraphqlRouteOptions {
  apollo: ApolloServer<Context>;
  /** What each request's context is built from: the upstreams and the inventory. */
  parts: ContextParts;
  /** The body, document and list limits, and each request's deadline. */
  limits: Pick<Limits, 'maxBodyBytes' | 'maxQueryBytes' | 'maxListLength' | 'requestDeadlineMs'>;
  /** Runs each request inside its span (the request's log line and metrics are the route's). */
  observer?: RequestObserver;
}

/** The client went away before it was answered (mid-body, or while an export waited for the inventory): nobody is left to answer. */
export class ClientGone extends Error {}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export function createGraphqlRoute(options: GraphqlRouteOptions) {
  const { limits } = options;
  return async (req: IncomingMessage, res: ServerResponse, search: string, caller: Caller, telemetry?: RequestTelemetry): Promise<void> => {
    // Upstream calls stop when the client goes away, or at the request's deadline (a
    // TimeoutError reason, which the datasources report as UPSTREAM_TIMEOUT).
    const scope = deadlineSignal(limits.requestDeadlineMs);
    res.once('close', () => {
      if (!res.writableFinished) scope.abort(new Error('the client closed the connection'));
      scope.clear();
    });
    const deadline = Date.now() + limits.requestDeadlineMs;
    const { signal } = scope;
    let body: unknown;
    try {
      body = req.method === 'POST' ? await readJsonBody(req, limits.maxBodyBytes) : undefined;
    } catch (error) {
      if (!(error instanceof HttpError)) throw error;
      // The rest of a refused body is read and dropped (bounded), then the connection closes.
      lingeringClose(res);
      sendError(res, error.status, error.message);
      return;
    }
    const queryBytes = documentBytes(req.method === 'POST' ? body : new URLSearchParams(search).get('query'));
    if (queryBytes > limits.maxQueryBytes) {
      sendError(res, 400, `the query document is over the limit of ${limits.maxQueryBytes} bytes (${LIMIT_VARIABLES.maxQueryBytes[0]})`, 'GRAPHQL_VALIDATION_FAILED');
      return;
    }
    const headers = new HeaderMap();
    for (const [name, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
    }
    const httpGraphQLRequest: HTTPGraphQLRequest = { method: req.method ?? 'GET', headers, search, body };
    const execute = () =>
      options.apollo.executeHTTPGraphQLRequest({
        httpGraphQLRequest,
        context: async () => createContext(options.parts, { signal, deadline, headers: req.headers, telemetry, maxListLength: limits.maxListLength, caller }),
      });
    const response = await (telemetry ? options.observer!.run(telemetry, execute) : execute());
    for (const [name, value] of response.headers) res.setHeader(name, value);
    res.statusCode = response.status ?? 200;
    if (response.body.kind === 'complete') {
      res.end(response.body.string);
      return;
    }
    for await (const chunk of response.body.asyncIterator) res.write(chunk);
    res.end();
  };
}

/**
 * The parsed body of a JSON request, or `undefined` for any other content type (Apollo
 * then answers 400 with its own explanation). Bodies over the limit are refused unread.
 */
async function readJsonBody(req: IncomingMessage, maxBytes: number): Promise<unknown> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) throw new HttpError(413, `request body is larger than ${maxBytes} bytes`);
  const [mediaType = '', ...params] = (req.headers['content-type'] ?? '').split(';').map((part) => part.trim().toLowerCase());
  const body = await readBody(req, maxBytes);
  if (mediaType !== 'application/json' && mediaType !== 'application/graphql-response+json') return undefined;
  const charset = params.find((p) => p.startsWith('charset='))?.slice('charset='.length).replace(/"/g, '');
  if (charset && charset !== 'utf-8' && charset !== 'utf8') throw new HttpError(415, `unsupported charset "${charset}": send UTF-8`);
  try {
    return JSON.parse(body);
  } catch {
    throw new HttpError(400, 'request body is not valid JSON');
  }
}

/**
 * The whole body as text, refused once it passes `maxBytes`. Plain 'data'/'end' events:
 * an async iterator over the request costs an extra turn of the event loop per request.
 */
function readBody(req: IncomingMessage, maxBytes: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBytes) return void chunks.push(chunk);
      // Stop buffering, and let go of what was kept; lingeringClose reads and drops the rest.
      req.off('data', onData).off('end', onEnd);
      chunks.length = 0;
      reject(new HttpError(413, `request body is larger than ${maxBytes} bytes`));
    };
    const onEnd = () => resolve(chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks, size).toString('utf8'));
    req.on('data', onData);
    req.once('end', onEnd);
    // A client that disconnects mid-body makes the request emit an "aborted" error: not a fault of ours.
    req.once('error', (error) => reject(req.complete ? error : new ClientGone('the client went away before its request body ended')));
  });
}

/** UTF-8 size of the query document of a POST body (or of a GET's `query`); 0 when there is none. */
function documentBytes(source: unknown): number {
  const query = typeof source === 'string' ? source : (source as { query?: unknown } | null | undefined)?.query;
  return typeof query === 'string' ? Buffer.byteLength(query, 'utf8') : 0;
}
