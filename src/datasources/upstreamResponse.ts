/**
 * Turning an upstream answer into a typed record or a contract error, shared by every
 * datasource. A datasource supplies only what is its own: the record schema, how to parse
 * its body (JSON, or JSON or XML for Games), and what its error bodies say.
 */
import type { z } from 'zod';
import { upstreamError, type ErrorCode, type TokengraphError, type UpstreamInfo } from '../shared/errors.js';
import type { SourceName } from '../sources.js';
import type { UpstreamResponse } from './upstreamClient.js';

/** What a datasource reads from an error body; the source and status are added here. */
export type ErrorBodyInfo = Pick<UpstreamInfo, 'correlationId' | 'errorCode' | 'detail'>;

export class UnparsableBody extends Error {}

export function parseJson(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    throw new UnparsableBody('the body is not valid JSON');
  }
}

/**
 * Parses a successful answer and checks it against the documented shape. The content
 * type is not consulted: a body that parses as the documented shape is accepted whatever
 * its label says (contract §2), and one that does not is refused whatever it says.
 */
export function decodeRecord<S extends z.ZodType>(
  response: UpstreamResponse,
  source: SourceName,
  schema: S,
  parse: (body: string) => unknown = parseJson,
): z.output<S> {
  return validateRecord(parseBody(response, source, parse), source, response.status, schema);
}

export function parseBody(response: UpstreamResponse, source: SourceName, parse: (body: string) => unknown = parseJson): unknown {
  try {
    return parse(response.body);
  } catch (error) {
    const why = error instanceof UnparsableBody ? error.message : 'the body cannot be parsed';
    throw invalidResponse(source, response.status, `${source} sent a response tokengraph cannot read: ${why}`);
  }
}

export function validateRecord<S extends z.ZodType>(value: unknown, source: SourceName, status: number, schema: S): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) {
    // Name the fields, never their values: a value may be a secret.
    const fields = [...new Set(result.error.issues.map((issue) => issue.path.join('.') || '(body)'))].slice(0, 5).join(', ');
    throw invalidResponse(source, status, `${source} sent a response that does not fit the documented shape (at ${fields})`);
  }
  return result.data;
}

export function invalidResponse(source: SourceName, status: number | undefined, message: string): TokengraphError {
  return upstreamError('UPSTREAM_INVALID_RESPONSE', status === undefined ? { source } : { source, status }, message);
}

/** The contract error `code` (by default the status's) for an unsuccessful answer, with what the error body says. */
export function statusError(response: UpstreamResponse, source: SourceName, code: ErrorCode, info: ErrorBodyInfo): TokengraphError {
  const error = upstreamError(code, { source, status: response.status, ...info });
  if (response.retryAfterMs !== undefined) error.retryAfterMs = response.retryAfterMs;
  return error;
}

/** Parses an error body as JSON if it is JSON; error bodies are optional and often HTML. */
export function errorBodyObject(response: UpstreamResponse): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(response.body);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

export function isSuccess(status: number): boolean {
  return status >= 200 && status < 300;
}
