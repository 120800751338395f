/**
 * Ids that are credentials: Crafter access-token ids (applications send them as `accessTokenId`)
 * are shown only masked, and global ids, lookups and the cache use their fingerprint; Crafter
 * ticket ids (session credentials) are masked in logs and metrics and fingerprinted in cache keys.
 */
import { hash } from 'node:crypto';
import { keyParts, sourceRow, type SourceName, type TokenKey } from '../sources.js';

/** Ids shorter than this show as `…` alone: four plus four characters would reveal too much. */
const MIN_MASKABLE_CODE_POINTS = 16;

/**
 * `key` as logs, spans, audit lines and gaps show it: its id masked unless its source's ids are
 * public (a Crafter ticket's is a session, an access token's the token itself).
 */
export function loggedKey<K extends { source: SourceName; tokenId: string }>(key: K): K {
  return sourceRow(key.source).id === 'public' ? key : { ...key, tokenId: maskSecretId(key.tokenId) };
}

/** Any half of a surrogate pair: without one, a string's code points are its UTF-16 units. */
const SURROGATE = /[\uD800-\uDFFF]/;

/** `e8f5170c-877b-416f-b70f-4b09772f8e2d` → `e8f5…8e2d`, counted in code points. */
export function maskSecretId(id: string): string {
  // Ids are ASCII in practice: slicing them directly is ~5× cheaper than splitting into code points.
  if (!SURROGATE.test(id)) return id.length < MIN_MASKABLE_CODE_POINTS ? '…' : `${id.slice(0, 4)}…${id.slice(-4)}`;
  const chars = Array.from(id);
  if (chars.length < MIN_MASKABLE_CODE_POINTS) return '…';
  return `${chars.slice(0, 4).join('')}…${chars.slice(-4).join('')}`;
}

/**
 * Hex SHA-256 of the id: stable across restarts and replicas, and not reversible. Computed once
 * per listed access token as the list is read (datasources/crafterProfile.ts), which is then kept
 * with fingerprints and masks only, so no access-token id outlives the request that read it.
 */
export function fingerprintSecretId(id: string): string {
  // The one-shot `hash` (no Hash object) is ~2.5× cheaper than createHash for an id this short.
  return hash('sha256', id, 'hex');
}

/**
 * The token as tokengraph keeps it at rest (the tombstones of revoked tokens, in memory or Redis):
 * its source and reference parts, each percent-encoded, joined by `/`, with an id that is a
 * credential (a Crafter ticket's or access token's) replaced by its fingerprint:
 * `NETBIRD/alice/nb-demo-1`, `CRAFTER_ACCESS_TOKEN/<sha256 of the id>`.
 */
export function restingRef(key: TokenKey): string {
  if ('fingerprint' in key) return `${key.source}/${key.fingerprint}`;
  const parts = keyParts(sourceRow(key.source).id === 'public' ? key : ({ ...key, tokenId: fingerprintSecretId(key.tokenId) } as typeof key));
  return [key.source, ...parts.map(encodeURIComponent)].join('/');
}
