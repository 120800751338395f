/**
 * Cache keys: `tokengraph:v1:<source>:<resource>:<credential fingerprint>`, where the
 * resource is the upstream path's segments, each percent-encoded (so no value can run
 * into the next part), and the fingerprint is a truncated SHA-256 of the credential the
 * call was made with. The credential itself is never part of a key or a value, and callers
 * with different credentials never share an entry.
 */
import { createHash } from 'node:crypto';
import type { SourceName } from '../sources.js';

export const CACHE_KEY_PREFIX = 'tokengraph:v1';

/** The credential's fingerprint: 128 bits of a domain-separated SHA-256, hex. */
export function credentialFingerprint(credential: string): string {
  return createHash('sha256').update('tokengraph cache credential\0').update(credential).digest('hex').slice(0, 32);
}

export function cacheKey(source: SourceName, resource: readonly string[], fingerprint: string): string {
  return `${resourceKeyPrefix(source, resource)}${fingerprint}`;
}

/** What every key of `resource` starts with, whatever credential read it (and no other resource's). */
export function resourceKeyPrefix(source: SourceName, resource: readonly string[]): string {
  return `${CACHE_KEY_PREFIX}:${source}:${resource.map(encodeURIComponent).join('/')}:`;
}
