/**
 * tokengraph's Prometheus metrics (prom-client), served at `GET /metrics`. One registry
 * per tokengraph instance (never prom-client's global one), so several instances in one
 * process (the tests) do not collide.
 *
 *   tokengraph_graphql_requests_total{operation,outcome}              counter
 *   tokengraph_graphql_request_duration_seconds{operation,outcome}    histogram
 *   tokengraph_upstream_requests_total{source,status}                 counter
 *   tokengraph_upstream_request_duration_seconds{source,status}       histogram
 *   tokengraph_dataloader_batch_size{source}                          histogram
 *   tokengraph_circuit_state{source,state}                            gauge, 1 for the current state
 *   tokengraph_cache_hits_total{source}, tokengraph_cache_misses_total{source}   counters
 *   tokengraph_cache_errors_total{backend}                            counter (the shared cache failed; upstream called instead)
 *   tokengraph_auth_refused_total{reason}                             counter (/graphql, /metrics and export requests with a `missing` or `invalid` API key)
 *   tokengraph_token_events_total{source,kind}                        counter (history events recorded by this replica, contract §12)
 *   tokengraph_history_write_failures_total                           counter (reads and revocations the history did not record: a write failed, a read skipped, the history failed or closed)
 *   tokengraph_upstream_rate_budget{upstream}                         gauge, calls tokengraph's credential may make now (upstreams with <PREFIX>_RATE_LIMIT; 0 while a 429 pauses it)
 *   plus prom-client's default process metrics, prefixed `tokengraph_`.
 *
 * `operation` is the operation's name when it is one of the known operations (those
 * tokengraph ships and those named in TOKENGRAPH_METRICS_OPERATIONS), `anonymous` when it has
 * none, and `other` for every other name: a client chooses its operation's name, and must not
 * be able to add label values or take the slots of real operations. `outcome` is `success`,
 * `partial` (data and errors) or `error`.
 * `status` is the HTTP status, or `timeout`, `unavailable`, `invalid_response` or
 * `cancelled` when no complete answer came.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { SourceName, UpstreamName } from '../sources.js';

/** A source's circuit breaker state, as the `CircuitState` enum of the schema names it. */
export type CircuitName = 'CLOSED' | 'OPEN' | 'HALF_OPEN' | 'ISOLATED';
const CIRCUIT_STATES: CircuitName[] = ['CLOSED', 'OPEN', 'HALF_OPEN', 'ISOLATED'];
const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export type Outcome = 'success' | 'partial' | 'error';

export class Metrics {
  readonly registry = new Registry();
  private readonly operationNames: ReadonlySet<string>;

  private readonly graphqlRequests = new Counter({
    name: 'tokengraph_graphql_requests_total',
    help: 'GraphQL requests, by operation name and outcome',
    labelNames: ['operation', 'outcome'] as const,
    registers: [this.registry],
  });
  private readonly graphqlDuration = new Histogram({
    name: 'tokengraph_graphql_request_duration_seconds',
    help: 'Time from a GraphQL request arriving to its response finishing, in seconds',
    labelNames: ['operation', 'outcome'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });
  private readonly upstreamRequests = new Counter({
    name: 'tokengraph_upstream_requests_total',
    help: 'Upstream HTTP calls (each attempt), by source and status',
    labelNames: ['source', 'status'] as const,
    registers: [this.registry],
  });
  private readonly upstreamDuration = new Histogram({
    name: 'tokengraph_upstream_request_duration_seconds',
    help: 'Duration of one upstream call, headers and body, in seconds',
    labelNames: ['source', 'status'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });
  private readonly batchSize = new Histogram({
    name: 'tokengraph_dataloader_batch_size',
    help: 'Keys per DataLoader batch (per Crafter access-token list call: lookups it served), by source',
    labelNames: ['source'] as const,
    buckets: [1, 2, 5, 10, 20, 50, 100],
    registers: [this.registry],
  });
  private readonly cacheHits = new Counter({
    name: 'tokengraph_cache_hits_total',
    help: 'Cross-request cache hits, by source',
    labelNames: ['source'] as const,
    registers: [this.registry],
  });
  private readonly cacheMisses = new Counter({
    name: 'tokengraph_cache_misses_total',
    help: 'Cross-request cache misses, by source',
    labelNames: ['source'] as const,
    registers: [this.registry],
  });
  private readonly authRefused = new Counter({
    name: 'tokengraph_auth_refused_total',
    help: 'Requests to /graphql, /metrics and the inventory exports refused for their API key: missing or invalid',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });
  private readonly revocations = new Counter({
    name: 'tokengraph_revocations_total',
    help: 'Tokens revokeTokens acted on (duplicates once), and refs of attempts refused to a key that may not revoke (outcome FORBIDDEN), by source and outcome',
    labelNames: ['source', 'outcome'] as const,
    registers: [this.registry],
  });
  private readonly tokenEvents = new Counter({
    name: 'tokengraph_token_events_total',
    help: 'History events this replica recorded (each event once across replicas), by source and kind',
    labelNames: ['source', 'kind'] as const,
    registers: [this.registry],
  });
  private readonly historyWriteFailures = new Counter({
    name: 'tokengraph_history_write_failures_total',
    help: 'Reads and revocations the history did not record: a write the database failed, a read skipped while 8 waited, or any after the history failed (its lock lost) or while it closed',
    registers: [this.registry],
  });
  private readonly cacheErrors = new Counter({
    name: 'tokengraph_cache_errors_total',
    help: 'Cross-request cache operations that failed (the upstream was called instead), by backend',
    labelNames: ['backend'] as const,
    registers: [this.registry],
  });

  /**
   * @param circuits read on each scrape.
   * @param operations the operation names labelled as themselves; any other is `other`.
   */
  constructor(circuits: () => Array<[SourceName, CircuitName]>, operations: Iterable<string> = [], budgets: () => Array<[UpstreamName, number]> = () => []) {
    this.operationNames = new Set(operations);
    new Gauge({
      name: 'tokengraph_upstream_rate_budget',
      help: "Calls tokengraph's credential may make to the upstream now without waiting, by its rate budget (<PREFIX>_RATE_LIMIT); 0 while a 429 pauses it",
      labelNames: ['upstream'] as const,
      registers: [this.registry],
      collect() {
        this.reset();
        for (const [upstream, left] of budgets()) this.set({ upstream }, left);
      },
    });
    new Gauge({
      name: 'tokengraph_circuit_state',
      help: 'Circuit breaker state per source: 1 for the current state, 0 for the others',
      labelNames: ['source', 'state'] as const,
      registers: [this.registry],
      collect() {
        for (const [source, current] of circuits()) {
          for (const state of CIRCUIT_STATES) this.set({ source, state }, state === current ? 1 : 0);
        }
      },
    });
    collectDefaultMetrics({ register: this.registry, prefix: 'tokengraph_' });
    // prom-client names these gauges `_total`, which Prometheus keeps for counters
    // (`promtool check metrics` refuses them); they count handles, which the process metrics cover.
    for (const name of ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total']) {
      this.registry.removeSingleMetric(`tokengraph_${name}`);
    }
  }

  graphqlRequest(operationName: string | null, outcome: Outcome, seconds: number): void {
    const operation = this.operationLabel(operationName);
    this.graphqlRequests.inc({ operation, outcome });
    this.graphqlDuration.observe({ operation, outcome }, seconds);
  }

  /** One token's revocation ended so (REVOKED, WOULD_REVOKE, NOT_FOUND, REFUSED, UNSUPPORTED, FAILED), or a ref of a refused attempt (FORBIDDEN). */
  revocation(source: SourceName, outcome: string): void {
    this.revocations.inc({ source, outcome });
  }

  /** One history event recorded (APPEARED, DISAPPEARED, CHANGED, EXPIRED, REVOKED). */
  tokenEvent(source: SourceName, kind: string): void {
    this.tokenEvents.inc({ source, kind });
  }

  /** One read or revocation the history did not record (or one pruning that failed). */
  historyWriteFailure(): void {
    this.historyWriteFailures.inc();
  }

  upstreamCall(source: SourceName, status: string, seconds: number): void {
    this.upstreamRequests.inc({ source, status });
    this.upstreamDuration.observe({ source, status }, seconds);
  }

  batch(source: SourceName, size: number): void {
    this.batchSize.observe({ source }, size);
  }

  cacheHit(source: SourceName): void {
    this.cacheHits.inc({ source });
  }

  cacheMiss(source: SourceName): void {
    this.cacheMisses.inc({ source });
  }

  cacheError(backend: string): void {
    this.cacheErrors.inc({ backend });
  }

  authRefusal(reason: 'missing' | 'invalid'): void {
    this.authRefused.inc({ reason });
  }

  private operationLabel(name: string | null): string {
    if (name === null || name === '') return 'anonymous';
    return this.operationNames.has(name) ? name : 'other';
  }
}
