/**
 * NetBird's personal access tokens as its management server makes and checks them
 * (management/server/types/personal_access_token.go generateNewToken, auth/manager.go
 * extractPATFromToken): `nbp_`, a 30-character secret, and the CRC32 of the secret in base62,
 * zero-padded to 6 characters. NetBird answers a PAT whose length, prefix or checksum is wrong
 * with 401 `token invalid`, and a well-formed one it does not know with 404.
 */
import { createHash } from 'node:crypto';
import { crc32 } from 'node:zlib';

const PREFIX = 'nbp_';
const SECRET_LENGTH = 30;
const CHECKSUM_LENGTH = 6;
const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** NetBird's base62 of a 32-bit number (base62.Encode), zero-padded as `%06s` pads it. */
function checksumOf(secret: string): string {
  let value = crc32(secret);
  let encoded = '';
  do {
    encoded = BASE62[value % 62] + encoded;
    value = Math.floor(value / 62);
  } while (value > 0);
  return encoded.padStart(CHECKSUM_LENGTH, '0');
}

/** The PAT NetBird would issue for `secret` (30 characters). */
export function netbirdPat(secret: string): string {
  if (secret.length !== SECRET_LENGTH) throw new Error(`a NetBird PAT's secret has ${SECRET_LENGTH} characters, got ${secret.length}`);
  return `${PREFIX}${secret}${checksumOf(secret)}`;
}

/** Whether `token` has a PAT's length, prefix and checksum, as NetBird checks before looking it up. */
export function isWellFormedPat(token: string): boolean {
  if (token.length !== PREFIX.length + SECRET_LENGTH + CHECKSUM_LENGTH || !token.startsWith(PREFIX)) return false;
  const secret = token.slice(PREFIX.length, PREFIX.length + SECRET_LENGTH);
  return token.slice(PREFIX.length + SECRET_LENGTH) === checksumOf(secret);
}

/** The PAT as NetBird stores and looks it up (generateNewToken's `hashedToken`): SHA-256, standard base64. */
export function hashedPat(pat: string): string {
  return createHash('sha256').update(pat).digest('base64');
}
