/**
 * How one source reaches its upstream: the upstream's pooled client and credential, and the
 * source's own guard (bulkhead, retry, breaker) and cross-request cache. Every upstream call of
 * every datasource goes through `get` (or `send`, to revoke), in this order:
 *
 *   credential → cross-request cache (reads, when on and asked for) → guard → rate budget → one call
 *
 * so no datasource can send the wrong credential, skip a policy, or cache by the wrong key. What
 * differs between upstreams (where the credential goes, what an error body says) is the
 * `UpstreamApi` each datasource file exports.
 */
import type { z } from 'zod';
import { cached, type SourceCache } from '../cache/sourceCache.js';
import { codeForStatus, TokengraphError } from '../shared/errors.js';
import type { RateBudget } from './rateBudget.js';
import type { SourceName } from '../sources.js';
import type { CallKind, SourceGuard } from './sourceGuard.js';
import type { UpstreamCredential } from './upstreamCredential.js';
import type { CallOptions, Method, UpstreamClient, UpstreamResponse } from './upstreamClient.js';
import { decodeRecord, errorBodyObject, isSuccess, statusError, type ErrorBodyInfo } from './upstreamResponse.js';

/**
 * Whether an answer is the upstream's own word that a token does not exist. `body` is a 2xx
 * answer's parsed body, or an error answer's JSON object (`{}` when it has none).
 */
export type NotFoundAnswer = (response: UpstreamResponse, body: unknown) => boolean;

/** What one upstream API does its own way; everything else is shared. */
export interface UpstreamApi {
  /** The `Accept` header of every call. */
  accept: string;
  /** Where the credential goes: a header, or a query parameter. */
  authorize(credential: string): { headers?: Record<string, string>; query?: Record<string, string> };
  /**
   * The documented fields of an error body. Every text passes through `scrub`, which cuts every
   * credential of the request (in any encoding) and every URL's query string.
   */
  errorInfo(body: Record<string, unknown>, scrub: (text: unknown) => string | undefined): ErrorBodyInfo;
  /**
   * Whether an unsuccessful answer says tokengraph's credential was not accepted, whatever its
   * status (Crafter's 403 `ACCESS_DENIED`, NetBird's 404 `invalid token: …`): `UPSTREAM_UNAUTHORIZED`,
   * and never "not found".
   */
  refusesCredential?(status: number, body: Record<string, unknown>): boolean;
}

/** One GET of a source. */
export interface SourceRequest<T> {
  /** The resource under the base URL, one segment per element (each encoded as exactly one). */
  segments: readonly string[];
  /** Query parameters (encoded), besides the credential where an upstream sends it so. */
  query?: Record<string, string>;
  /** The segments as logs and spans show them, where some are credentials (a Crafter ticket id): masked. */
  shown?: readonly string[];
  /** Set when the answer may be kept across requests. */
  cache?: CacheUse<T>;
}

/** One revocation call of a source (contract §9): a DELETE or a POST with no body, never cached. */
export interface SourceWrite {
  method: Exclude<Method, 'GET'>;
  segments: readonly string[];
  /** The segments as logs and spans show them (a Crafter ticket's or access token's id masked). */
  shown?: readonly string[];
}

/** How a call's answer may be kept across requests. */
export interface CacheUse<T> {
  /** What the entry is keyed by (default: the call's path segments); never a credential. */
  resource?: readonly string[];
  /** Epoch ms at which the answer stops being true (its token's expiry); undefined: no bound. */
  expiresAt?(value: T): number | undefined;
}

export interface SourceClientParts {
  api: UpstreamApi;
  client: UpstreamClient;
  credential: UpstreamCredential;
  guard: SourceGuard;
  /** The upstream's rate budget and 429 pauses, shared by its sources (rateBudget.ts). */
  budget?: RateBudget;
  /** The source's cross-request cache, when it is on. */
  cache?: SourceCache;
}

export class SourceClient {
  constructor(
    readonly source: SourceName,
    private readonly parts: SourceClientParts,
  ) {}

  get guard(): SourceGuard {
    return this.parts.guard;
  }

  /**
   * GETs the request's segments and reads the answer with `read`, which returns what the call
   * yields or throws its error. With `request.cache`, an answer is looked up and stored across
   * requests (never `null`, never an error). Throws `UNAUTHENTICATED` with no call when the
   * caller's forwarded credential is missing.
   */
  get<T>(request: SourceRequest<T>, read: (response: UpstreamResponse) => T, options: CallOptions): Promise<T> {
    const { cache } = request;
    const credential = this.parts.credential.for(this.source, options);
    const load = () => this.call('GET', request, credential, read, options, 'read');
    if (!cache || !this.parts.cache || options.bypassCache) return load();
    return cached(this.parts.cache, cache.resource ?? request.segments, load, { credential, telemetry: options.telemetry, expiresAt: cache.expiresAt });
  }

  /**
   * Sends one revocation call and reads its answer with `read`. Never cached; a DELETE is
   * retried only when the upstream says it did not act (429, 503), a POST never (sourceGuard.ts).
   */
  send<T>(request: SourceWrite, read: (response: UpstreamResponse) => T, options: CallOptions): Promise<T> {
    const credential = this.parts.credential.for(this.source, options);
    return this.call(request.method, request, credential, read, options, request.method === 'DELETE' ? 'idempotent write' : 'write');
  }

  private call<T>(
    method: Method,
    request: { segments: readonly string[]; query?: Record<string, string>; shown?: readonly string[] },
    credential: string,
    read: (response: UpstreamResponse) => T,
    options: CallOptions,
    kind: CallKind,
  ): Promise<T> {
    const { segments, shown } = request;
    const { headers, query: credentialQuery } = this.parts.api.authorize(credential);
    const query = request.query ? { ...request.query, ...credentialQuery } : credentialQuery;
    const { budget } = this.parts;
    const deadline = options.deadline ?? Number.POSITIVE_INFINITY;
    return this.parts.guard.execute(
      options,
      async (signal) => {
        // Every attempt, a retry too, is one call the upstream's rate budget counts.
        await budget?.take(credential, this.source, deadline, signal);
        options.telemetry?.countCall(this.source);
        try {
          return read(await this.parts.client.request(method, this.source, segments, { headers, query, signal, shown }));
        } catch (error) {
          if (error instanceof TokengraphError && error.status === 429) budget?.throttled(credential, error.retryAfterMs);
          throw error;
        }
      },
      kind,
    );
  }

  /**
   * GETs a documented JSON answer: a 2xx body checked against `schema` (and turned into what
   * `map` makes of it, before it is cached); any other status is the contract's error for it.
   */
  getRecord<S extends z.ZodType, T = z.output<S>>(request: SourceRequest<T>, schema: S, options: CallOptions, map?: (value: z.output<S>) => T): Promise<T> {
    const read = (response: UpstreamResponse): T => {
      if (!isSuccess(response.status)) throw this.statusError(response, options);
      const value = decodeRecord(response, this.source, schema);
      return map ? map(value) : (value as T);
    };
    return this.get(request, read, options);
  }

  /**
   * The credential a call of this request would send (static or forwarded), or `undefined` where
   * a forwarded one is missing: what a per-caller snapshot is keyed by (its fingerprint, never it).
   */
  credentialOf(options: CallOptions): string | undefined {
    try {
      return this.parts.credential.for(this.source, options);
    } catch {
      return undefined;
    }
  }

  /** How many calls this source makes at once (its bulkhead's size): a listing never asks for more. */
  get maxConcurrency(): number {
    return this.parts.guard.maxConcurrency;
  }

  /** The contract error for an unsuccessful answer, with what its error body documents, scrubbed. */
  statusError(response: UpstreamResponse, options: CallOptions): TokengraphError {
    const body = errorBodyObject(response);
    const code = this.parts.api.refusesCredential?.(response.status, body) ? 'UPSTREAM_UNAUTHORIZED' : codeForStatus(response.status);
    // Every credential of the request, cut from the upstream's texts.
    return statusError(response, this.source, code, this.parts.api.errorInfo(body, this.parts.credential.scrub(options)));
  }

  /**
   * Whether an unsuccessful answer is the upstream's own word that the resource does not exist, as
   * `notFound` recognises it. Any other answer, a 404 included (a wrong base URL's path, a proxy's
   * page), is an error: a read fails loudly, and a revocation is FAILED, never NOT_FOUND. Never an
   * answer that refuses tokengraph's credential (NetBird answers an unknown credential with 404).
   */
  isNotFound(response: UpstreamResponse, notFound: NotFoundAnswer | undefined): boolean {
    if (!notFound) return false;
    const body = errorBodyObject(response);
    if (this.parts.api.refusesCredential?.(response.status, body)) return false;
    return notFound(response, body);
  }
}
