/**
 * An AbortSignal that fires at a deadline, or when told to: one AbortController and one
 * timer. `AbortSignal.timeout` + `AbortSignal.any` do the same, but on Node 20 they cost
 * 3.2-3.7 times as much (weak references and finalization registries): 28-43 µs per request
 * (micro-benchmark, one run, medians). tokengraph makes one per request. (Upstream calls use the cheaper datasources/callAbort.ts.)
 * `clear()` once the work is done: it stops the timer.
 */
export interface DeadlineSignal {
  /** Aborted with a `TimeoutError` DOMException at the deadline. */
  readonly signal: AbortSignal;
  abort(reason: unknown): void;
  clear(): void;
}

export function deadlineSignal(ms: number): DeadlineSignal {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(new DOMException(`the deadline of ${ms} ms passed`, 'TimeoutError')), ms);
  return {
    signal: controller.signal,
    abort: (reason) => controller.abort(reason),
    clear: () => clearTimeout(timer),
  };
}
