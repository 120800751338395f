/**
 * The findings as the overview page shows them (web/findings.ts): every finding of the schema, in
 * its order, with a readable name; the counts as the page lists them; a click toggling one.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { TokenFinding } from '../../src/generated/client/graphql.js';
import { TOKEN_FINDINGS } from '../../src/inventory/findings.js';
import { countShown, countsByFinding, FINDING_LABELS, FINDINGS, toggleFinding, unreadSources } from '../../web/findings.js';

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

  it('shows a count as at least that many where a source it counts could not be read, naming the sources: never a plain 0 over a gap', () => {
    const gaps = [{ source: 'NETBIRD' as const }, { source: 'ASTRA' as const }, { source: 'NETBIRD' as const }];
    // Every source counted (no source filter): each source with a gap, once, in `TokenSource`'s order.
    expect(unreadSources(gaps, [])).toEqual(['ASTRA', 'NETBIRD']);
    // Filtered by source: only the gaps of the sources counted.
    expect(unreadSources(gaps, ['NETBIRD', 'GAME'])).toEqual(['NETBIRD']);
    expect(unreadSources(gaps, ['GAME'])).toEqual([]);
    expect(unreadSources([], [])).toEqual([]);
    expect(countShown(12, [])).toEqual({ text: '12', incomplete: null });
    expect(countShown(0, [])).toEqual({ text: '0', incomplete: null });
    expect(countShown(0, ['ASTRA', 'NETBIRD'])).toEqual({ text: '≥ 0', incomplete: 'Incomplete: Astra Control, NetBird could not be read in full, so there may be more.' });
    expect(countShown(7, ['NETBIRD'])).toEqual({ text: '≥ 7', incomplete: 'Incomplete: NetBird could not be read in full, so there may be more.' });
    // No count in the answer: nothing to qualify.
    expect(countShown(null, ['NETBIRD'])).toEqual({ text: '–', incomplete: null });
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
