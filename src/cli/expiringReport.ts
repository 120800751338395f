/**
 * The parts of `npm run expiring` that decide (src/cli/expiring.ts does the talking): its
 * arguments, durations such as `90m`, `36h`, `14d`, the inventory query that finds the tokens
 * expiring in a window, soonest first, and the table and JSON it prints.
 */
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

export const EXPIRING_QUERY = `query Expiring($filter: TokenFilter!, $after: String) {
  inventory(filter: $filter, orderBy: EXPIRES_AT_ASC, first: 500, after: $after) {
    collectedAt
    gaps { source code count scopes message }
    pageInfo { hasNextPage endCursor }
    nodes { source tokenId name owner expiresAt }
  }
}`;

export interface ExpiringToken {
  source: string;
  tokenId: string;
  name: string | null;
  owner: string | null;
  expiresAt: string;
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
  from: string;
  until: string;
  collectedAt: string | null;
  tokens: ExpiringToken[];
  gaps: Gap[];
}

/** The filter of the window: tokens not yet expired that expire before its end. */
export function windowFilter(now: Date, withinMs: number) {
  return { expiresAfter: now.toISOString(), expiresBefore: new Date(now.getTime() + withinMs).toISOString() };
}

/** `2d 4h`, `5h 3m`, `12m`: how long until `at`, to the minute. */
export function timeLeft(at: string, now: Date): string {
  const minutes = Math.max(0, Math.floor((Date.parse(at) - now.getTime()) / 60_000));
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  if (days > 0) return `${days}d ${hours}h`;
  return hours > 0 ? `${hours}h ${minutes % 60}m` : `${minutes % 60}m`;
}

export function formatTable(report: ExpiringReport, now: Date): string {
  if (report.tokens.length === 0) return `No token expires within ${report.within}.\n`;
  const header = ['EXPIRES (UTC)', 'IN', 'SOURCE', 'NAME', 'OWNER', 'TOKEN ID'];
  const rows = report.tokens.map((token) => [token.expiresAt.slice(0, 16).replace('T', ' '), timeLeft(token.expiresAt, now), token.source, token.name ?? '—', token.owner ?? '—', token.tokenId]);
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) => cells.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd();
  const count = `${report.tokens.length} token${report.tokens.length === 1 ? '' : 's'} expire${report.tokens.length === 1 ? 's' : ''} within ${report.within}.`;
  return `${[line(header), ...rows.map(line)].join('\n')}\n${count}\n`;
}

/** One line per gap, for stderr: what the report could not see. */
export function gapLines(gaps: readonly Gap[]): string[] {
  return gaps.map((gap) => `not read: ${gap.source}, ${gap.count} part${gap.count === 1 ? '' : 's'} (${gap.code}): ${gap.scopes.join(', ')}${gap.count > gap.scopes.length ? ', …' : ''}`);
}
