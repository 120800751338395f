/**
 * The one shape of a source's listing (contract §7). A listing is read in parts: one list call
 * (or one paged list) each, such as NetBird's users, one user's tokens, one Astra account's users.
 * A lister tells its `PartRecorder` about every part as it goes: that it is about to be read, then
 * that it was read (with the tokens it holds) or that it failed. So an inventory is partial rather
 * than failed, a read cut short by its deadline can say exactly which parts it has not read, and
 * what a failed part held before is known to be unknown now, not gone.
 *
 * Parts are named by ids that nest: `NETBIRD` (the users list), `NETBIRD/alice` (alice's tokens);
 * `ASTRA/acme` (acme's users), `ASTRA/acme/ops-admin`. A part that fails covers every part inside
 * it: when NetBird's users cannot be read, nothing is known of any user's tokens.
 *
 * A source that can be listed (`listable` in src/sources.ts) exports a `TokenLister` in its
 * datasource file. Its calls run concurrently, but never more at once than its `limit` lets through.
 */
import type { CallOptions } from './upstreamClient.js';
import type { SourceClient } from './sourceClient.js';

/** One part of a listing: its id (nested by `/`, each component URI-encoded) and how a gap names it. */
export interface ListPart {
  id: string;
  /** `user u-17`, `account acme`: what an `InventoryGap`'s `scopes` show. */
  scope: string;
}

/** Told of every part a listing reads, as it goes. */
export interface PartRecorder<M> {
  /** `part` is about to be read: until `read` or `failed`, it is unread. */
  begin(part: ListPart): void;
  /** `part` was read whole; `tokens` are the tokens it holds (none for a part that lists users). */
  read(part: ListPart, tokens: readonly M[]): void;
  failed(part: ListPart, error: unknown): void;
}

/** What tokengraph is told to list (config: NETBIRD_INVENTORY, ASTRA_ACCOUNT_IDS). */
export interface ListSettings {
  /** `service`: the current user and the service users; `all`: every user. */
  netbirdUsers: 'service' | 'all';
  /** The Astra accounts whose users' tokens are listed; none: Astra is not listed. */
  astraAccountIds: readonly string[];
}

/** Runs one call of a listing when a slot of the read's share of the source's bulkhead is free. */
export type Limit = <T>(call: () => Promise<T>) => Promise<T>;

export interface ListContext<M> {
  client: SourceClient;
  settings: ListSettings;
  options: CallOptions;
  parts: PartRecorder<M>;
  limit: Limit;
}

export type TokenLister<M> = (context: ListContext<M>) => Promise<void>;

/** The id of the part `parent/…/child`: each component encoded, so no id can run into another. */
export function partId(...components: readonly string[]): string {
  return components.map(encodeURIComponent).join('/');
}

/**
 * Reads every item's part: `read(item)` at most as many at once as `limit` lets through, each
 * recorded as it begins and as it ends. Returns what the reads that succeeded found, in the items'
 * order whatever order the answers came in, so a walk names the same parts every time. With
 * `tokens`, what a read finds are the part's tokens; otherwise they are what the next stage reads
 * (users), and the part holds no token itself.
 */
export async function readEach<T, R, M>(
  context: Pick<ListContext<M>, 'parts' | 'limit'>,
  items: readonly T[],
  part: (item: T) => ListPart,
  read: (item: T) => Promise<readonly R[]>,
  tokens: (found: readonly R[]) => readonly M[] = () => [],
): Promise<R[]> {
  const named = items.map((item) => ({ item, part: part(item) }));
  for (const { part } of named) context.parts.begin(part);
  const reads = await Promise.all(
    named.map(({ item, part }) =>
      context.limit(() => read(item)).then(
        (found) => {
          context.parts.read(part, tokens(found));
          return found;
        },
        (error: unknown) => {
          context.parts.failed(part, error);
          return [] as readonly R[];
        },
      ),
    ),
  );
  return reads.flat();
}
