/**
 * The parts of one read, snapshotted at any time: read parts hold their tokens (a token two parts
 * hold appears once), failed ones are gaps, and whatever is not read yet is an `UPSTREAM_TIMEOUT`
 * gap, including a listing between its stages, so that an unfinished read never looks complete.
 */
import { describe, expect, it } from 'vitest';
import type { GameTokenModel, NetbirdPATModel } from '../../../src/datasources/models.js';
import { globalIdOf } from '../../../src/datasources/models.js';
import { PartLog, UNREAD, withGaps } from '../../../src/inventory/partLog.js';
import { upstreamError } from '../../../src/shared/errors.js';

const pat = (userId: string, tokenId: string): NetbirdPATModel => ({
  source: 'NETBIRD',
  key: { source: 'NETBIRD', userId, tokenId },
  record: { id: tokenId, name: tokenId, created_by: userId },
});
const game: GameTokenModel = { source: 'GAME', key: { source: 'GAME', tokenId: 'g-1' }, record: { TokenSourceId: 'g-1' } };

describe('a PartLog', () => {
  it('is read parts, failed parts as gaps, and every unread part an UPSTREAM_TIMEOUT gap', () => {
    const log = new PartLog(42);
    const netbird = log.recorder('NETBIRD');
    netbird.begin({ id: 'NETBIRD', scope: 'users' });
    netbird.read({ id: 'NETBIRD', scope: 'users' }, []);
    for (const user of ['alice', 'bob', 'carol']) netbird.begin({ id: `NETBIRD/${user}`, scope: `user ${user}` });
    netbird.read({ id: 'NETBIRD/alice', scope: 'user alice' }, [pat('alice', 'a-1'), pat('alice', 'a-2')]);
    netbird.failed({ id: 'NETBIRD/bob', scope: 'user bob' }, upstreamError('UPSTREAM_FORBIDDEN', { source: 'NETBIRD', status: 403 }));
    const games = log.recorder('GAME');
    games.begin({ id: 'watch/GAME/g-1', scope: 'watched GAME/g-1' });
    games.read({ id: 'watch/GAME/g-1', scope: 'watched GAME/g-1' }, [game]);

    const snapshot = log.snapshot();
    expect(snapshot.collectedAt).toBe(42);
    expect(snapshot.tokens.map(globalIdOf)).toEqual([pat('alice', 'a-1'), pat('alice', 'a-2'), game].map(globalIdOf));
    expect(snapshot.parts.map((part) => [part.id, part.tokens.length, part.error?.code ?? null])).toEqual([
      ['NETBIRD', 0, null],
      ['NETBIRD/alice', 2, null],
      ['NETBIRD/bob', 0, 'UPSTREAM_FORBIDDEN'],
      ['NETBIRD/carol', 0, 'UPSTREAM_TIMEOUT'],
      ['watch/GAME/g-1', 1, null],
    ]);
    expect(snapshot.gaps).toEqual([
      { source: 'NETBIRD', code: 'UPSTREAM_FORBIDDEN', count: 1, scopes: ['user bob'], message: 'NETBIRD denied access (403)' },
      { source: 'NETBIRD', code: 'UPSTREAM_TIMEOUT', count: 1, scopes: ['user carol'], message: UNREAD.message },
    ]);
  });

  it('holds a token two parts read once', () => {
    const log = new PartLog(1);
    const netbird = log.recorder('NETBIRD');
    netbird.read({ id: 'NETBIRD/alice', scope: 'user alice' }, [pat('alice', 'a-1')]);
    netbird.read({ id: 'watch/NETBIRD/alice/a-1', scope: 'watched NETBIRD/alice/a-1' }, [pat('alice', 'a-1')]);
    const snapshot = log.snapshot();
    expect(snapshot.tokens).toHaveLength(1);
    expect(snapshot.parts.map((part) => part.tokens)).toEqual([[globalIdOf(pat('alice', 'a-1'))], [globalIdOf(pat('alice', 'a-1'))]]);
  });

  it('shows a listing between its stages (users read, their tokens not yet asked for) as its whole source unread', async () => {
    const log = new PartLog(1);
    let finish!: () => void;
    const listing = log.listingOf('NETBIRD', new Promise<void>((resolve) => (finish = resolve)));
    log.recorder('NETBIRD').read({ id: 'NETBIRD', scope: 'users' }, []);
    expect(log.snapshot().gaps).toEqual([{ source: 'NETBIRD', code: 'UPSTREAM_TIMEOUT', count: 1, scopes: ['NETBIRD listing'], message: UNREAD.message }]);
    finish();
    await listing;
    expect(log.snapshot().gaps).toEqual([]);
  });

  it('makes a lister that throws its whole source a gap, shown as little as any unexpected error', async () => {
    const log = new PartLog(1);
    await log.listingOf('ASTRA', Promise.reject(new Error('a bug with a /secret/path')));
    expect(log.snapshot().gaps).toEqual([{ source: 'ASTRA', code: 'INTERNAL_SERVER_ERROR', count: 1, scopes: ['ASTRA listing'], message: 'Internal server error' }]);
  });

  it('groups more gaps into its gaps by source and code: counts summed, scopes up to ten, a different message appended', () => {
    const failed = { source: 'NETBIRD' as const, code: 'UPSTREAM_UNAVAILABLE', count: 12, scopes: Array.from({ length: 10 }, (_, i) => `user u-${i}`), message: 'NETBIRD is unavailable' };
    const forbidden = { source: 'NETBIRD' as const, code: 'UPSTREAM_FORBIDDEN', count: 1, scopes: ['user bob'], message: 'NETBIRD denied access (403)' };
    const revocations = (source: 'GAME' | 'NETBIRD') => ({ source, code: 'UPSTREAM_UNAVAILABLE', count: 1, scopes: ['revoked tokens'], message: 'revocations unknown' });
    expect(withGaps([forbidden, failed], [revocations('GAME'), revocations('NETBIRD')])).toEqual([
      forbidden,
      { ...failed, count: 13, message: 'NETBIRD is unavailable; revocations unknown' },
      revocations('GAME'),
    ]);
    expect(withGaps([{ ...failed, count: 1, scopes: ['user u-0'] }], [revocations('NETBIRD')])).toEqual([{ ...failed, count: 2, scopes: ['user u-0', 'revoked tokens'], message: 'NETBIRD is unavailable; revocations unknown' }]);
  });
});
