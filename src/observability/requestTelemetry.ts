/**
 * What one GraphQL request did, gathered while it runs and reported once when it ends (the
 * request log line and the request metrics): its id, its operation, the upstream calls it
 * made and the cache hits it had, per source, and the error codes it answered with. One is
 * made per request by observability/requestObserver.ts (started in http/createTokengraph.ts) and reaches the datasources in `CallOptions`.
 */
import { randomUUID } from 'node:crypto';
import { FIXED_LIMITS } from '../security/limits.js';
import type { SourceName } from '../sources.js';

/** Counts per source; only sources that were used appear. */
export type PerSource = Partial<Record<SourceName, number>>;

export interface BatchObserver {
  (source: SourceName, size: number): void;
}

export class RequestTelemetry {
  readonly startedAt = performance.now();
  readonly upstreamCalls: PerSource = {};
  readonly cacheHits: PerSource = {};
  operationName: string | null = null;
  /** `extensions.code` of each error in the response, in order. */
  errorCodes: string[] = [];
  /** The response carried data (so errors with it make a partial answer). */
  hasData = false;

  constructor(
    readonly requestId: string,
    readonly method: string,
    private readonly onBatch?: BatchObserver,
  ) {}

  /** One attempt against an upstream (retries count again). */
  countCall(source: SourceName): void {
    this.upstreamCalls[source] = (this.upstreamCalls[source] ?? 0) + 1;
  }

  countCacheHit(source: SourceName): void {
    this.cacheHits[source] = (this.cacheHits[source] ?? 0) + 1;
  }

  /** A DataLoader batch of `size` keys was dispatched for `source`. */
  batch(source: SourceName, size: number): void {
    this.onBatch?.(source, size);
  }

  get durationMs(): number {
    return performance.now() - this.startedAt;
  }
}

/** Printable ASCII without spaces, and not too long: safe to log and echo. */
const SANE_REQUEST_ID = new RegExp(`^[\\x21-\\x7e]{1,${FIXED_LIMITS.requestIdLength}}$`);

/** The caller's `x-request-id` when it is sane, else a new UUID. */
export function requestIdFrom(header: string | string[] | undefined): string {
  const value = Array.isArray(header) ? header[0] : header;
  return value !== undefined && SANE_REQUEST_ID.test(value) ? value : randomUUID();
}
