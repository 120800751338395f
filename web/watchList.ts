/**
 * The overview page's watch list: token references kept in the page's URL, one `watch`
 * parameter each, so a view can be bookmarked and shared. A reference is written as its
 * source followed by the identifiers that source needs, each percent-encoded and joined
 * by `/`:
 *
 *   ?watch=NETBIRD/alice/nb-demo-1&watch=ASTRA/acme/ops-admin/astra-demo-1&watch=GAME/game-demo-1
 *
 * Listable sources are in the inventory anyway; the watch list is how a page adds the tokens
 * tokengraph cannot list (Crafter tickets, game tokens) or does not list (a NetBird user's token
 * outside `NETBIRD_INVENTORY`), beside those the server watches (TOKENGRAPH_WATCH).
 *
 * Only references whose ids are not credentials go into the URL (browser history, bookmarks,
 * shared links): a Crafter ticket id is a session and an access-token id is the token itself.
 * A watched ticket is kept by the page only while it is open; a URL that names one is not read.
 *
 * Plain functions with no DOM, shared by the page and `npm run example`.
 */
import type { TokenRef, TokenSource } from '../src/generated/client/graphql.js';
import { bySource, parseRefText, refText, type RefPart } from '../src/sources.js';
import { searchWithParam } from './searchParams.js';

/** The identifiers each source needs, in the order they are written (src/sources.ts). */
export const REF_PARTS: Readonly<Record<TokenSource, readonly RefPart[]>> = bySource((row) => row.refParts);

/** How the page names each source (src/sources.ts). */
export const SOURCE_LABELS: Readonly<Record<TokenSource, string>> = bySource((row) => row.label);

export const WATCH_PARAM = 'watch';

/** Sources whose references may be written in a URL: their ids are not credentials (src/sources.ts). */
const SHAREABLE: Readonly<Record<TokenSource, boolean>> = bySource((row) => row.id === 'public');

/** Whether `ref` may be kept in the page's URL. */
export function isShareable(ref: TokenRef): boolean {
  return SHAREABLE[ref.source];
}

/** The reference a `watch` value names, or `null` if it names none (unknown source, wrong number of parts, bad escape). */
export function refFromParam(value: string): TokenRef | null {
  const parsed = parseRefText(value);
  return parsed ? { source: parsed.source, tokenId: '', ...parsed.parts } : null;
}

/**
 * The watch list in a URL's query string: `null` when the URL says nothing about it (the
 * page then opens with the server's default list, if it gives one), otherwise the references
 * it names, unreadable entries skipped. An empty `watch=` means "an empty list".
 */
export function watchFromSearch(search: string): TokenRef[] | null {
  const params = new URLSearchParams(search);
  if (!params.has(WATCH_PARAM)) return null;
  return params.getAll(WATCH_PARAM).flatMap((value) => {
    const ref = value === '' ? null : refFromParam(value);
    return ref && isShareable(ref) ? [ref] : [];
  });
}

/**
 * `search` with its watch list replaced by the shareable ones of `refs`; other parameters are
 * kept. An empty list is written as an empty `watch=` only when the page has a default list to
 * tell it from; otherwise it is no parameter at all.
 */
export function searchWithWatch(search: string, refs: readonly TokenRef[], defaults: readonly TokenRef[] = []): string {
  const shared = refs.filter(isShareable);
  return searchWithParam(search, WATCH_PARAM, shared.length === 0 && defaults.length > 0 ? [''] : shared.map(refText));
}

/** How a reference reads to a person: `NetBird alice/nb-demo-1`. */
export function refLabel(ref: TokenRef): string {
  return `${SOURCE_LABELS[ref.source]} ${REF_PARTS[ref.source].map((part) => ref[part] ?? '').join('/')}`;
}

/** Two references to the same upstream token. */
export function sameRef(a: TokenRef, b: TokenRef): boolean {
  return refText(a) === refText(b);
}
