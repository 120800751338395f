/**
 * A snapshot at rest holds no credential. Watched Crafter tickets (session credentials, read only
 * for a request) are never part of a kept snapshot; should one slip in, storing it drops it.
 */
import { describe, expect, it } from 'vitest';
import type { TokenModel } from '../../../src/datasources/models.js';
import { storeSnapshot, type Snapshot } from '../../../src/inventory/snapshot.js';

const TICKET = '2e911e0b-ac47-423e-9174-4e8896f1b387';
const ticket: TokenModel = { source: 'CRAFTER_TICKET', key: { source: 'CRAFTER_TICKET', tokenId: TICKET }, record: { tenant: 'default', profileId: 'p-1' } };
const game: TokenModel = { source: 'GAME', key: { source: 'GAME', tokenId: 'g-1' }, record: { TokenSourceId: 'g-1' } };

describe('a snapshot at rest', () => {
  it('holds no ticket, its part or its gap', () => {
    const snapshot: Snapshot = {
      collectedAt: 1,
      tokens: [ticket, game],
      parts: [
        { id: 'watch/CRAFTER_TICKET/fp', source: 'CRAFTER_TICKET', scope: 'watched CRAFTER_TICKET/2e91…b387', tokens: ['t'] },
        { id: 'watch/GAME/g-1', source: 'GAME', scope: 'watched GAME/g-1', tokens: ['g'] },
      ],
      gaps: [{ source: 'CRAFTER_TICKET', code: 'UPSTREAM_ERROR', count: 1, scopes: ['x'], message: 'm' }],
    };
    const stored = storeSnapshot(snapshot);
    expect(JSON.stringify(stored)).not.toContain(TICKET);
    expect(stored.tokens).toEqual([game]);
    expect(stored.parts.map((part) => part.source)).toEqual(['GAME']);
    expect(stored.gaps).toEqual([]);
  });

  it('holds no failed ticket part, nor its gap, when it holds no ticket', () => {
    const snapshot: Snapshot = {
      collectedAt: 1,
      tokens: [game],
      parts: [
        { id: 'watch/CRAFTER_TICKET/fp', source: 'CRAFTER_TICKET', scope: 'watched CRAFTER_TICKET/2e91…b387', tokens: [], error: { code: 'UPSTREAM_ERROR', message: 'm' } },
        { id: 'watch/GAME/g-1', source: 'GAME', scope: 'watched GAME/g-1', tokens: ['g'] },
      ],
      gaps: [{ source: 'CRAFTER_TICKET', code: 'UPSTREAM_ERROR', count: 1, scopes: ['watched CRAFTER_TICKET/2e91…b387'], message: 'm' }],
    };
    const stored = storeSnapshot(snapshot);
    expect(stored.tokens).toEqual([game]);
    expect(stored.parts.map((part) => part.source)).toEqual(['GAME']);
    expect(stored.gaps).toEqual([]);
  });

  it('is the snapshot itself when there is nothing to drop', () => {
    const snapshot: Snapshot = { collectedAt: 1, tokens: [game], parts: [], gaps: [] };
    expect(storeSnapshot(snapshot)).toBe(snapshot);
  });
});
