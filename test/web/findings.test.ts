/**
 * The findings as the overview page shows them (web/findings.ts): every finding of the schema, in
 * its order, with a readable name; the counts as the page lists them; a click toggling one.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { TokenFinding } from '../../src/generated/client/graphql.js';
import { TOKEN_FINDINGS } from '../../src/inventory/findings.js';
import { countsByFinding, FINDING_LABELS, FINDINGS, toggleFinding } from '../../web/findings.js';

describe('the findings on the overview page', () => {
  it("are tokengraph's, in the enum's order, each with a readable name and its rule", () => {
    expect(FINDINGS).toEqual(TOKEN_FINDINGS);
    expect(FINDINGS.map((finding) => FINDING_LABELS[finding].label)).toEqual(['Never expires', 'Expired', 'Expires soon', 'Long-lived', 'Unused', 'Never used', 'Master token', 'Owner inactive']);
    expect(new Set(FINDINGS.map((finding) => FINDING_LABELS[finding].label)).size).toBe(FINDINGS.length);
    expect(FINDINGS.every((finding) => FINDING_LABELS[finding].rule.endsWith('.'))).toBe(true);
  });

  it('lists a count for every finding, in order, null where the answer gave none', () => {
    expect(countsByFinding([{ finding: 'MASTER', count: 3 }, { finding: 'NEVER_EXPIRES', count: 0 }])).toEqual(
      FINDINGS.map((finding) => ({ finding, count: finding === 'MASTER' ? 3 : finding === 'NEVER_EXPIRES' ? 0 : null })),
    );
    const none = ['NEVER_EXPIRES', 'EXPIRED', 'EXPIRES_SOON', 'LONG_LIVED', 'UNUSED', 'NEVER_USED', 'MASTER', 'OWNER_INACTIVE'].map((finding) => ({ finding, count: null }));
    expect(countsByFinding(null)).toEqual(none);
    expect(countsByFinding(undefined)).toEqual(none);
    expect(countsByFinding([])).toEqual(none);
  });

  it('toggles a finding on a click: added in order, removed when chosen, the others kept', () => {
    expect(toggleFinding([], 'MASTER')).toEqual(['MASTER']);
    expect(toggleFinding(['MASTER'], 'NEVER_EXPIRES')).toEqual(['NEVER_EXPIRES', 'MASTER']);
    expect(toggleFinding(['NEVER_EXPIRES', 'MASTER'], 'NEVER_EXPIRES')).toEqual(['MASTER']);
    fc.assert(
      fc.property(fc.subarray(FINDINGS as TokenFinding[]), fc.constantFrom(...FINDINGS), (chosen, finding) => {
        const once = toggleFinding(chosen, finding);
        expect(once.includes(finding)).toBe(!chosen.includes(finding));
        expect(once).toEqual(FINDINGS.filter((f) => once.includes(f)));
        expect(toggleFinding(once, finding)).toEqual(chosen);
      }),
    );
  });
});
