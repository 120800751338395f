/**
 * Paging an inventory snapshot, as properties over arbitrary tokens (fast-check): for every
 * ordering and page size, walking the pages yields every matching token exactly once, in the
 * ordering's total order (its field, nulls last, then source, tokenId, id); a walk that goes on
 * in a changed snapshot never repeats a token and skips none that stayed.
 */
import fc from 'fast-check';
import { DEFAULTS } from '../../../src/config/readConfig.js';
import { describe, expect, it } from 'vitest';
import type { GameTokenModel, TokenModel } from '../../../src/datasources/models.js';
import { InventoryView, pageQuery, type TokenOrder } from '../../../src/inventory/inventoryPage.js';

const ORDERS: TokenOrder[] = ['EXPIRES_AT_ASC', 'EXPIRES_AT_DESC', 'CREATED_AT_DESC', 'LAST_USED_AT_ASC', 'NAME_ASC'];
const DAY = 86_400_000;
const BASE = Date.parse('2026-06-01T00:00:00.000Z');

/** Game tokens with few distinct values, so ties and nulls are common. */
const token = fc.record({
  id: fc.stringMatching(/^[a-c]{1,2}$/),
  name: fc.option(fc.constantFrom('alpha', 'Beta', 'beta', 'gamma'), { nil: null }),
  expires: fc.option(fc.integer({ min: -3, max: 3 }), { nil: null }),
  issued: fc.option(fc.integer({ min: -3, max: 0 }), { nil: null }),
});

function model(t: { id: string; name: string | null; expires: number | null; issued: number | null }, i: number): GameTokenModel {
  const date = (days: number | null) => (days === null ? null : new Date(BASE + days * DAY).toISOString());
  // The index keeps ids distinct; the short id keeps shown tokenIds colliding.
  return {
    source: 'GAME',
    key: { source: 'GAME', tokenId: `${t.id}-${i}` },
    record: { TokenSourceId: t.id, GameName: t.name, ExpirationDate: date(t.expires), IssueDate: date(t.issued), ParticipantSourceId: null, GameSourceId: null, GameIconUrl: null, Reason: null, GamePlayKey: null },
  };
}

function walk(view: InventoryView | (() => InventoryView), orderBy: TokenOrder, first: number): TokenModel[] {
  const seen: TokenModel[] = [];
  let after: string | undefined;
  for (let i = 0; i < 1000; i++) {
    const current = typeof view === 'function' ? view() : view;
    const page = current.page(pageQuery({ orderBy, first, after }), DEFAULTS.findings, BASE);
    seen.push(...page.nodes);
    if (!page.pageInfo.hasNextPage) return seen;
    after = page.pageInfo.endCursor!;
  }
  throw new Error('the walk did not end');
}

const keyOf = (m: TokenModel) => (m as GameTokenModel).key.tokenId;

describe('inventory pages', () => {
  it('walk every token once, in one total order, whatever the page size', () => {
    fc.assert(
      fc.property(fc.array(token, { maxLength: 40 }), fc.constantFrom(...ORDERS), fc.integer({ min: 1, max: 9 }), (tokens, orderBy, first) => {
        const models = tokens.map(model);
        const view = new InventoryView({ collectedAt: BASE, tokens: models, parts: [], gaps: [] });
        const walked = walk(view, orderBy, first);
        expect(walked.map(keyOf)).toEqual(walk(view, orderBy, 500).map(keyOf));
        expect(walked.map(keyOf).sort()).toEqual(models.map(keyOf).sort());
      }),
    );
  });

  it('go on across a changed snapshot without repeating a token, or skipping one that stayed', () => {
    fc.assert(
      fc.property(fc.array(token, { minLength: 1, maxLength: 40 }), fc.array(fc.boolean(), { maxLength: 40 }), fc.constantFrom(...ORDERS), fc.integer({ min: 1, max: 7 }), (tokens, kept, orderBy, first) => {
        const before = tokens.map(model);
        const after = before.filter((_, i) => kept[i] ?? true);
        const views = [new InventoryView({ collectedAt: BASE, tokens: before, parts: [], gaps: [] }), new InventoryView({ collectedAt: BASE, tokens: after, parts: [], gaps: [] })];
        let pages = 0;
        // The first page from the old snapshot, the rest from the new one.
        const walked = walk(() => views[Math.min(pages++, 1)]!, orderBy, first).map(keyOf);
        expect(new Set(walked).size).toBe(walked.length);
        for (const stayed of after.map(keyOf)) expect(walked).toContain(stayed);
      }),
    );
  });

  it('puts tokens with no value last in either direction', () => {
    const models = [model({ id: 'a', name: null, expires: null, issued: null }, 0), model({ id: 'b', name: 'x', expires: 1, issued: -1 }, 1), model({ id: 'c', name: 'y', expires: 2, issued: -2 }, 2)];
    const view = new InventoryView({ collectedAt: BASE, tokens: models, parts: [], gaps: [] });
    expect(walk(view, 'EXPIRES_AT_ASC', 10).map(keyOf)).toEqual(['b-1', 'c-2', 'a-0']);
    expect(walk(view, 'EXPIRES_AT_DESC', 10).map(keyOf)).toEqual(['c-2', 'b-1', 'a-0']);
    expect(walk(view, 'CREATED_AT_DESC', 10).map(keyOf)).toEqual(['b-1', 'c-2', 'a-0']);
    expect(walk(view, 'NAME_ASC', 10).map(keyOf)).toEqual(['b-1', 'c-2', 'a-0']);
  });
});
