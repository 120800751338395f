/**
 * Property: whatever unicode identifier a client sends, it is either refused as
 * BAD_USER_INPUT before any call, or it becomes exactly one path segment that decodes back
 * to itself; the upstream path never gains a segment, a query or a fragment, and a query
 * parameter (Crafter's credential) stays one parameter with its own value.
 */
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { UpstreamClient } from '../../../src/datasources/upstreamClient.js';
import { TokengraphError } from '../../../src/shared/errors.js';
import { assertIdentifier } from '../../../src/security/identifiers.js';

const client = new UpstreamClient({
  baseUrl: new URL('http://upstream.example/prefix/'),
  timeoutMs: 1000,
  maxBodyBytes: 1024,
  bodyTimeoutMs: 1000,
  connections: 1,
  headers: {},
});
afterAll(() => client.close());

/** Any unicode text, biased towards the characters that matter in a URL. */
const hostile = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: fc.constantFrom('/', '.', '?', '#', '%', '2', 'F', '&', '=', ';', '\\', ' ', '\u0000', '\n', 'é', '😀', '\u202e', '+'), maxLength: 12 }),
  fc.constantFrom('.', '..', '%2F', '%2e%2e', '../x', '?a=b', '#frag', 'a/b', '\ud800'),
);

function accepted(value: string): boolean {
  try {
    assertIdentifier('id', value);
    return true;
  } catch (error) {
    expect(error).toBeInstanceOf(TokengraphError);
    expect((error as TokengraphError).code).toBe('BAD_USER_INPUT');
    return false;
  }
}

describe('upstream path building', () => {
  it('keeps every accepted identifier as exactly one segment, with no query or fragment', () => {
    fc.assert(
      fc.property(fc.array(hostile, { minLength: 1, maxLength: 4 }), (values) => {
        if (!values.every(accepted)) return;
        const segments = ['api', 'users', ...values];
        const path = client.path(segments);
        const url = new URL(path, 'http://upstream.example');
        expect(url.search).toBe('');
        expect(url.hash).toBe('');
        // The URL parser changes nothing: no dot segment, no backslash, nothing it would resolve.
        expect(url.pathname).toBe(path);
        const parts = path.split('/');
        expect(parts.slice(0, 2)).toEqual(['', 'prefix']);
        expect(parts.slice(2).map(decodeURIComponent)).toEqual(segments);
      }),
      { numRuns: 2000 },
    );
  });

  it('keeps a query parameter one parameter with its own value', () => {
    fc.assert(
      fc.property(hostile, fc.string({ unit: 'binary', minLength: 1, maxLength: 40 }), (id, credential) => {
        if (!accepted(id)) return;
        const url = new URL(client.path(['ticket', id], { accessTokenId: credential }), 'http://upstream.example');
        expect(url.hash).toBe('');
        expect([...url.searchParams.keys()]).toEqual(['accessTokenId']);
        expect(url.searchParams.get('accessTokenId')).toBe(credential);
        expect(url.pathname.split('/').slice(2).map(decodeURIComponent)).toEqual(['ticket', id]);
      }),
      { numRuns: 1000 },
    );
  });

  it('refuses what cannot be one sensible segment', () => {
    for (const value of ['', '.', '..', 'a\u0000b', 'a\nb', '\ud800', 'x'.repeat(257)]) expect(accepted(value), JSON.stringify(value)).toBe(false);
  });
});
