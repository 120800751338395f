/**
 * Access control of `/graphql` (contract §6, §9). Outside demo mode every GraphQL request
 * carries `Authorization: Bearer <key>` with a key of `TOKENGRAPH_API_KEYS` or
 * `TOKENGRAPH_ADMIN_API_KEYS`; only an admin key may run mutations (in demo mode without admin
 * keys, anyone may). Only the keys' SHA-256 digests are kept; the presented key is digested and
 * compared with every stored digest in constant time (fixed-length digests, no early exit), so
 * the answer's timing says nothing about how close a guess was. The presented key is never
 * logged: an audit line names it by a fingerprint.
 */
import { createHash, hash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** Why an API key was refused: none was sent, or it matches no configured key. */
export type KeyRefusal = 'missing' | 'invalid';

/** What the authenticator needs of the configuration: whether keys are required, and their digests. */
export interface KeyAccess {
  mode: 'keys' | 'open';
  /** SHA-256 digests of the keys that may read (`digestApiKey`). */
  keyDigests: readonly Buffer[];
  /** Digests of the keys that may also run mutations (TOKENGRAPH_ADMIN_API_KEYS); they may read too. */
  adminKeyDigests?: readonly Buffer[];
  /** Who may run mutations: `admins` (an admin key), or `anyone` (demo mode without admin keys). Default `admins`. */
  mutations?: 'admins' | 'anyone';
}

/** Who sent a request that may proceed. */
export interface Caller {
  /** A fingerprint of the API key sent (never the key), for audit lines; absent when none was sent. */
  keyFingerprint?: string;
  /** May run mutations (contract §9). */
  admin: boolean;
}

/** SHA-256 of an access key: what is kept and compared, always 32 bytes. */
export function digestApiKey(key: string): Buffer {
  return createHash('sha256').update(key, 'utf8').digest();
}

/** 64 bits of a domain-separated SHA-256 of a key, hex: names a key in an audit line without revealing it. */
export function apiKeyFingerprint(key: string): string {
  return hash('sha256', `tokengraph api key\0${key}`, 'hex').slice(0, 16);
}

/**
 * `{ caller }` for a request that may proceed; otherwise `refused` says why (the caller answers
 * 401 with `UNAUTHENTICATED[refused]`, warns and counts).
 */
export type Authenticate = (req: IncomingMessage) => { refused: KeyRefusal } | { caller: Caller };

/** The 401 of each refusal: its message and its `WWW-Authenticate` challenge (RFC 6750). */
export const UNAUTHENTICATED: Readonly<Record<KeyRefusal, { message: string; challenge: string }>> = {
  missing: { message: 'this endpoint needs an API key: send Authorization: Bearer <key>', challenge: 'Bearer realm="tokengraph"' },
  invalid: { message: 'the API key is not valid', challenge: 'Bearer realm="tokengraph", error="invalid_token"' },
};

export function createAuthenticator(access: KeyAccess): Authenticate {
  const anyoneMutates = access.mutations === 'anyone';
  // Read keys first, then admin keys: a match at or past `firstAdmin` is an admin key.
  const digests = [...access.keyDigests, ...(access.adminKeyDigests ?? [])];
  const firstAdmin = access.keyDigests.length;
  /**
   * The caller a bearer value makes. Only a value that is a configured key gets a fingerprint:
   * with keys off, a bearer value may be anything, even an upstream credential being forwarded.
   */
  const callerFor = (key: string | undefined): Caller | undefined => {
    const match = key === undefined ? -1 : matchIndex(key, digests);
    if (match < 0) return key !== undefined && access.mode === 'keys' ? undefined : { admin: anyoneMutates };
    return { keyFingerprint: apiKeyFingerprint(key!), admin: anyoneMutates || match >= firstAdmin };
  };
  if (access.mode === 'open') return (req) => ({ caller: callerFor(bearerToken(req.headers.authorization))! });
  return (req) => {
    const key = bearerToken(req.headers.authorization);
    if (key === undefined) return { refused: 'missing' };
    const caller = callerFor(key);
    return caller ? { caller } : { refused: 'invalid' };
  };
}

/** The credentials of `Authorization: Bearer <credentials>` (scheme case-insensitive), if that is what was sent. */
function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer +(\S+) *$/i.exec(header ?? '');
  return match?.[1];
}

/** The index of the digest `key` has, or -1: one digest of the key, compared with every stored one. */
function matchIndex(key: string, digests: readonly Buffer[]): number {
  const presented = digestApiKey(key);
  let match = -1;
  // Every digest is compared, whatever the earlier ones gave; keys are distinct, so at most one matches.
  for (let i = 0; i < digests.length; i++) if (timingSafeEqual(presented, digests[i]!)) match = i;
  return match;
}
