import { describe, expect, it } from 'vitest';
import { UpstreamClient } from '../../../src/datasources/upstreamClient.js';
import { assertIdentifier } from '../../../src/security/identifiers.js';

const client = (base: string) => new UpstreamClient({ baseUrl: new URL(base), timeoutMs: 1000, maxBodyBytes: 1024, bodyTimeoutMs: 1000, connections: 1, headers: {} });

describe('upstream path building', () => {
  it.each([
    ['http://h/crafter-profile', '/crafter-profile/api/users/u/tokens/t'],
    ['http://h/crafter-profile/', '/crafter-profile/api/users/u/tokens/t'],
    ['http://h/a/b//', '/a/b/api/users/u/tokens/t'],
    ['http://h', '/api/users/u/tokens/t'],
    ['http://h/', '/api/users/u/tokens/t'],
  ])('joins base %s with or without a trailing slash', (base, path) => {
    expect(client(base).path(['api', 'users', 'u', 'tokens', 't'])).toBe(path);
  });

  it.each([
    ['a slash', 'a/b', 'a%2Fb'],
    ['a dot-dot step', '../admin', '..%2Fadmin'],
    ['a query', 'x?accessTokenId=stolen', 'x%3FaccessTokenId%3Dstolen'],
    ['a fragment', 'x#frag', 'x%23frag'],
    ['an encoded slash', '%2F', '%252F'],
    ['an encoded dot-dot', '%2e%2e', '%252e%252e'],
    ['a backslash', 'a\\b', 'a%5Cb'],
    ['spaces and plus', 'a b+c', 'a%20b%2Bc'],
    ['unicode', 'ü東京🎮', '%C3%BC%E6%9D%B1%E4%BA%AC%F0%9F%8E%AE'],
    ['a semicolon matrix parameter', 'a;b=c', 'a%3Bb%3Dc'],
  ])('encodes %s as one segment', (_, value, encoded) => {
    const path = client('http://h/base/').path(['api', 'users', value, 'tokens', 't']);
    expect(path).toBe(`/base/api/users/${encoded}/tokens/t`);
    expect(path.split('/')).toEqual(['', 'base', 'api', 'users', encoded, 'tokens', 't']);
    expect(path).not.toMatch(/[?#]/);
    // What the upstream's router sees: the same segments, and the value back intact.
    const parsed = new URL(path, 'http://h');
    expect(parsed.pathname).toBe(path);
    expect(decodeURIComponent(parsed.pathname.split('/')[4]!)).toBe(value);
  });

  it('appends the query after the encoded path', () => {
    expect(client('http://h/p').path(['api', '1', 'access_token', 'all'], { accessTokenId: 'a&b=c' })).toBe(
      '/p/api/1/access_token/all?accessTokenId=a%26b%3Dc',
    );
  });
});

describe('segments that are no segment', () => {
  // Ids an upstream lists go into later paths unchecked by the client-input rules.
  it.each([[''], ['.'], ['..']])('refuses %j before any call, as an invalid upstream answer', async (value) => {
    const refused = client('http://127.0.0.1:9/base').get('NETBIRD', ['api', 'users', value, 'tokens']);
    await expect(refused).rejects.toMatchObject({ code: 'UPSTREAM_INVALID_RESPONSE', message: expect.stringContaining('"."') });
  });
});

describe('identifier limits', () => {
  it.each([
    ['empty', ''],
    ['"."', '.'],
    ['".."', '..'],
    ['NUL', 'a\u0000b'],
    ['a newline', 'a\nb'],
    ['DEL', 'a\u007fb'],
    ['a C1 control', 'a\u0085b'],
    ['a lone surrogate', 'a\ud800b'],
    ['257 code points', 'x'.repeat(257)],
    ['257 astral code points', '🎮'.repeat(257)],
  ])('refuses %s', (_, value) => {
    expect(() => assertIdentifier('tokenId', value)).toThrowError(expect.objectContaining({ extensions: { code: 'BAD_USER_INPUT' } }));
  });

  it.each([
    ['256 code points', 'x'.repeat(256)],
    ['256 astral code points (512 UTF-16 units)', '🎮'.repeat(256)],
    ['dots inside a value', 'a..b'],
    ['three dots', '...'],
    ['a slash', 'a/b'],
  ])('accepts %s', (_, value) => {
    expect(assertIdentifier('tokenId', value)).toBe(value);
  });
});
