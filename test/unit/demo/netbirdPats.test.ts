/**
 * NetBird's PAT format, against tokens NetBird's own code made: the three below were issued by a
 * NetBird management server (v0.77.1, ee253fed, CreateNewPAT) built from source in a throwaway
 * sandbox, and grant nothing anywhere.
 */
import { describe, expect, it } from 'vitest';
import { isWellFormedPat, netbirdPat } from '../../../src/demo/netbirdPats.js';

const ISSUED_BY_NETBIRD = ['nbp_1oK11ZrBgMwVHXLDin1rzYR7wDL4KS4Xzmzh', 'nbp_7QNh6bkUyAHeKDJgxus2eF7vf0o1wT0ALvPM', 'nbp_JNexmvD0UVz7w4R39wO8CXnZ8V6y3b28QRpZ'];

describe('NetBird PATs', () => {
  it.each(ISSUED_BY_NETBIRD)('%s, issued by NetBird, is well-formed, and netbirdPat makes the same from its secret', (pat) => {
    expect(isWellFormedPat(pat)).toBe(true);
    expect(netbirdPat(pat.slice(4, 34))).toBe(pat);
  });

  it.each([
    ['a wrong checksum', `${ISSUED_BY_NETBIRD[0]!.slice(0, -1)}X`],
    ['a wrong prefix', `nbx_${ISSUED_BY_NETBIRD[0]!.slice(4)}`],
    ['one character short', ISSUED_BY_NETBIRD[0]!.slice(0, -1)],
    ['a checksum that is not base62', `${ISSUED_BY_NETBIRD[0]!.slice(0, -1)}-`],
  ])('refuses %s', (_, pat) => {
    expect(isWellFormedPat(pat)).toBe(false);
  });

  it('pads a short checksum with zeros, as %06s does', () => {
    // A secret whose CRC32 is small enough to need padding is rare: look for one.
    for (let i = 0; i < 200_000; i++) {
      const pat = netbirdPat(`PaddingProbe${String(i).padStart(18, '0')}`);
      if (pat[34] === '0') {
        expect(isWellFormedPat(pat)).toBe(true);
        return;
      }
    }
    throw new Error('no secret with a short checksum found');
  });
});
