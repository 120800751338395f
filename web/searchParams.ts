/**
 * What the page's URL parameters share: lists of known values read in their order, and one
 * repeated parameter written anew. Plain functions with no DOM (web/filters.ts, web/tokenHistory.ts,
 * web/watchList.ts).
 */

/** The values of `all` that `values` names, in `all`'s order, no repeats: unknown ones skipped. */
export function inOrder<T extends string>(all: readonly T[], values: Iterable<string>): T[] {
  const wanted = new Set(values);
  return all.filter((value) => wanted.has(value));
}

/** `search` with parameter `name` replaced by one `name=value` per value, written after the other parameters; `''` for none left. */
export function searchWithParam(search: string, name: string, values: readonly string[]): string {
  const params = new URLSearchParams(search);
  params.delete(name);
  for (const value of values) params.append(name, value);
  const written = params.toString();
  return written === '' ? '' : `?${written}`;
}
