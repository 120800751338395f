/**
 * A read's watched Crafter access tokens are found in the list the access-token listing read (no
 * call of their own), through one index of it by fingerprint: the list is walked once per read,
 * however many access tokens are watched. The listing is a fake that hands the read a list whose
 * element reads it counts.
 */
import { describe, expect, it, vi } from 'vitest';
import type { CrafterAccessTokenModel } from '../../../src/datasources/models.js';
import type { DataSources } from '../../../src/datasources/createDataSources.js';
import type { SourceClient } from '../../../src/datasources/sourceClient.js';
import type { Limit, TokenLister } from '../../../src/datasources/tokenListing.js';
import { PartLog } from '../../../src/inventory/partLog.js';
import { readInventory } from '../../../src/inventory/readInventory.js';
import { fingerprintSecretId } from '../../../src/security/secretIds.js';
import type { TokenKey } from '../../../src/sources.js';

const listed = vi.hoisted(() => ({ tokens: [] as unknown[] }));
vi.mock('../../../src/datasources/createDataSources.js', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../../src/datasources/createDataSources.js')>();
  const listAccessTokens: TokenLister<unknown> = async ({ parts }) => {
    const part = { id: 'CRAFTER_ACCESS_TOKEN', scope: 'access-token list' };
    parts.begin(part);
    parts.read(part, listed.tokens);
  };
  return { ...original, TOKEN_LISTERS: { ...original.TOKEN_LISTERS, CRAFTER_ACCESS_TOKEN: listAccessTokens } };
});

const accessToken = (id: string): CrafterAccessTokenModel => ({ source: 'CRAFTER_ACCESS_TOKEN', fingerprint: fingerprintSecretId(id), maskedId: `${id.slice(0, 4)}…`, record: { application: id } as CrafterAccessTokenModel['record'] });

/** `items`, with how many times each element was read. */
function counted<T>(items: T[]): { list: T[]; reads: number[] } {
  const reads = items.map(() => 0);
  const list = new Proxy(items, {
    get(target, key, receiver) {
      if (typeof key === 'string' && /^\d+$/.test(key)) reads[Number(key)]! += 1;
      return Reflect.get(target, key, receiver);
    },
  });
  return { list, reads };
}

describe('readInventory', () => {
  it('finds every watched access token in one walk of the listed access tokens', async () => {
    const ids = Array.from({ length: 200 }, (_, i) => `access-token-${i}`);
    const { list, reads } = counted(ids.map(accessToken));
    listed.tokens = list;
    // 50 watched: 40 of them listed, 10 not (left out silently).
    const watch: TokenKey[] = [...ids.slice(0, 40), ...Array.from({ length: 10 }, (_, i) => `unlisted-${i}`)].map((tokenId) => ({ source: 'CRAFTER_ACCESS_TOKEN', tokenId }));
    const dataSources = { clients: { CRAFTER_ACCESS_TOKEN: { source: 'CRAFTER_ACCESS_TOKEN' } as SourceClient } } as unknown as DataSources;
    const log = new PartLog(1);
    const limit: Limit = (call) => call();
    await readInventory(dataSources, { list: true, watch, settings: { netbirdUsers: 'service', astraAccountIds: [] } }, {}, log, () => limit);
    // Each listed token read once: one walk of the list (its index), where a filter per watched token is 50 walks.
    expect(Math.max(...reads)).toBe(1);

    const snapshot = log.snapshot();
    expect(snapshot.gaps).toEqual([]);
    const watched = snapshot.parts.filter((part) => part.id.startsWith('watch/'));
    expect(watched).toHaveLength(50);
    expect(watched.filter((part) => part.tokens.length === 1)).toHaveLength(40);
    expect(snapshot.tokens).toHaveLength(200);
  });
});
