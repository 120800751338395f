/**
 * A set of inventory part ids (nested by `/`: datasources/tokenListing.ts `partId`), asked whether
 * it holds a part or one around it. A failed part covers the parts inside it (what they held is
 * unknown), so the inventory's carry-forward and the history's diff ask this of every part of a
 * read against the read's failed parts. Each question looks up the part and its `/`-prefixes: as
 * many lookups as the part is deep, however many ids the set holds (scanning every failed id per
 * part made a read of 10,000 failed watched references quadratic: seconds of blocked event loop).
 */
export class PartIds {
  private readonly ids: Set<string>;

  constructor(ids: Iterable<string> = []) {
    this.ids = new Set(ids);
  }

  get size(): number {
    return this.ids.size;
  }

  add(id: string): void {
    this.ids.add(id);
  }

  /** Whether `part` is one of these parts or inside one: `a/b` covers `a/b` and `a/b/c`, not `a/bc`. */
  covers(part: string): boolean {
    return this.ids.has(part) || this.within(part);
  }

  /** Whether `part` is inside one of these parts (itself not counted). */
  within(part: string): boolean {
    for (let end = part.lastIndexOf('/'); end >= 0; end = end === 0 ? -1 : part.lastIndexOf('/', end - 1)) {
      if (this.ids.has(part.slice(0, end))) return true;
    }
    return false;
  }
}
