/**
 * Counts the work a synchronous call does to match part ids: every `Set#has` and `Map#has` (a
 * lookup) and every `String#startsWith` (a prefix test). A proof of complexity by counting, not by
 * the clock: a match of every part against every other is n² of them, an index n × depth.
 */
import { vi } from 'vitest';

export function lookupsDuring<T>(call: () => T): { result: T; lookups: number } {
  const spies = [vi.spyOn(Set.prototype, 'has'), vi.spyOn(Map.prototype, 'has'), vi.spyOn(String.prototype, 'startsWith')];
  // Setting the spies up looks things up too: counted from here.
  const calls = () => spies.reduce((sum, spy) => sum + spy.mock.calls.length, 0);
  try {
    const before = calls();
    const result = call();
    return { result, lookups: calls() - before };
  } finally {
    for (const spy of spies) spy.mockRestore();
  }
}
