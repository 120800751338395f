/**
 * The resilience policies of one source, built from cockatiel, in this order around each
 * logical upstream call:
 *
 *   bulkhead → retry → circuit breaker → one attempt (undici, with its per-call deadline)
 *
 * - Bulkhead: at most `maxConcurrency` calls at once and `maxQueue` waiting; overflow is
 *   refused at once with UPSTREAM_UNAVAILABLE. A call keeps its slot through its retries.
 * - Retry of a read (GET): only on connection errors, 429 with `Retry-After`, 502, 503 and 504 (a 429
 *   without one pauses the upstream for that credential: datasources/rateBudget.ts); exponential
 *   backoff with full jitter, and never sooner than the upstream's `Retry-After`; never when the
 *   wait would pass the request's deadline. Never on 400, 401, 403, 404 or an unreadable body.
 * - Retry of a revocation: a DELETE (idempotent) only on 429 (with `Retry-After`) and 503, answers that say the
 *   upstream did not act on it; never after a timeout, a reset connection, a 502 or a 504,
 *   after which it may have. A POST (Crafter's delete and invalidate) is never retried.
 * - Circuit breaker: after `breakerThreshold` consecutive failed attempts (5xx, timeouts,
 *   connection errors, unreadable bodies; not 4xx answers, 429 included) it opens, and every call fails at
 *   once with UPSTREAM_UNAVAILABLE and no upstream call; after `breakerHalfOpenMs` one probe
 *   is let through, and its success closes the circuit again.
 *
 * Every attempt's outcome also feeds the source's `SourceHealth`. A call tokengraph did not send
 * (`NotSent`: the rate budget) is neither a failure of the upstream nor worth another try.
 */
import {
  BrokenCircuitError,
  BulkheadRejectedError,
  CircuitState,
  ConsecutiveBreaker,
  ExponentialBackoff,
  TaskCancelledError,
  bulkhead,
  circuitBreaker,
  fullJitterGenerator,
  handleWhen,
  retry,
  wrap,
  type CircuitBreakerPolicy,
  type IBackoff,
  type IBackoffFactory,
  type IPolicy,
  type IRetryBackoffContext,
} from 'cockatiel';
import { abandonedCall, CallCancelled, NotSent, TokengraphError, unsent, upstreamError, type ErrorCode } from '../shared/errors.js';
import type { SourceName } from '../sources.js';
import { SourceHealth } from './sourceHealth.js';
import type { ResilienceSettings } from '../config/readConfig.js';
import type { CircuitName } from '../observability/metrics.js';
import type { CallOptions } from './upstreamClient.js';

/** Statuses worth another try: the upstream or something before it is briefly overloaded. */
const RETRYABLE_STATUSES = new Set([429, 502, 503, 504]);
/** Failures that say the upstream is unhealthy, as opposed to answers it gave. */
const BREAKER_CODES = new Set<ErrorCode>(['UPSTREAM_ERROR', 'UPSTREAM_TIMEOUT', 'UPSTREAM_UNAVAILABLE', 'UPSTREAM_INVALID_RESPONSE']);

const CIRCUIT_NAMES: Record<CircuitState, CircuitName> = {
  [CircuitState.Closed]: 'CLOSED',
  [CircuitState.Open]: 'OPEN',
  [CircuitState.HalfOpen]: 'HALF_OPEN',
  [CircuitState.Isolated]: 'ISOLATED',
};

/** How a call may be retried: a read; a write that is idempotent (DELETE); one that is not (POST). */
export type CallKind = 'read' | 'idempotent write' | 'write';

export class SourceGuard {
  readonly health = new SourceHealth();
  private readonly breaker: CircuitBreakerPolicy;
  private readonly policies: Record<CallKind, IPolicy>;

  /** Calls let through at once (the bulkhead's size). */
  readonly maxConcurrency: number;

  constructor(
    readonly source: SourceName,
    settings: ResilienceSettings,
  ) {
    this.maxConcurrency = settings.maxConcurrency;
    this.breaker = circuitBreaker(handleWhen(isUpstreamFailure), {
      halfOpenAfter: settings.breakerHalfOpenMs,
      breaker: new ConsecutiveBreaker(settings.breakerThreshold),
    });
    this.breaker.onSuccess(({ duration }) => this.health.recordSuccess(duration));
    this.breaker.onFailure(({ duration, reason }) => {
      const error = 'error' in reason ? reason.error : undefined;
      // Neither says anything of the upstream: the client left, or tokengraph did not send the call.
      if (error instanceof CallCancelled || error instanceof NotSent) return;
      if (error instanceof TokengraphError) this.health.recordFailure(error.code, duration);
    });
    const retryWhen = (retryable: (error: Error) => boolean) =>
      retry(handleWhen((error) => retryable(error) && !tooLateToRetry.has(error)), { maxAttempts: settings.retries, backoff: new RetryAfterBackoff(settings) });
    // One bulkhead for every kind of call: a revocation waits for a slot like a read.
    const slots = bulkhead(settings.maxConcurrency, settings.maxQueue);
    this.policies = {
      read: wrap(slots, retryWhen(isRetryable), this.breaker),
      'idempotent write': wrap(slots, retryWhen(wasNotActedOn), this.breaker),
      write: wrap(slots, this.breaker),
    };
  }

  get circuit(): CircuitName {
    return CIRCUIT_NAMES[this.breaker.state];
  }

  /** Runs `attempt` (once, or again on a failure its kind may retry) under this source's policies. */
  async execute<T>(options: CallOptions, attempt: (signal: AbortSignal) => Promise<T>, kind: CallKind = 'read'): Promise<T> {
    const { deadline = Number.POSITIVE_INFINITY } = options;
    try {
      return await this.policies[kind].execute(({ signal }) => {
        return attempt(signal).catch((error: unknown) => {
          // The policies are built once per source, so the request's deadline is checked
          // here: a failure whose retry could not start before it is not retried.
          if (error instanceof TokengraphError && Date.now() + (error.retryAfterMs ?? 0) >= deadline) tooLateToRetry.add(error);
          throw error;
        });
      }, options.signal);
    } catch (error) {
      throw this.explain(error, options.signal);
    }
  }

  /** Turns the policies' own refusals into contract errors; none of these calls was sent (`unsent`). */
  private explain(error: unknown, signal: AbortSignal | undefined): unknown {
    const upstream = { source: this.source };
    if (error instanceof BrokenCircuitError) {
      this.health.recordFailure('UPSTREAM_UNAVAILABLE');
      return unsent(upstreamError('UPSTREAM_UNAVAILABLE', upstream, `${this.source} is failing: its circuit is open, so tokengraph is not calling it for now`));
    }
    if (error instanceof BulkheadRejectedError) {
      this.health.recordFailure('UPSTREAM_UNAVAILABLE');
      return unsent(upstreamError('UPSTREAM_UNAVAILABLE', upstream, `${this.source} is shedding load: too many calls in flight`));
    }
    // Cancelled while waiting for a slot or a retry: by the deadline, or by the client leaving.
    if (error instanceof TaskCancelledError) return unsent(abandonedCall(upstream, signal?.reason));
    return error;
  }
}

/** Failures of attempts made too close to their request's deadline to be tried again. */
const tooLateToRetry = new WeakSet<Error>();

function isUpstreamFailure(error: Error): boolean {
  if (!(error instanceof TokengraphError) || error instanceof CallCancelled || error instanceof NotSent) return false;
  // A 429 says one credential is over its limit, not that the upstream is failing: the rate budget
  // pauses that credential, and an open circuit would shut the source for every other one too.
  return error.status !== 429 && BREAKER_CODES.has(error.code);
}

/** A write the upstream answered without acting on: too busy (429) or unavailable (503). */
function wasNotActedOn(error: Error): boolean {
  if (!(error instanceof TokengraphError) || error instanceof CallCancelled || error instanceof NotSent) return false;
  return (error.status === 429 && error.retryAfterMs !== undefined) || error.status === 503;
}

function isRetryable(error: Error): boolean {
  if (!(error instanceof TokengraphError) || error instanceof CallCancelled || error instanceof NotSent) return false;
  // A 429 without Retry-After pauses the upstream for a refill interval (rateBudget.ts): a retry now would not be sent.
  if (error.status === 429) return error.retryAfterMs !== undefined;
  if (error.status !== undefined) return RETRYABLE_STATUSES.has(error.status);
  // No status: the connection failed before any answer (refused, reset, DNS).
  return error.code === 'UPSTREAM_UNAVAILABLE';
}

/** Exponential backoff with full jitter, stretched to the upstream's `Retry-After` when it sent one. */
class RetryAfterBackoff implements IBackoffFactory<IRetryBackoffContext<unknown>> {
  private readonly jitter: ExponentialBackoff<number>;

  constructor(settings: ResilienceSettings) {
    this.jitter = new ExponentialBackoff({
      generator: fullJitterGenerator,
      initialDelay: settings.retryBaseDelayMs,
      maxDelay: settings.retryMaxDelayMs,
    });
  }

  next(context: IRetryBackoffContext<unknown>): IBackoff<IRetryBackoffContext<unknown>> {
    return stretch(this.jitter.next(), context);
  }
}

function stretch(inner: IBackoff<unknown>, context: IRetryBackoffContext<unknown>): IBackoff<IRetryBackoffContext<unknown>> {
  const error = 'error' in context.result ? context.result.error : undefined;
  const retryAfter = error instanceof TokengraphError ? (error.retryAfterMs ?? 0) : 0;
  return {
    duration: Math.max(inner.duration, retryAfter),
    next: (nextContext) => stretch(inner.next(nextContext), nextContext),
  };
}
