/**
 * Cache keys: `tokengraph:v1:<source>:<resource>:<credential fingerprint>`, where the
 * resource is the upstream path's segments, each percent-encoded (so no value can run
 * into the next part), and the fingerprint is a truncated SHA-256 of the credential the
 * call was made with. The credential itself is never part of a key or a value, and callers
 * with different credentials never share an entry.
 *
 * Beside them, the tombstones of revoked tokens (tombstones.ts): a mark per resource,
 * `tokengraph:v1:revoked:<source>:<resource>`, and one sorted set of the revoked tokens,
 * `tokengraph:v1:revoked-tokens`.
 */
import { createHash } from 'node:crypto';
import type { SourceName } from '../sources.js';
import type { CacheResource } from './tombstones.js';

export const CACHE_KEY_PREFIX = 'tokengraph:v1';

/** The sorted set of revoked tokens (their `restingRef`s), scored by when they were revoked. */
export const REVOKED_TOKENS_KEY = `${CACHE_KEY_PREFIX}:revoked-tokens`;

/** The credential's fingerprint: 128 bits of a domain-separated SHA-256, hex. */
export function credentialFingerprint(credential: string): string {
  return createHash('sha256').update('tokengraph cache credential\0').update(credential).digest('hex').slice(0, 32);
}

export function cacheKey(source: SourceName, resource: readonly string[], fingerprint: string): string {
  return `${CACHE_KEY_PREFIX}:${source}:${encodedResource(resource)}:${fingerprint}`;
}

/** The tombstone's mark on `resource`: while it is there, no entry of the resource is served or stored, whatever credential read it. */
export function markKey({ source, resource }: CacheResource): string {
  return `${CACHE_KEY_PREFIX}:revoked:${source}:${encodedResource(resource)}`;
}

function encodedResource(resource: readonly string[]): string {
  return resource.map(encodeURIComponent).join('/');
}
