/**
 * The one shape of a source's listing (contract §7): the tokens it could read, and every part it
 * could not (one user's tokens, one account's users, the whole list), so that an inventory is
 * partial rather than failed. A source that can be listed (`listable` in src/sources.ts) exports a
 * `TokenLister` in its datasource file. Its calls run concurrently, but never more at once than
 * the source's bulkhead lets through, so a listing of many users does not overflow its queue.
 */
import pLimit from 'p-limit';
import type { CallOptions } from './upstreamClient.js';
import type { SourceClient } from './sourceClient.js';

/** A part of a listing that could not be read: what it was (`user u-17`, `account acme`) and why. */
export interface ListFailure {
  scope: string;
  error: unknown;
}

export interface Listing<M> {
  tokens: M[];
  failures: ListFailure[];
}

/** What tokengraph is told to list (config: NETBIRD_INVENTORY, ASTRA_ACCOUNT_IDS). */
export interface ListSettings {
  /** `service`: the current user and the service users; `all`: every user. */
  netbirdUsers: 'service' | 'all';
  /** The Astra accounts whose users' tokens are listed; none: Astra is not listed. */
  astraAccountIds: readonly string[];
}

export type TokenLister<M> = (client: SourceClient, settings: ListSettings, options: CallOptions) => Promise<Listing<M>>;

/**
 * `read(item)` for every item, at most the source's concurrency at once: what the reads found,
 * together. An item whose read fails adds its failure (scoped by `scope(item)`) to `failures`
 * instead. Every stage of a listing (users, then their tokens) is one call of this.
 */
export async function readEach<T, R>(
  client: SourceClient,
  items: readonly T[],
  scope: (item: T) => string,
  read: (item: T) => Promise<readonly R[]>,
  failures: ListFailure[],
): Promise<R[]> {
  const limit = pLimit(client.maxConcurrency);
  const reads = await Promise.allSettled(items.map((item) => limit(() => read(item))));
  // In the items' order, whatever order the answers came in: a gap names the same parts every time.
  const found: R[] = [];
  reads.forEach((result, i) => {
    if (result.status === 'fulfilled') found.push(...result.value);
    else failures.push({ scope: scope(items[i]!), error: result.reason });
  });
  return found;
}
