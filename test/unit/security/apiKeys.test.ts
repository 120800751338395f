import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { apiKeyFingerprint, digestApiKey } from '../../../src/security/apiKeys.js';

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
