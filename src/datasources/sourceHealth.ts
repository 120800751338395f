/**
 * What one source's recent calls looked like: a sliding window of outcomes, fed by the
 * source's circuit breaker (so it is the same view the breaker acts on), read by the
 * `sources` query and `/readyz`.
 */
import type { ErrorCode } from '../shared/errors.js';

/** How far back "recent" reaches. */
const HEALTH_WINDOW_MS = 60_000;
/** Most outcomes kept: a busy source's window is the last this many calls. */
const MAX_SAMPLES = 1024;

interface Sample {
  at: number;
  ok: boolean;
  /** Undefined for calls refused without reaching the upstream (open circuit, full bulkhead). */
  durationMs?: number;
}

export interface HealthSnapshot {
  /** Outcomes in the window. */
  calls: number;
  /** Share of those that failed, 0 to 1; `null` with no calls. */
  errorRate: number | null;
  /** Median and 99th percentile latency of calls that reached the upstream, ms; `null` with none. */
  latencyP50Ms: number | null;
  latencyP99Ms: number | null;
  lastErrorCode: ErrorCode | null;
  /** When the last error happened, epoch ms. */
  lastErrorAt: number | null;
}

export class SourceHealth {
  private readonly samples: Sample[] = [];
  private next = 0;
  private lastErrorCode: ErrorCode | null = null;
  private lastErrorAt: number | null = null;

  recordSuccess(durationMs: number): void {
    this.push({ at: Date.now(), ok: true, durationMs });
  }

  recordFailure(code: ErrorCode, durationMs?: number): void {
    const at = Date.now();
    this.push(durationMs === undefined ? { at, ok: false } : { at, ok: false, durationMs });
    this.lastErrorCode = code;
    this.lastErrorAt = at;
  }

  snapshot(now = Date.now()): HealthSnapshot {
    const recent = this.samples.filter((s) => now - s.at <= HEALTH_WINDOW_MS);
    const latencies = recent.flatMap((s) => (s.durationMs === undefined ? [] : [s.durationMs])).sort((a, b) => a - b);
    return {
      calls: recent.length,
      errorRate: recent.length === 0 ? null : recent.filter((s) => !s.ok).length / recent.length,
      latencyP50Ms: percentile(latencies, 0.5),
      latencyP99Ms: percentile(latencies, 0.99),
      lastErrorCode: this.lastErrorCode,
      lastErrorAt: this.lastErrorAt,
    };
  }

  private push(sample: Sample): void {
    if (this.samples.length < MAX_SAMPLES) this.samples.push(sample);
    else this.samples[this.next] = sample;
    this.next = (this.next + 1) % MAX_SAMPLES;
  }
}

/** Nearest-rank percentile of sorted values. */
function percentile(sorted: number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]!;
}
