import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { TokenRef, TokenSource } from '../../src/generated/client/graphql.js';
import { refText } from '../../src/sources.js';
import { isShareable, REF_PARTS, refFromParam, refLabel, searchWithWatch, watchFromSearch } from '../../web/watchList.js';

const SOURCES = Object.keys(REF_PARTS) as TokenSource[];
const identifier = fc.string({ unit: 'binary', minLength: 1, maxLength: 40 });
const tokenRef: fc.Arbitrary<TokenRef> = fc
  .record({ source: fc.constantFrom(...SOURCES), accountId: identifier, userId: identifier, tokenId: identifier })
  .map(({ source, ...ids }) => {
    const ref: TokenRef = { source, tokenId: ids.tokenId };
    for (const part of REF_PARTS[source]) ref[part] = ids[part];
    return ref;
  });

describe('the watch list in the URL', () => {
  it('round-trips any shareable references, whatever their characters, through the query string', () => {
    fc.assert(
      fc.property(fc.array(tokenRef, { maxLength: 6 }), fc.constantFrom('', '?x=1', '?watch=GAME/old'), (refs, search) => {
        const shared = refs.filter(isShareable);
        const written = searchWithWatch(search, refs, [{ source: 'GAME', tokenId: 'default' }]);
        expect(watchFromSearch(written)).toEqual(shared);
        expect(watchFromSearch(searchWithWatch(search, refs)) ?? []).toEqual(shared);
        if (search === '?x=1') expect(new URLSearchParams(written).get('x')).toBe('1');
      }),
    );
  });

  it('never writes or reads a reference whose id is a credential: Crafter tickets and access tokens', () => {
    const ticket: TokenRef = { source: 'CRAFTER_TICKET', tokenId: '8f14e45f-ceea-467a-9a1b-3c5d2f9e0a61' };
    const accessToken: TokenRef = { source: 'CRAFTER_ACCESS_TOKEN', tokenId: 'f81d4fae-7dec-11d0-a765-00a0c91e6bf6' };
    const game: TokenRef = { source: 'GAME', tokenId: 'game-demo-1' };
    expect(SOURCES.filter((source) => !isShareable({ source, tokenId: 'x' })).sort()).toEqual(['CRAFTER_ACCESS_TOKEN', 'CRAFTER_TICKET']);
    const written = searchWithWatch('', [ticket, game, accessToken]);
    expect(written).toBe('?watch=GAME%2Fgame-demo-1');
    expect(watchFromSearch(`?watch=${encodeURIComponent(refText(ticket))}&watch=${encodeURIComponent(refText(accessToken))}&watch=GAME%2Fgame-demo-1`)).toEqual([game]);
  });

  it('writes one readable parameter per reference', () => {
    expect(refText({ source: 'ASTRA', accountId: 'acme', userId: 'ops/admin', tokenId: 'astra-demo-1' })).toBe('ASTRA/acme/ops%2Fadmin/astra-demo-1');
    expect(searchWithWatch('', [{ source: 'GAME', tokenId: 'game-demo-1' }])).toBe('?watch=GAME%2Fgame-demo-1');
  });

  it('tells "no list in the URL" from "an empty list" where a default list needs it', () => {
    expect(watchFromSearch('')).toBeNull();
    expect(watchFromSearch('?other=1')).toBeNull();
    expect(watchFromSearch(searchWithWatch('', [], [{ source: 'GAME', tokenId: 'default' }]))).toEqual([]);
    // With no default list (the page's case), an empty list is simply no parameter.
    expect(searchWithWatch('?watch=GAME%2Fx&other=1', [])).toBe('?other=1');
    expect(searchWithWatch('?watch=GAME%2Fx', [])).toBe('');
  });

  it.each([
    ['an unknown source', 'GITHUB/abc'],
    ['too few parts', 'ASTRA/acme/ops-admin'],
    ['too many parts', 'GAME/a/b'],
    ['a broken escape', 'GAME/%E0%A4%A'],
    ['an inherited property name', 'constructor/x'],
  ])('skips an entry with %s', (_, value) => {
    expect(refFromParam(value)).toBeNull();
    expect(watchFromSearch(`?watch=${encodeURIComponent(value)}&watch=GAME%2Fok`)).toEqual([{ source: 'GAME', tokenId: 'ok' }]);
  });

  it('labels a reference for people', () => {
    expect(refLabel({ source: 'NETBIRD', userId: 'alice', tokenId: 'nb-demo-1' })).toBe('NetBird alice/nb-demo-1');
  });
});
