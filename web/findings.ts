/**
 * The findings (contract §11) as the overview page shows them: a badge per finding in each row,
 * and one count per finding above the table that filters by it when clicked. Each finding's
 * readable name, and the rule behind it for the badge's and the count's title. The thresholds
 * are tokengraph's settings; the page does not know their values, so it names them.
 *
 * What a count counts: the tokens the other filters keep (source, status, "expiring within",
 * search), whichever findings are selected. Selecting findings filters the table to the tokens
 * with any of them, and never changes a count: a count is always how many tokens its finding
 * would add, so "Expired 23" still says 23 while "Never expires" alone is selected, and clicking
 * it shows those 23 beside the others. (tokengraph's `findingCounts` counts over the filter it is
 * given; the page gives it the filter without the findings: web/filters.ts `withoutFindings`.)
 *
 * A part of the inventory that could not be read is a gap (contract: a visible gap, never "nothing
 * expires"): where a source the counts count has one, each count is shown as at least that many
 * (`≥ 0`), its title naming the sources not read in full.
 *
 * Plain data and functions with no DOM.
 */
import type { TokenFinding, TokenSource } from '../src/generated/client/graphql.js';
import { SOURCE_NAMES } from '../src/sources.js';
import { SOURCE_LABELS } from './watchList.js';

export interface FindingLabel {
  /** The readable name, on badges and counts. */
  label: string;
  /** When a token has it, for the title (tooltip). */
  rule: string;
}

/** Every finding, readable, in `TokenFinding`'s order (schema/findings.graphql). */
export const FINDING_LABELS: Readonly<Record<TokenFinding, FindingLabel>> = {
  NEVER_EXPIRES: { label: 'Never expires', rule: 'The upstream says it has no expiry: it stays valid until revoked.' },
  EXPIRED: { label: 'Expired', rule: 'It has expired.' },
  EXPIRES_SOON: { label: 'Expires soon', rule: 'It expires within TOKENGRAPH_EXPIRES_SOON_DAYS (default 14 days).' },
  LONG_LIVED: { label: 'Long-lived', rule: 'From creation to expiry it lives longer than TOKENGRAPH_MAX_LIFETIME_DAYS (default 365 days).' },
  UNUSED: { label: 'Unused', rule: 'Not used for TOKENGRAPH_UNUSED_DAYS (default 90 days). Only NetBird reports last use.' },
  NEVER_USED: { label: 'Never used', rule: 'Never used, and created more than 7 days ago. Only NetBird reports last use.' },
  MASTER: { label: 'Master token', rule: 'A Crafter master access token: full access to every tenant.' },
  OWNER_INACTIVE: { label: 'Owner inactive', rule: 'Its owner is blocked or not active upstream (NetBird).' },
};

/** Every finding in `TokenFinding`'s order. */
export const FINDINGS = Object.keys(FINDING_LABELS) as readonly TokenFinding[];

/** A finding's count, as tokengraph answers `findingCounts`. */
export interface FindingCount {
  finding: TokenFinding;
  count: number;
}

/** Each finding's count (every finding, in order), `null` where the answer gave none. */
export function countsByFinding(counts: readonly FindingCount[] | null | undefined): Array<{ finding: TokenFinding; count: number | null }> {
  const given = new Map((counts ?? []).map((entry) => [entry.finding, entry.count]));
  return FINDINGS.map((finding) => ({ finding, count: given.get(finding) ?? null }));
}

/** `findings` with `finding` added, or removed when it is there: a click on its count. */
export function toggleFinding(findings: readonly TokenFinding[], finding: TokenFinding): TokenFinding[] {
  return findings.includes(finding) ? findings.filter((f) => f !== finding) : FINDINGS.filter((f) => f === finding || findings.includes(f));
}

/** The sources, in `TokenSource`'s order, with a gap among those the counts count (`sources`; none: every source). */
export function unreadSources(gaps: readonly { source: TokenSource }[], sources: readonly TokenSource[]): TokenSource[] {
  const unread = new Set(gaps.map((gap) => gap.source).filter((source) => sources.length === 0 || sources.includes(source)));
  return (SOURCE_NAMES as readonly TokenSource[]).filter((source) => unread.has(source));
}

/** A count as its button shows it: `12`; `≥ 12` where sources it counts were not read in full, with why; `–` when the answer has none. */
export function countShown(count: number | null, unread: readonly TokenSource[]): { text: string; incomplete: string | null } {
  if (count === null) return { text: '–', incomplete: null };
  if (unread.length === 0) return { text: String(count), incomplete: null };
  return { text: `≥ ${count}`, incomplete: `Incomplete: ${unread.map((source) => SOURCE_LABELS[source]).join(', ')} could not be read in full, so there may be more.` };
}
