/**
 * Global ids: base64url of a JSON array `[typename, ...reference parts]` (src/sources.ts gives
 * each type its parts). Opaque to clients, stable across restarts and replicas (no salt, no
 * counter), and strictly decoded: any id this module did not produce is `BAD_USER_INPUT`. A
 * source whose ids are secret (Crafter access tokens) puts the SHA-256 fingerprint of the id in
 * its global id, never the id itself.
 */
import { badUserInput, type TokengraphError } from '../shared/errors.js';
import { rowOfType, sourceRow, type RefPart, type SourceRow, type TokenKey, type TokenTypeName } from '../sources.js';
import { assertIdentifier } from './identifiers.js';
import { FIXED_LIMITS } from './limits.js';

const BASE64URL = /^[A-Za-z0-9_-]+$/;
/** A SHA-256 fingerprint as global ids carry it: 64 lower-case hex digits. */
export const SHA256_HEX = /^[0-9a-f]{64}$/;

/**
 * `keys` are the token's reference parts in its source's order (`keyParts`); for a source with
 * secret ids, the fingerprint of the id alone.
 */
export function toGlobalId(type: TokenTypeName, keys: readonly string[]): string {
  return Buffer.from(JSON.stringify([type, ...keys]), 'utf8').toString('base64url');
}

/** Decodes a global id into the key of the token it names; throws `BAD_USER_INPUT` otherwise. */
export function fromGlobalId(id: string): TokenKey {
  const [type, ...keys] = decodeParts(id);
  const row = rowOfType(type!);
  if (!row) throw badUserInput('id is not a tokengraph id');
  if (keys.length !== row.refParts.length) throw malformed();
  if (row.id === 'secret') {
    if (!SHA256_HEX.test(keys[0]!)) throw malformed();
    return { source: 'CRAFTER_ACCESS_TOKEN', fingerprint: keys[0]! };
  }
  const key: Record<string, string> = { source: row.name };
  (row.refParts as readonly RefPart[]).forEach((part, i) => (key[part] = keyPart(keys[i])));
  return key as unknown as TokenKey;
}

/**
 * The source whose token id global id `id` carries, where that id is not public: a Crafter
 * ticket's global id holds the ticket id (an access token's holds its fingerprint, and so does a
 * ticket's history id, `TokenEvent.token`: a ticket id is never 64 hex digits). Undefined for
 * every other id, and for a string that is no global id (which nothing resolves).
 */
export function secretSourceOf(id: string): SourceRow | undefined {
  let key: TokenKey;
  try {
    key = fromGlobalId(id);
  } catch {
    return undefined;
  }
  if ('fingerprint' in key) return undefined;
  const row = sourceRow(key.source);
  return row.id !== 'public' && !SHA256_HEX.test(key.tokenId) ? row : undefined;
}

function decodeParts(id: string): string[] {
  if (id.length === 0 || id.length > FIXED_LIMITS.globalIdLength || !BASE64URL.test(id)) throw malformed();
  const bytes = Buffer.from(id, 'base64url');
  // Reject non-canonical encodings, so that one token has exactly one id.
  if (bytes.toString('base64url') !== id) throw malformed();
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw malformed();
  }
  if (!Array.isArray(value) || value.length < 2 || !value.every((v) => typeof v === 'string')) throw malformed();
  return value as string[];
}

function keyPart(value: string | undefined): string {
  try {
    return assertIdentifier('id', value ?? '');
  } catch {
    throw malformed();
  }
}

function malformed(): TokengraphError {
  return badUserInput('id is malformed: not a global id returned by tokengraph');
}
