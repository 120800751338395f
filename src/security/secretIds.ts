/**
 * Crafter access-token ids are credentials (applications send them as `accessTokenId`),
 * so tokengraph shows them only masked and builds global ids from a fingerprint.
 */
import { createHash } from 'node:crypto';

/** Ids shorter than this show as `…` alone: four plus four characters would reveal too much. */
const MIN_MASKABLE_CODE_POINTS = 16;

/** `e8f5170c-877b-416f-b70f-4b09772f8e2d` → `e8f5…8e2d`, counted in code points. */
export function maskSecretId(id: string): string {
  const chars = Array.from(id);
  if (chars.length < MIN_MASKABLE_CODE_POINTS) return '…';
  return `${chars.slice(0, 4).join('')}…${chars.slice(-4).join('')}`;
}

/**
 * Hex SHA-256 of the id: stable across restarts and replicas, and not reversible. Computed
 * at most once per listed token per request, when its global id is asked for or looked up
 * (crafterProfile.ts); nothing is remembered across requests, so no access-token id
 * outlives the request that read it.
 */
export function fingerprintSecretId(id: string): string {
  return createHash('sha256').update(id, 'utf8').digest('hex');
}
