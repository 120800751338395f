/**
 * A per-request DataLoader over an upstream that has no batch endpoint: its batching
 * contract is "one call per distinct key", made concurrently. The DataLoader's cache is
 * the in-flight de-duplication for one GraphQL request; it is created per request, with
 * the caller's credential, and never shared across requests or callers.
 */
import DataLoader from 'dataloader';

export function distinctCallLoader<K, V>(
  fetchOne: (key: K) => Promise<V>,
  cacheKey: (key: K) => string,
  /** Told the size of each batch (the batch-size metric). */
  onBatch?: (size: number) => void,
): DataLoader<K, V, string> {
  return new DataLoader<K, V, string>(
    (keys) => {
      onBatch?.(keys.length);
      // Each key fails alone: an Error at its position rejects only that key's load().
      return Promise.all(keys.map((key) => fetchOne(key).catch((error: unknown) => toError(error))));
    },
    { cacheKeyFn: cacheKey },
  );
}

function toError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
