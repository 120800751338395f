/**
 * The limits on every identifier a client sends (contract §4, "Input"), checked before
 * any upstream call. Path encoding itself lives in datasources/upstreamClient.ts; these
 * rules make sure that what gets encoded is a sensible single segment.
 */
import { badUserInput } from '../shared/errors.js';
import { FIXED_LIMITS } from './limits.js';

/** The longest identifier accepted, in Unicode code points. */
const MAX_IDENTIFIER_CODE_POINTS = FIXED_LIMITS.identifierCodePoints;

// Cc: C0 and C1 control characters, including NUL, CR, LF and DEL.
const CONTROL = /\p{Cc}/u;

/** Throws `BAD_USER_INPUT` naming `field` unless `value` is a usable identifier. */
export function assertIdentifier(field: string, value: string): string {
  if (value.length === 0) throw badUserInput(`${field} must not be empty`);
  if (value === '.' || value === '..') throw badUserInput(`${field} must not be "." or ".."`);
  if (!value.isWellFormed()) throw badUserInput(`${field} must be well-formed Unicode (it has a lone surrogate)`);
  if (CONTROL.test(value)) throw badUserInput(`${field} must not contain control characters`);
  if (codePointLength(value) > MAX_IDENTIFIER_CODE_POINTS) {
    throw badUserInput(`${field} must be at most ${MAX_IDENTIFIER_CODE_POINTS} characters`);
  }
  return value;
}

function codePointLength(value: string): number {
  // Cheap exit: a string of at most N UTF-16 units has at most N code points.
  if (value.length <= MAX_IDENTIFIER_CODE_POINTS) return value.length;
  let n = 0;
  for (const _ of value) n++;
  return n;
}
