/**
 * The operation limits cost time linear in the document, whatever it spreads: a fragment
 * spread twice at each of n levels is 2^n spreads of the last fragment, but each validation
 * rule must look each fragment up a bounded number of times. Counted in visits (lookups of a
 * fragment's definition), never in time.
 */
import { parse, specifiedRules, validate, ValidationContext } from 'graphql';
import { describe, expect, it } from 'vitest';
import { DEFAULTS } from '../../../src/config/readConfig.js';
import { maxRootFieldsRule, operationLimits } from '../../../src/security/operationLimits.js';
import { createSchema } from '../../../src/graph/createSchema.js';

const schema = createSchema();

/** `query X { ...F0 }`, each Fi spreading Fi+1 twice (once through an inline fragment), down to Fn. */
function fragmentBomb(levels: number): string {
  const fragments = Array.from({ length: levels }, (_, i) => `fragment F${i} on Query { ...F${i + 1} ... on Query { ...F${i + 1} } }`);
  return `query X { ...F0 } ${fragments.join(' ')} fragment F${levels} on Query { __typename }`;
}

/** Far more lookups than any linear rule makes here: past it, validation is stopped rather than left to run for minutes. */
const LOOKUP_BUDGET = 100_000;

/** Validates `document` with `rules`, counting every fragment lookup any rule makes. */
function visits(document: string, rules: Parameters<typeof validate>[2]): { lookups: number; messages: string[] } {
  const getFragment = ValidationContext.prototype.getFragment;
  let lookups = 0;
  ValidationContext.prototype.getFragment = function (this: ValidationContext, name: string) {
    if (++lookups > LOOKUP_BUDGET) throw new Error(`more than ${LOOKUP_BUDGET} fragment lookups: not linear in the document`);
    return getFragment.call(this, name);
  };
  try {
    const errors = validate(schema, parse(document), rules);
    return { lookups, messages: errors.map((e) => e.message) };
  } finally {
    ValidationContext.prototype.getFragment = getFragment;
  }
}

describe('a fragment spread twice per level, 24 levels deep (2^24 spreads of the last one)', () => {
  const limits = operationLimits(DEFAULTS.limits);

  it.each([
    ['root fields', [maxRootFieldsRule(DEFAULTS.limits.maxRootFields)]],
    ['every limit (armor\'s depth, aliases, directives, cost; root fields)', limits.validationRules],
    ['every rule Apollo Server runs (graphql-js\'s own and the limits)', [...specifiedRules, ...limits.validationRules]],
  ])('%s: fragment lookups grow linearly with the levels', (_, rules) => {
    const small = visits(fragmentBomb(12), rules).lookups;
    const large = visits(fragmentBomb(24), rules).lookups;
    // Linear: twice the levels, about twice the lookups (2^12 times as many if each spread were walked anew).
    expect(large).toBeLessThanOrEqual(2 * small + 8);
    expect(large).toBeGreaterThan(small);
  });

  it('is refused for its root fields, which it is over however they are counted', () => {
    expect(visits(fragmentBomb(24), [maxRootFieldsRule(30)]).messages).toEqual(['the number of root fields is over the limit of 30 (TOKENGRAPH_MAX_ROOT_FIELDS)']);
  });
});

describe('root fields through fragments', () => {
  it.each([
    ['{ a: __typename b: __typename }', 2],
    ['{ ...A ...A } fragment A on Query { a: __typename b: __typename }', 4],
    ['{ ...A ... on Query { c: __typename } } fragment A on Query { ...B } fragment B on Query { a: __typename b: __typename }', 3],
  ])('%s counts %i', (document, count) => {
    expect(visits(document, [maxRootFieldsRule(count)]).messages).toEqual([]);
    expect(visits(document, [maxRootFieldsRule(count - 1)]).messages).toEqual([`the number of root fields is over the limit of ${count - 1} (TOKENGRAPH_MAX_ROOT_FIELDS)`]);
  });
});
