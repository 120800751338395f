/**
 * The normalized `Token` fields every concrete type shares: dates and status. An
 * unreadable date nulls its own field with one `UPSTREAM_INVALID_RESPONSE` error, and
 * leaves the rest of the token answered.
 */
import { dateMillis, normalizeDate } from '../shared/dates.js';
import type { SourceName } from '../sources.js';
import { invalidResponse } from '../datasources/upstreamResponse.js';
import type { TokenStatus } from '../generated/resolvers-types.js';

/** `DateTime` for `value`, `null` when the upstream sent none; throws when unreadable. */
export function dateField(value: unknown, source: SourceName, upstreamField: string): string | null {
  if (value === null || value === undefined) return null;
  const date = normalizeDate(value);
  if (date === undefined) throw invalidResponse(source, undefined, `${source} sent a ${upstreamField} that is not a readable date`);
  return date;
}

/** ACTIVE if the expiry is in the future, EXPIRED if now or past, UNKNOWN if none or unreadable. */
export function statusFromExpiry(expiry: unknown, now = Date.now()): TokenStatus {
  const at = dateMillis(expiry);
  if (at === undefined) return 'UNKNOWN';
  return at > now ? 'ACTIVE' : 'EXPIRED';
}
