/**
 * The errors tokengraph shows to clients. Only `TokengraphError`s (and graphql-js's own
 * validation errors) reach a client as they are; anything else is masked by `formatError`
 * in graph/createApolloServer.ts, so an unexpected exception can never leak a stack, a URL or a credential.
 */
import { GraphQLError } from 'graphql';

import type { SourceName } from '../sources.js';

export type ErrorCode =
  | 'BAD_USER_INPUT'
  | 'UPSTREAM_BAD_REQUEST'
  | 'UPSTREAM_UNAUTHORIZED'
  | 'UPSTREAM_FORBIDDEN'
  | 'UPSTREAM_ERROR'
  | 'UPSTREAM_TIMEOUT'
  | 'UPSTREAM_UNAVAILABLE'
  | 'UPSTREAM_INVALID_RESPONSE'
  | 'SOURCE_NOT_CONFIGURED'
  /** Credential forwarding is on for the source and the caller sent no credential. */
  | 'UNAUTHENTICATED'
  /** The caller's API key may not do this: a mutation with a read-only key (contract §9). */
  | 'FORBIDDEN';

/** What a client learns about the upstream behind an error: `extensions.upstream`. */
export interface UpstreamInfo {
  source: SourceName;
  /** The upstream's HTTP status, when it answered with one. */
  status?: number;
  /** Astra's `correlationID`. */
  correlationId?: string;
  /** Crafter's `errorCode`. */
  errorCode?: string;
  /** Astra's `detail` or Crafter's `message`, with any credential removed. */
  detail?: string;
}

export class TokengraphError extends GraphQLError {
  readonly code: ErrorCode;
  /** The upstream's HTTP status, when it answered with one. */
  readonly status: number | undefined;
  /** The upstream's `Retry-After`, in ms, when it sent one. Read by the retry policy; never shown. */
  retryAfterMs?: number;
  constructor(code: ErrorCode, message: string, upstream?: UpstreamInfo) {
    super(message, { extensions: upstream ? { code, upstream: compact(upstream) } : { code } });
    this.code = code;
    this.status = upstream?.status;
  }
}

/** The call was abandoned because its client went away: nobody sees it, and it says nothing of the upstream's health. */
export class CallCancelled extends TokengraphError {}

/**
 * tokengraph did not send the call: the upstream's rate budget had nothing left in time, or the
 * upstream said it was overloaded (429) a moment ago. The upstream never saw it, so it says nothing
 * of the upstream's health and trying again at once would only be refused again.
 */
export class NotSent extends TokengraphError {}

/**
 * Failures of calls that never reached the upstream (an open circuit, a full bulkhead, a cancel
 * while waiting for either, a connection that was never made, the rate budget): it cannot have
 * acted on them. A revocation that fails so left the token as it was; any other failure may have
 * revoked it.
 */
const unsentCalls = new WeakSet<Error>();

/** Marks `error` as the failure of a call that was never sent. */
export function unsent<E extends Error>(error: E): E {
  unsentCalls.add(error);
  return error;
}

export function wasUnsent(error: unknown): boolean {
  return error instanceof NotSent || (error instanceof Error && unsentCalls.has(error));
}

/**
 * The failure of a call its request gave up on: at the request's deadline (a `TimeoutError`
 * reason), else because the client went away. Whether it was sent is for the caller to say.
 */
export function abandonedCall(upstream: UpstreamInfo, reason: unknown): TokengraphError {
  const { source } = upstream;
  return (reason as Error | undefined)?.name === 'TimeoutError'
    ? upstreamError('UPSTREAM_TIMEOUT', upstream, `${source} did not answer before the request's deadline`)
    : new CallCancelled('UPSTREAM_UNAVAILABLE', `${source} call was cancelled: the client went away`, upstream);
}

export function badUserInput(message: string): TokengraphError {
  return new TokengraphError('BAD_USER_INPUT', message);
}

export function upstreamError(code: ErrorCode, upstream: UpstreamInfo, message?: string): TokengraphError {
  return new TokengraphError(code, message ?? defaultMessage(code, upstream), upstream);
}

/** The caller's API key may not do this (a mutation with a read-only key). */
export function forbidden(message: string): TokengraphError {
  return new TokengraphError('FORBIDDEN', message);
}

export function sourceNotConfigured(source: SourceName): TokengraphError {
  return upstreamError('SOURCE_NOT_CONFIGURED', { source });
}

/**
 * The contract's mapping from an upstream HTTP status to an error code. The upstream's own
 * not-found never gets here (it is `null` without an error, decided by each datasource); a 404
 * that is not its own (a wrong base URL's path, a proxy's page) is UPSTREAM_ERROR.
 */
export function codeForStatus(status: number): ErrorCode {
  switch (status) {
    case 400:
      return 'UPSTREAM_BAD_REQUEST';
    case 401:
      return 'UPSTREAM_UNAUTHORIZED';
    case 403:
      return 'UPSTREAM_FORBIDDEN';
    case 429:
    case 503:
      return 'UPSTREAM_UNAVAILABLE';
    case 504:
      return 'UPSTREAM_TIMEOUT';
    default:
      return 'UPSTREAM_ERROR';
  }
}

const MESSAGES: Record<ErrorCode, string> = {
  BAD_USER_INPUT: 'bad input',
  UPSTREAM_BAD_REQUEST: 'refused the request as bad',
  UPSTREAM_UNAUTHORIZED: 'did not accept the credential tokengraph sent',
  UPSTREAM_FORBIDDEN: 'denied access',
  UPSTREAM_ERROR: 'failed',
  UPSTREAM_TIMEOUT: 'did not answer in time',
  UPSTREAM_UNAVAILABLE: 'is unavailable',
  UPSTREAM_INVALID_RESPONSE: 'sent a response tokengraph cannot read',
  SOURCE_NOT_CONFIGURED: 'is not configured',
  UNAUTHENTICATED: 'needs the caller\'s own credential',
  FORBIDDEN: 'may not be changed with this API key',
};

/** Codes whose default message ends with the upstream's status: it is not one status per code (a refused credential is 401, Crafter's 403 or NetBird's 404). */
const SHOWS_STATUS = new Set<ErrorCode>(['UPSTREAM_BAD_REQUEST', 'UPSTREAM_UNAUTHORIZED', 'UPSTREAM_FORBIDDEN', 'UPSTREAM_ERROR']);

function defaultMessage(code: ErrorCode, upstream: UpstreamInfo): string {
  const status = upstream.status !== undefined && SHOWS_STATUS.has(code) ? ` (${upstream.status})` : '';
  return `${upstream.source} ${MESSAGES[code]}${status}`;
}

function compact(info: UpstreamInfo): UpstreamInfo {
  const out: UpstreamInfo = { source: info.source };
  if (info.status !== undefined) out.status = info.status;
  if (info.correlationId) out.correlationId = info.correlationId;
  if (info.errorCode) out.errorCode = info.errorCode;
  if (info.detail) out.detail = info.detail;
  return out;
}
