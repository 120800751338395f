import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { IncomingMessage } from 'node:http';
import { apiKeyFingerprint, createAuthenticator, digestApiKey, type KeyAccess } from '../../../src/security/apiKeys.js';

describe('apiKeyFingerprint', () => {
  // Audit lines name a key by this value across versions and replicas: it must not drift.
  it('is 64 bits of the domain-separated SHA-256 of the key, in hex', () => {
    expect(apiKeyFingerprint('k-123')).toBe('37864ffbd6c75c4c');
  });

  it('differs from the digest kept for comparison, so an audit line cannot be matched against it', () => {
    expect(digestApiKey('k-123').toString('hex').slice(0, 16)).not.toBe(apiKeyFingerprint('k-123'));
    expect(digestApiKey('k-123')).toEqual(createHash('sha256').update('k-123').digest());
  });
});

describe('createAuthenticator', () => {
  const READ = 'read-key-0123456789abcdef';
  const ADMIN = 'admin-key-0123456789abcdef';
  const request = (bearer?: string) => ({ headers: bearer === undefined ? {} : { authorization: `Bearer ${bearer}` } }) as IncomingMessage;
  const authenticate = (access: KeyAccess, bearer?: string) => ({ outcome: createAuthenticator(access)(request(bearer)) });
  const keys: KeyAccess = { mode: 'keys', keyDigests: [digestApiKey(READ)], adminKeyDigests: [digestApiKey(ADMIN)] };

  it('tells read keys from admin keys, and names each by its fingerprint', () => {
    expect(authenticate(keys, READ).outcome).toEqual({ caller: { keyFingerprint: apiKeyFingerprint(READ), admin: false } });
    expect(authenticate(keys, ADMIN).outcome).toEqual({ caller: { keyFingerprint: apiKeyFingerprint(ADMIN), admin: true } });
    // A key that is both is an admin key.
    expect(authenticate({ ...keys, keyDigests: [digestApiKey(ADMIN)] }, ADMIN).outcome).toEqual({ caller: { keyFingerprint: apiKeyFingerprint(ADMIN), admin: true } });
  });

  it('refuses a missing or unknown key, saying which', () => {
    expect(authenticate(keys).outcome).toEqual({ refused: 'missing' });
    expect(authenticate(keys, 'not-a-key-0123456789').outcome).toEqual({ refused: 'invalid' });
  });

  it('with keys off, fingerprints only a configured key: any other bearer value may be an upstream credential', () => {
    const open: KeyAccess = { mode: 'open', keyDigests: [], adminKeyDigests: [digestApiKey(ADMIN)], mutations: 'admins' };
    expect(authenticate(open, 'forwarded-upstream-credential').outcome).toEqual({ caller: { admin: false } });
    expect(authenticate(open).outcome).toEqual({ caller: { admin: false } });
    expect(authenticate(open, ADMIN).outcome).toEqual({ caller: { keyFingerprint: apiKeyFingerprint(ADMIN), admin: true } });
    expect(authenticate({ ...open, mutations: 'anyone' }, 'anything-at-all').outcome).toEqual({ caller: { admin: true } });
  });
});
