/**
 * What the Relay connections' pages share (the inventory's, `tokenEvents`): how `first` is checked,
 * and the cursor's form, base64url of a JSON array (each connection's keyset, its version first).
 * Each connection checks its cursor's values itself.
 */
import { badUserInput } from './errors.js';

/** `first` when it is an integer from 1 to `max`; `BAD_USER_INPUT` otherwise. */
export function pageFirst(first: number, max: number): number {
  if (!Number.isInteger(first) || first < 1 || first > max) throw badUserInput(`first must be between 1 and ${max}, got ${first}`);
  return first;
}

/** The cursor of `values`. */
export function cursorOf(values: readonly unknown[]): string {
  return Buffer.from(JSON.stringify(values), 'utf8').toString('base64url');
}

/** The `length` values of a cursor `cursorOf` wrote, at most `maxLength` characters long; undefined for anything else. */
export function cursorValues(cursor: string, maxLength: number, length: number): unknown[] | undefined {
  if (cursor.length > maxLength || !/^[A-Za-z0-9_-]+$/.test(cursor)) return undefined;
  let values: unknown;
  try {
    values = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  return Array.isArray(values) && values.length === length ? values : undefined;
}
