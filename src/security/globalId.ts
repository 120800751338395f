/**
 * Global ids: base64url of a JSON array `[typename, ...upstream keys]`. Opaque to clients,
 * stable across restarts and replicas (no salt, no counter), and strictly decoded: any id
 * this module did not produce is `BAD_USER_INPUT`.
 */
import { badUserInput, type TokengraphError } from '../shared/errors.js';
import { assertIdentifier } from './identifiers.js';
import type { TokenKey } from './tokenRefs.js';

/** Longest id accepted before decoding: four keys of 256 code points, escaped, in base64. */
const MAX_GLOBAL_ID_LENGTH = 8192;
const BASE64URL = /^[A-Za-z0-9_-]+$/;
const SHA256_HEX = /^[0-9a-f]{64}$/;

export type TokenTypeName = 'CrafterTicket' | 'CrafterAccessToken' | 'AstraToken' | 'NetbirdPAT' | 'GameToken';

/**
 * `keys` are the upstream keys the token was fetched with, in the order `fromGlobalId`
 * reads them back; for `CrafterAccessToken`, the fingerprint of the id, never the id itself.
 */
export function toGlobalId(type: TokenTypeName, keys: readonly string[]): string {
  return Buffer.from(JSON.stringify([type, ...keys]), 'utf8').toString('base64url');
}

/** Decodes a global id into the key of the token it names; throws `BAD_USER_INPUT` otherwise. */
export function fromGlobalId(id: string): TokenKey {
  const [type, ...keys] = decodeParts(id);
  const arity = (n: number) => {
    if (keys.length !== n) throw malformed();
  };
  switch (type) {
    case 'CrafterTicket':
      arity(1);
      return { source: 'CRAFTER_TICKET', ticketId: keyPart(keys[0]) };
    case 'CrafterAccessToken':
      arity(1);
      if (!SHA256_HEX.test(keys[0]!)) throw malformed();
      return { source: 'CRAFTER_ACCESS_TOKEN', fingerprint: keys[0]! };
    case 'AstraToken':
      arity(3);
      return { source: 'ASTRA', accountId: keyPart(keys[0]), userId: keyPart(keys[1]), tokenId: keyPart(keys[2]) };
    case 'NetbirdPAT':
      arity(2);
      return { source: 'NETBIRD', userId: keyPart(keys[0]), tokenId: keyPart(keys[1]) };
    case 'GameToken':
      arity(1);
      return { source: 'GAME', tokenId: keyPart(keys[0]) };
    default:
      throw badUserInput('id is not a tokengraph id');
  }
}

function decodeParts(id: string): string[] {
  if (id.length === 0 || id.length > MAX_GLOBAL_ID_LENGTH || !BASE64URL.test(id)) throw malformed();
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
