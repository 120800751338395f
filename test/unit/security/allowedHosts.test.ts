/** allowedHosts: which `Host` headers are answered without a key, and what TOKENGRAPH_ALLOWED_HOSTS accepts. */
import { describe, expect, it } from 'vitest';
import { allowedHostEntry, createHostCheck } from '../../../src/security/allowedHosts.js';

describe('createHostCheck', () => {
  const check = createHostCheck(['tokengraph.example.com', '.corp.example', 'tokengraph_app']);

  it.each([
    'localhost',
    'localhost:4000',
    'LOCALHOST:4000',
    'localhost.:4000',
    'overview.localhost:4000',
    '127.0.0.1',
    '127.0.0.1:4000',
    '127.9.8.7:80',
    '10.1.2.3:4000',
    '[::1]:4000',
    '[::1]',
    '[fd00::5]:4000',
    'tokengraph.example.com',
    'TokenGraph.Example.com:443',
    'corp.example',
    'a.b.corp.example:4000',
    'tokengraph_app:4000',
  ])('answers Host %j', (host) => {
    expect(check(host)).toBe(true);
  });

  it.each([
    ['a rebinding name', 'rebind.attacker.example:4000'],
    ['a name that only starts like localhost', 'localhost.attacker.example'],
    ['an address inside a name', '127.0.0.1.nip.io:4000'],
    ['a listed name as a prefix', 'tokengraph.example.com.attacker.example'],
    ['a name that only ends like a listed suffix', 'notcorp.example'],
    ['a name under a name listed without a leading dot', 'x.tokengraph.example.com'],
    ['an unclosed IPv6 address', '[::1:4000'],
    ['no Host', undefined],
    ['an empty Host', ''],
    ['only a port', ':4000'],
  ])('refuses %s (%j)', (_, host) => {
    expect(check(host)).toBe(false);
  });

  it('refuses a Host longer than a DNS name (253 characters) before looking at it, even under a listed suffix', () => {
    const under = (length: number) => `${'a.'.repeat(119)}${'b'.repeat(length - 238 - 13)}.corp.example`;
    expect(under(253)).toHaveLength(253);
    expect(check(under(253))).toBe(true);
    expect(check(under(254))).toBe(false);
    // 16 KB, Node's largest header: refused at once (each check used to hash a slice per dot, ~90 ms).
    const huge = `${'a.'.repeat(8_000)}corp.example:4000`;
    const started = performance.now();
    for (let i = 0; i < 50; i++) expect(check(huge)).toBe(false);
    expect(performance.now() - started).toBeLessThan(250);
  });

  it('answers only localhost and IP addresses when nothing is listed', () => {
    const none = createHostCheck([]);
    expect(['localhost:1', '127.0.0.1:1', '[::1]:1', 'tokengraph.example.com'].map(none)).toEqual([true, true, true, false]);
  });
});

describe('allowedHostEntry (TOKENGRAPH_ALLOWED_HOSTS)', () => {
  it.each([
    ['tokengraph.example.com', 'tokengraph.example.com'],
    ['TokenGraph.Example.com.', 'tokengraph.example.com'],
    ['.example.com', '.example.com'],
    ['tokengraph', 'tokengraph'],
    ['my_service', 'my_service'],
    ['10.0.0.5', '10.0.0.5'],
    ['[fd00::5]', '[fd00::5]'],
    [`${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(61)}`, `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(61)}`],
  ])('takes %j as %j', (entry, host) => {
    expect(allowedHostEntry(entry)).toBe(host);
  });

  it.each([
    'https://tokengraph.example.com',
    'tokengraph.example.com:4000',
    'tokengraph.example.com/graphql',
    '*',
    '*.example.com',
    '..example.com',
    '-bad.example.com',
    'bad-.example.com',
    'a b',
    '[fd00::5',
    '[not-an-address]',
    `${'a'.repeat(64)}.example.com`,
    `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(62)}`,
  ])('refuses %j', (entry) => {
    expect(allowedHostEntry(entry)).toBeUndefined();
  });
});
