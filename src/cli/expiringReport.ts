/**
 * The parts of `npm run expiring` that decide (src/cli/expiring.ts does the talking): its
 * arguments, durations such as `90m`, `36h`, `14d`, the window's filter, the report (the tokens
 * already expired, marked, then those expiring within the window, soonest first), the table and
 * JSON it prints and its exit code. Tokens that never expire are not listed: nothing expires.
 */
import type { TokenOverviewQuery } from '../generated/client/graphql.js';
import { FIXED_LIMITS } from '../security/limits.js';

export interface ExpiringArgs {
  /** The window, ms from now. */
  withinMs: number;
  /** As written, for the report. */
  within: string;
  json: boolean;
  fail: boolean;
}

export class UsageError extends Error {}

export const USAGE = 'usage: npm run expiring -- [--within <duration: 90m, 36h, 14d>] [--json] [--fail]';

const UNITS: Record<string, number> = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 };
/** Longest window: ten years is "every expiry", and keeps the date arithmetic in range. */
const MAX_WINDOW_MS = 3650 * 86_400_000;

/** `90m`, `36h`, `14d`, `2w` in ms; throws `UsageError` for anything else. */
export function parseDuration(text: string): number {
  const match = /^(\d{1,6})([mhdw])$/.exec(text.trim());
  const ms = match ? Number(match[1]) * UNITS[match[2]!]! : NaN;
  if (!match || ms <= 0 || ms > MAX_WINDOW_MS) throw new UsageError(`--within must be a duration such as 90m, 36h or 14d (more than 0, at most 3650d), got "${text}"`);
  return ms;
}

export function parseArgs(argv: readonly string[]): ExpiringArgs {
  const args: ExpiringArgs = { withinMs: 14 * UNITS.d!, within: '14d', json: false, fail: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--json') args.json = true;
    else if (arg === '--fail') args.fail = true;
    else if (arg === '--within' || arg.startsWith('--within=')) {
      const value = arg === '--within' ? argv[++i] : arg.slice('--within='.length);
      if (value === undefined) throw new UsageError('--within needs a duration such as 14d');
      args.withinMs = parseDuration(value);
      args.within = value.trim();
    } else throw new UsageError(`unknown argument "${arg}"; ${USAGE}`);
  }
  return args;
}

export interface ExpiringToken {
  source: string;
  tokenId: string;
  name: string | null;
  owner: string | null;
  expiresAt: string;
  /** Expired by the time of the report (`from`). */
  expired: boolean;
}

export interface Gap {
  source: string;
  code: string;
  count: number;
  scopes: string[];
  message: string;
}

export interface ExpiringReport {
  within: string;
  /** The time of the report: tokens whose expiry is not after it are expired. */
  from: string;
  /** The end of the window. */
  until: string;
  collectedAt: string | null;
  /** The expired first (their expiry is earlier), then the rest, soonest first. */
  tokens: ExpiringToken[];
  /** What could not be read: the report cannot vouch for those parts. */
  gaps: Gap[];
}

/** The window: from now until `withinMs` later. */
export function windowOf(now: Date, withinMs: number): { from: string; until: string } {
  return { from: now.toISOString(), until: new Date(now.getTime() + withinMs).toISOString() };
}

/** The inventory filter of a window: every token that expires before its end, those expired already included. */
export function windowFilter(window: { until: string }) {
  return { expiresBefore: window.until };
}

type InventoryPage = NonNullable<TokenOverviewQuery['inventory']>;

/**
 * The gaps of every page, one per source and code: a walk goes on across a newer snapshot
 * (the cursor outlives it), so a part can fail on page 3 only. The largest count of a gap's pages,
 * their scopes together up to the server's cap.
 */
function gapsOfPages(pages: readonly InventoryPage[]): Gap[] {
  const merged = new Map<string, Gap>();
  for (const gap of pages.flatMap((page) => page.gaps)) {
    const key = `${gap.source}\u0000${gap.code}`;
    const seen = merged.get(key);
    if (!seen) merged.set(key, { ...gap, scopes: gap.scopes.slice(0, FIXED_LIMITS.gapScopes) });
    else merged.set(key, { ...seen, count: Math.max(seen.count, gap.count), scopes: [...new Set([...seen.scopes, ...gap.scopes])].slice(0, FIXED_LIMITS.gapScopes) });
  }
  return [...merged.values()];
}

/**
 * The report from the inventory's pages (asked for with `windowFilter`, soonest expiry first): the
 * gaps of all of them, and the earliest collection time, since the report is no newer than that.
 */
export function reportOf(pages: readonly InventoryPage[], window: { from: string; until: string }, within: string): ExpiringReport {
  const now = Date.parse(window.from);
  const tokens = pages.flatMap((page) =>
    page.nodes.flatMap(({ source, tokenId, name, owner, expiresAt }) => (expiresAt === null ? [] : [{ source, tokenId, name, owner, expiresAt, expired: Date.parse(expiresAt) <= now }])),
  );
  const collectedAt = pages.reduce<string | null>((earliest, page) => (earliest === null || Date.parse(page.collectedAt) < Date.parse(earliest) ? page.collectedAt : earliest), null);
  return { within, ...window, collectedAt, tokens, gaps: gapsOfPages(pages) };
}

/** Exit 0; with --fail, 2 when the inventory has gaps (it cannot vouch for what it could not read), else 1 when any token is listed. */
export function exitCode(report: ExpiringReport, fail: boolean): number {
  if (!fail) return 0;
  if (report.gaps.length > 0) return 2;
  return report.tokens.length > 0 ? 1 : 0;
}

/** `2d 4h`, `5h 3m`, `12m`: a span of time, to the minute. */
function span(ms: number): string {
  const minutes = Math.max(0, Math.floor(ms / 60_000));
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  if (days > 0) return `${days}d ${hours}h`;
  return hours > 0 ? `${hours}h ${minutes % 60}m` : `${minutes % 60}m`;
}

/** How long until `at`, to the minute; `0m` once it has passed. */
export function timeLeft(at: string, now: Date): string {
  return span(Date.parse(at) - now.getTime());
}

/** How long ago `at` was, to the minute. */
export function timeSince(at: string, now: Date): string {
  return span(now.getTime() - Date.parse(at));
}

const tokens = (count: number) => `${count} token${count === 1 ? '' : 's'}`;

/** The last line: how many have expired, how many expire within the window. */
export function countLine(report: ExpiringReport): string {
  const expired = report.tokens.filter((token) => token.expired).length;
  const expiring = report.tokens.length - expired;
  if (report.tokens.length === 0) return `No token has expired or expires within ${report.within}.`;
  const soon = `${tokens(expiring)} expire${expiring === 1 ? 's' : ''} within ${report.within}.`;
  if (expired === 0) return soon;
  return `${tokens(expired)} ha${expired === 1 ? 's' : 've'} expired; ${expiring === 0 ? `none expires within ${report.within}.` : soon}`;
}

export function formatTable(report: ExpiringReport, now: Date): string {
  if (report.tokens.length === 0) return `${countLine(report)}\n`;
  const header = ['EXPIRES (UTC)', 'IN', 'SOURCE', 'NAME', 'OWNER', 'TOKEN ID'];
  const rows = report.tokens.map((token) => [
    token.expiresAt.slice(0, 16).replace('T', ' '),
    token.expired ? `expired ${timeSince(token.expiresAt, now)} ago` : timeLeft(token.expiresAt, now),
    token.source,
    token.name ?? '—',
    token.owner ?? '—',
    token.tokenId,
  ]);
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) => cells.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd();
  return `${[line(header), ...rows.map(line)].join('\n')}\n${countLine(report)}\n`;
}

/** For stderr: one line per gap, and what that means for the report. None when nothing is missing. */
export function gapLines(gaps: readonly Gap[]): string[] {
  if (gaps.length === 0) return [];
  return [
    ...gaps.map((gap) => `not read: ${gap.source}, ${gap.count} part${gap.count === 1 ? '' : 's'} (${gap.code}): ${gap.scopes.join(', ')}${gap.count > gap.scopes.length ? ', …' : ''}`),
    'The tokens of the parts not read are not listed: this report cannot vouch for them.',
  ];
}
