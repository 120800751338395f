/**
 * An AbortSignal that fires at a deadline, when a parent signal fires, or when told to:
 * one AbortController and one timer. `AbortSignal.timeout` + `AbortSignal.any` do the
 * same, but on Node 20 they cost about twice as much (weak references and finalization
 * registries); tokengraph makes one per request. (Upstream calls use the cheaper
 * datasources/callAbort.ts.)
 * `clear()` once the work is done: it stops the timer and unhooks the parent.
 */
export interface DeadlineSignal {
  readonly signal: AbortSignal;
  /** True once the deadline itself fired (its reason is a `TimeoutError` DOMException). */
  readonly expired: boolean;
  abort(reason: unknown): void;
  clear(): void;
}

export function deadlineSignal(ms: number, parent?: AbortSignal): DeadlineSignal {
  const controller = new AbortController();
  let expired = false;
  const timer = setTimeout(() => {
    expired = true;
    controller.abort(new DOMException(`the deadline of ${ms} ms passed`, 'TimeoutError'));
  }, ms);
  const onParentAbort = () => controller.abort(parent!.reason);
  if (parent?.aborted) onParentAbort();
  else parent?.addEventListener('abort', onParentAbort, { once: true });
  return {
    signal: controller.signal,
    get expired() {
      return expired;
    },
    abort: (reason) => controller.abort(reason),
    clear() {
      clearTimeout(timer);
      parent?.removeEventListener('abort', onParentAbort);
    },
  };
}
