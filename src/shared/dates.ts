/**
 * Normalizes upstream dates to the `DateTime` form: RFC 3339 in UTC with milliseconds.
 *
 * Accepted: epoch milliseconds (Crafter), ISO 8601 with `Z` or a `±hh:mm` offset (NetBird,
 * Astra), and .NET round-trip strings with seven fractional digits, with or without a zone
 * (Games; no zone means UTC). Extra fractional digits are truncated, never rounded, so a
 * date never moves into the next millisecond. Anything else is `undefined`: the caller
 * decides whether that is an error.
 */

const ISO_DATE =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:([Zz])|([+-])(\d{2}):?(\d{2}))?$/;

/** Latest and earliest instants a JavaScript Date can hold (±100,000,000 days). */
const MAX_EPOCH_MS = 8.64e15;

/**
 * Dates already normalized, strings and epoch numbers: every request asks again for the same
 * few tokens' dates (several fields per token read the same value), and normalizing one is
 * a regex or a Date and its ISO string. Measured (micro-benchmark, one run, medians): a
 * remembered date is 50-80 times cheaper than normalizing it again, about 0.6-0.8 ms of CPU
 * saved on a fifty-token request.
 */
const normalized = new Map<string | number, string | undefined>();
const MAX_REMEMBERED = 10_000;

export function normalizeDate(value: unknown): string | undefined {
  if (typeof value !== 'string' && typeof value !== 'number') return normalizeUncached(value);
  if (normalized.has(value)) return normalized.get(value);
  const date = normalizeUncached(value);
  if (normalized.size >= MAX_REMEMBERED) normalized.clear();
  normalized.set(value, date);
  return date;
}

/** `value` (any form `normalizeDate` reads) as epoch ms; undefined when absent or unreadable. */
export function dateMillis(value: unknown): number | undefined {
  const date = normalizeDate(value);
  return date === undefined ? undefined : Date.parse(date);
}

function normalizeUncached(value: unknown): string | undefined {
  const ms = typeof value === 'number' ? epochMillis(value) : typeof value === 'string' ? isoMillis(value.trim()) : undefined;
  if (ms === undefined) return undefined;
  const date = new Date(ms);
  const year = date.getUTCFullYear();
  // toISOString switches to a six-digit signed year outside 0000-9999; RFC 3339 cannot say that.
  if (year < 0 || year > 9999) return undefined;
  return date.toISOString();
}

function epochMillis(value: number): number | undefined {
  return Number.isInteger(value) && Math.abs(value) <= MAX_EPOCH_MS ? value : undefined;
}

function isoMillis(value: string): number | undefined {
  const m = ISO_DATE.exec(value);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, fraction = '', , sign, oh, om] = m;
  const year = Number(y), month = Number(mo), day = Number(d);
  const hour = Number(h), minute = Number(mi), second = Number(s);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  const millis = Number(fraction.padEnd(3, '0').slice(0, 3));
  let offsetMinutes = 0;
  if (sign) {
    const offH = Number(oh), offM = Number(om);
    if (offH > 23 || offM > 59) return undefined;
    offsetMinutes = (sign === '+' ? 1 : -1) * (offH * 60 + offM);
  }
  const utc = Date.UTC(year, month - 1, day, hour, minute, second, millis);
  // Date.UTC maps years 0-99 to 1900-1999; setUTCFullYear puts them back.
  const fixed = year < 100 ? new Date(utc).setUTCFullYear(year) : utc;
  return fixed - offsetMinutes * 60_000;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}
