/**
 * The parts of one inventory read as they go (datasources/tokenListing.ts): begun, read or failed.
 * A snapshot can be taken at any time: when the read has ended, or when a request's deadline comes
 * first (contract §7, "a read that has not finished by the request's deadline answers ... from
 * what was read by then with every unread part a gap with code `UPSTREAM_TIMEOUT`"). A part still
 * unread is then such a gap; so is a listing whose next stage has not begun (its users read, their
 * tokens not yet asked for), so an unfinished read never looks complete.
 */
import { globalIdOf, type TokenModel } from '../datasources/models.js';
import type { ListPart, PartRecorder } from '../datasources/tokenListing.js';
import type { Logger } from '../observability/createLogger.js';
import { FIXED_LIMITS } from '../security/limits.js';
import { TokengraphError } from '../shared/errors.js';
import { SOURCE_NAMES, type SourceName } from '../sources.js';
import type { InventoryGap, PartResult, Snapshot } from './snapshot.js';

/** The error of a part a read did not get to before its snapshot was taken. */
export const UNREAD = { code: 'UPSTREAM_TIMEOUT', message: "not read before the request's deadline; the inventory is still being read and the next request gets it" } as const;

interface Entry {
  source: SourceName;
  scope: string;
  tokens?: readonly TokenModel[];
  error?: { code: string; message: string };
  done: boolean;
}

export class PartLog {
  private readonly parts = new Map<string, Entry>();
  /** Sources whose listing has not returned yet. */
  private readonly listing = new Set<SourceName>();

  constructor(
    readonly collectedAt: number,
    private readonly logger?: Logger,
  ) {}

  /** The recorder a source's listing (or its watched references) tells. */
  recorder<M extends TokenModel>(source: SourceName): PartRecorder<M> {
    return {
      begin: (part) => this.parts.set(part.id, { source, scope: part.scope, done: false }),
      read: (part, tokens) => this.parts.set(part.id, { source, scope: part.scope, tokens, done: true }),
      failed: (part, error) => this.parts.set(part.id, { source, scope: part.scope, error: this.describe(error), done: true }),
    };
  }

  /** `source`'s listing runs until `listed` settles: until then it is not complete, whatever its parts say. */
  listingOf(source: SourceName, listed: Promise<unknown>): Promise<void> {
    this.listing.add(source);
    return listed.then(
      () => void this.listing.delete(source),
      (error: unknown) => {
        // A lister records its own failures; one that throws is a bug, and its whole source a gap.
        this.recorder(source).failed({ id: source, scope: `${source} listing` }, error);
        this.listing.delete(source);
      },
    );
  }

  /** A part that is a gap from the start (a source told to list nothing, say). */
  gap(source: SourceName, part: ListPart, error: { code: string; message: string }): void {
    this.parts.set(part.id, { source, scope: part.scope, error, done: true });
  }

  /** Everything read so far; every part not read yet is an `UPSTREAM_TIMEOUT` gap. */
  snapshot(): Snapshot {
    const tokens = new Map<string, TokenModel>();
    const parts: PartResult[] = [];
    const unreadSources = new Set<SourceName>();
    for (const [id, entry] of this.parts) {
      if (!entry.done) {
        unreadSources.add(entry.source);
        parts.push({ id, source: entry.source, scope: entry.scope, tokens: [], error: UNREAD });
        continue;
      }
      const ids: string[] = [];
      for (const token of entry.tokens ?? []) {
        const tokenId = globalIdOf(token);
        ids.push(tokenId);
        if (!tokens.has(tokenId)) tokens.set(tokenId, token);
      }
      parts.push({ id, source: entry.source, scope: entry.scope, tokens: ids, ...(entry.error && { error: entry.error }) });
    }
    // A listing between two stages (its users read, their tokens not yet begun) has no unread part
    // to show for it: the whole source is then unread.
    for (const source of this.listing) {
      if (!unreadSources.has(source)) parts.push({ id: source, source, scope: `${source} listing`, tokens: [], error: UNREAD });
    }
    return { collectedAt: this.collectedAt, tokens: [...tokens.values()], parts, gaps: gapsOf(parts) };
  }

  private describe(error: unknown): { code: string; message: string } {
    if (error instanceof TokengraphError) return { code: error.code, message: error.message };
    // A bug, not an upstream's answer: logged in full, shown as little as any unexpected error.
    this.logger?.error({ err: error }, 'inventory: unexpected error reading a part');
    return { code: 'INTERNAL_SERVER_ERROR', message: 'Internal server error' };
  }
}

/** Failed parts grouped by source (in the enum's order) and code, each group with up to ten scopes. */
export function gapsOf(parts: readonly PartResult[]): InventoryGap[] {
  const groups = new Map<string, InventoryGap>();
  for (const { source, scope, error } of parts) {
    if (!error) continue;
    const id = `${source}\u0000${error.code}`;
    const gap = groups.get(id) ?? { source, code: error.code, count: 0, scopes: [], message: error.message };
    gap.count += 1;
    if (gap.scopes.length < FIXED_LIMITS.gapScopes) gap.scopes.push(scope);
    groups.set(id, gap);
  }
  return ordered(groups.values());
}

/**
 * `gaps` with `more` grouped in: still one gap per source and code, a gap of the same source and
 * code as one of `gaps` merged into it (counts summed, its scopes added up to ten, its message
 * appended when it says something else), so that no (source, code) is said twice.
 */
export function withGaps(gaps: readonly InventoryGap[], more: readonly InventoryGap[]): InventoryGap[] {
  const groups = new Map<string, InventoryGap>(gaps.map((gap) => [`${gap.source}\u0000${gap.code}`, gap]));
  for (const extra of more) {
    const id = `${extra.source}\u0000${extra.code}`;
    const gap = groups.get(id);
    if (!gap) {
      groups.set(id, { ...extra, scopes: extra.scopes.slice(0, FIXED_LIMITS.gapScopes) });
      continue;
    }
    const scopes = [...gap.scopes, ...extra.scopes.filter((scope) => !gap.scopes.includes(scope))].slice(0, FIXED_LIMITS.gapScopes);
    const message = gap.message === extra.message ? gap.message : `${gap.message}; ${extra.message}`;
    groups.set(id, { ...gap, count: gap.count + extra.count, scopes, message });
  }
  return ordered(groups.values());
}

/** Gaps by source (in the enum's order), then code. */
function ordered(gaps: Iterable<InventoryGap>): InventoryGap[] {
  const rank = (source: SourceName) => SOURCE_NAMES.indexOf(source);
  return [...gaps].sort((a, b) => rank(a.source) - rank(b.source) || a.code.localeCompare(b.code));
}
