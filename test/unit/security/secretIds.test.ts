import { describe, expect, it } from 'vitest';
import { fingerprintSecretId, maskSecretId } from '../../../src/security/secretIds.js';

describe('maskSecretId', () => {
  it.each([
    ['e8f5170c-877b-416f-b70f-4b09772f8e2d', 'e8f5…8e2d'],
    ['0123456789abcdef', '0123…cdef'],
    ['0123456789abcde', '…'],
    ['', '…'],
    // Code points, not UTF-16 units: an emoji counts once and is never cut in half.
    ['🔑🔑🔑🔑abcdefghijk🗝🗝🗝🗝', '🔑🔑🔑🔑…🗝🗝🗝🗝'],
    ['🔑'.repeat(15), '…'],
  ])('masks %j as %j', (id, masked) => {
    expect(maskSecretId(id)).toBe(masked);
  });
});

describe('fingerprintSecretId', () => {
  it('is the hex SHA-256 of the id', () => {
    expect(fingerprintSecretId('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});
