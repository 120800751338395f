/** A snapshot at rest holds no credential: a watched ticket is kept by fingerprint and given its id back from the watch list. */
import { describe, expect, it } from 'vitest';
import type { TokenModel } from '../../../src/datasources/models.js';
import { restoreSnapshot, storeSnapshot, type Snapshot } from '../../../src/inventory/snapshot.js';
import type { TokenKey } from '../../../src/sources.js';

const TICKET = '2e911e0b-ac47-423e-9174-4e8896f1b387';
const ticket: TokenModel = { source: 'CRAFTER_TICKET', key: { source: 'CRAFTER_TICKET', tokenId: TICKET }, record: { tenant: 'default', profileId: 'p-1', lastRequestTime: 1 } };
const game: TokenModel = { source: 'GAME', key: { source: 'GAME', tokenId: 'g-1' }, record: { TokenSourceId: 'g-1' } };
const snapshot: Snapshot = { collectedAt: 1, tokens: [ticket, game], gaps: [] };

describe('a snapshot at rest', () => {
  it('holds no ticket id, and is whole again with the watch list', () => {
    const stored = JSON.stringify(storeSnapshot(snapshot));
    expect(stored).not.toContain(TICKET);
    const watch: TokenKey[] = [{ source: 'CRAFTER_TICKET', tokenId: TICKET }];
    expect(restoreSnapshot(JSON.parse(stored), watch)).toEqual(snapshot);
  });

  it('leaves out a ticket that is no longer watched', () => {
    expect(restoreSnapshot(storeSnapshot(snapshot), []).tokens).toEqual([game]);
  });
});
