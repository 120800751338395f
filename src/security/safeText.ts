/**
 * An upstream's error text made fit to show a client (`extensions.upstream.detail`).
 *
 * Upstreams echo what they were sent: Crafter answers "No access token found for ID '…'", and a
 * proxy or framework in front of any of them may quote the request line or an Authorization
 * header. So every credential of the request is cut out in every form it may come back in, not
 * only as sent: percent-encoded (either hex case), form-encoded, form-decoded (as a server reads
 * a credential sent in a query string unencoded: each `+` a space), JSON-escaped, in another
 * letter case, and inside base64 or base64url at any byte alignment (a `Basic` header, a token
 * wrapped in a larger encoded value). Every query string is cut from URLs and paths, absolute or
 * relative, and any bare `?name=value` (Crafter's credential travels as `accessTokenId=`).
 */

import { FIXED_LIMITS } from './limits.js';

const REDACTED = '[redacted]';
const MAX_LENGTH = FIXED_LIMITS.upstreamDetailLength;
const READ_LIMIT = FIXED_LIMITS.upstreamTextRead;

/**
 * Shortest run of base64 characters taken as an echo of a credential: shorter runs would match
 * ordinary words. Credentials of fewer than about 9 bytes have no such run and are matched only
 * in their other forms.
 */
const MIN_BASE64_CORE = 8;
const BASE64_CHAR = /[A-Za-z0-9+/_=-]/;

/** A URL (scheme://…) or an absolute path, with its query string or fragment: the query goes. */
const URL_OR_PATH_QUERY = /((?:\b[a-z][a-z0-9+.-]*:\/\/|\/)[^\s?#"'<>]*)[?#][^\s"'<>]*/gi;
/** What is left of a query string without a path before it: `?name=value`, `&name=value`. */
const BARE_QUERY = /[?&][\w.~%-]+=[^\s"'<>&]*/g;

/** Makes an upstream text fit to show a client: `undefined` for anything but a non-empty string. */
export type Scrub = (value: unknown) => string | undefined;

/**
 * The scrub for `secrets`. Their encoded forms and the pattern of them all are built here, once:
 * build it once for the secrets that do not change (the static credentials), not per text.
 */
export function scrubberFor(secrets: readonly string[]): Scrub {
  const echoes = echoesOf(secrets);
  return (value) => {
    if (typeof value !== 'string' || value.length === 0) return undefined;
    const text = redact(value, echoes).replace(URL_OR_PATH_QUERY, '$1').replace(BARE_QUERY, '');
    return text.length > MAX_LENGTH ? `${text.slice(0, MAX_LENGTH)}…` : text;
  };
}

export function safeText(value: unknown, secrets: readonly string[]): string | undefined {
  return scrubberFor(secrets)(value);
}

interface Echoes {
  /** Every literal form of every secret, case-insensitive, longest first. */
  pattern: RegExp;
  /** The forms that are base64 cores: a match of one goes with the whole base64 run around it. */
  base64: Set<string>;
  longest: number;
}

/**
 * `value` with every echo of a secret replaced. Linear: one pass of a pattern of literals, then
 * base64 matches widened over the characters around them. At most READ_LIMIT characters are read,
 * and the last `longest` of those are dropped, since a secret could be cut at that edge.
 */
function redact(value: string, echoes: Echoes | undefined): string {
  if (!echoes) return value.slice(0, READ_LIMIT);
  const text = value.slice(0, READ_LIMIT);
  const end = value.length > READ_LIMIT ? Math.max(0, READ_LIMIT - echoes.longest) : text.length;
  let out = '';
  let kept = 0;
  for (const match of text.matchAll(echoes.pattern)) {
    let start = match.index;
    let stop = start + match[0].length;
    if (echoes.base64.has(match[0].toLowerCase())) {
      // The whole run of base64 around the core goes, padding included: its edges carry bits of the secret too.
      while (start > 0 && BASE64_CHAR.test(text[start - 1]!)) start--;
      while (stop < text.length && BASE64_CHAR.test(text[stop]!)) stop++;
    }
    if (start >= end) break;
    if (start < kept) start = kept;
    out += text.slice(kept, start) + (start < stop ? REDACTED : '');
    kept = Math.max(kept, stop);
  }
  return out + text.slice(kept, Math.max(kept, end));
}

function echoesOf(secrets: readonly string[]): Echoes | undefined {
  const forms = new Set<string>();
  const base64 = new Set<string>();
  for (const secret of secrets) {
    if (!secret) continue;
    // The secret, and what a form decoder makes of it: a secret without `+` or `%` adds nothing.
    for (const value of new Set([secret, formDecoded(secret)])) {
      forms.add(value);
      forms.add(encodeURIComponent(value));
      forms.add(new URLSearchParams({ s: value }).toString().slice(2));
      forms.add(JSON.stringify(value).slice(1, -1));
      forms.add(JSON.stringify(value).slice(1, -1).replace(/\//g, '\\/'));
      for (const core of base64Cores(value)) {
        forms.add(core);
        base64.add(core.toLowerCase());
      }
    }
  }
  if (forms.size === 0) return undefined;
  const sorted = [...forms].sort((a, b) => b.length - a.length);
  return { pattern: new RegExp(sorted.map(escapeRegExp).join('|'), 'gi'), base64, longest: sorted[0]!.length };
}
/**
 * `secret` as `application/x-www-form-urlencoded` decoding reads it when it was put in a query
 * string as it is (a proxy's or a framework's log of the request, an upstream quoting the
 * parameter it got): each `+` a space, each valid `%XX` its byte. Its `&` would end the value, so
 * it is escaped first: the whole secret is one value.
 */
function formDecoded(secret: string): string {
  return new URLSearchParams(`s=${secret.replace(/&/g, '%26')}`).get('s') ?? secret;
}

/**
 * The base64 (and base64url) characters that depend on `secret`'s bytes alone, for each of the
 * three alignments it can have inside a longer encoded value: whatever surrounds it, these
 * characters appear as they are.
 */
function base64Cores(secret: string): string[] {
  const bytes = Buffer.from(secret, 'utf8');
  const cores: string[] = [];
  for (let offset = 0; offset < 3; offset++) {
    const encoded = Buffer.concat([Buffer.alloc(offset), bytes]).toString('base64');
    // Whole groups of three bytes that hold only the secret's bytes: from the first group
    // starting at or after `offset` to the last one ending inside the secret.
    const first = Math.ceil(offset / 3);
    const last = Math.floor((offset + bytes.length) / 3) - 1;
    if (last < first) continue;
    const core = encoded.slice(4 * first, 4 * (last + 1));
    if (core.length < MIN_BASE64_CORE) continue;
    cores.push(core, core.replace(/\+/g, '-').replace(/\//g, '_'));
  }
  return cores;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
