/**
 * Access control over HTTP: outside demo mode `/graphql` needs `Authorization: Bearer <key>`
 * with one of TOKENGRAPH_API_KEYS, and so does /metrics unless TOKENGRAPH_METRICS_AUTH=none; the
 * GraphiQL page, its assets, /healthz and /readyz do not.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../../harness.js';

const KEYS = ['first-key-0123456789', 'second-key-abcdefghij'];
const QUERY = '{ gameToken(id: "game-demo-1") { tokenId } }';

let stack: Stack;
let base: string;
beforeAll(async () => {
  stack = await startStack({ apiKeys: KEYS });
  base = stack.url.replace(/\/graphql$/, '');
});
afterAll(() => stack.close());
beforeEach(() => stack.reset());

function post(headers: Record<string, string>) {
  return fetch(stack.url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ query: QUERY }) });
}

describe('a /graphql request', () => {
  it.each([
    ['no Authorization header', {}, 'this endpoint needs an API key: send Authorization: Bearer <key>', 'Bearer realm="tokengraph"'],
    ['a wrong key', { authorization: 'Bearer wrong-key-0123456789' }, 'the API key is not valid', 'Bearer realm="tokengraph", error="invalid_token"'],
    ['a key that differs in its last character', { authorization: `Bearer ${KEYS[0]!.slice(0, -1)}X` }, 'the API key is not valid', 'Bearer realm="tokengraph", error="invalid_token"'],
    ['a key under another scheme', { authorization: `Basic ${KEYS[0]}` }, 'this endpoint needs an API key: send Authorization: Bearer <key>', 'Bearer realm="tokengraph"'],
    ['an empty bearer', { authorization: 'Bearer ' }, 'this endpoint needs an API key: send Authorization: Bearer <key>', 'Bearer realm="tokengraph"'],
  ])('with %s gets 401 UNAUTHENTICATED and reaches no upstream', async (_, headers, message, challenge) => {
    const response = await post(headers);
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toBe(challenge);
    expect(await response.json()).toEqual({ errors: [{ message, extensions: { code: 'UNAUTHENTICATED' } }] });
    expect(stack.totalCalls()).toBe(0);
  });

  it.each(KEYS.map((key, i) => [i + 1, key]))('with key %i is answered', async (_, key) => {
    const response = await post({ authorization: `Bearer ${key}` });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ data: { gameToken: { tokenId: 'game-demo-1' } } });
  });

  it('accepts the scheme in any case, over GET too', async () => {
    const response = await fetch(`${stack.url}?query=${encodeURIComponent(QUERY)}`, {
      headers: { 'content-type': 'application/json', authorization: `bearer ${KEYS[1]}` },
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ data: { gameToken: { tokenId: 'game-demo-1' } } });
  });

  it('is refused before its body is read: a huge body without a key is 401, not 413', async () => {
    const response = await fetch(stack.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: 'x'.repeat(2 * 1024 * 1024) });
    expect(response.status).toBe(401);
  });
});

describe('open endpoints', () => {
  it('serves the GraphiQL page and its assets without a key', async () => {
    const page = await fetch(stack.url, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    const html = await page.text();
    const [, asset] = /src="(\/graphiql\/[^"]+)"/.exec(html)!;
    expect((await fetch(`${base}${asset}`)).status).toBe(200);
  });

  it('answers /healthz and /readyz without a key', async () => {
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
  });

  it('still needs a key for a browser GET that carries a query', async () => {
    const response = await fetch(`${stack.url}?query=${encodeURIComponent(QUERY)}`, { headers: { accept: 'text/html', 'content-type': 'application/json' } });
    expect(response.status).toBe(401);
  });
});

describe('/metrics', () => {
  it('needs an API key outside demo mode', async () => {
    const refused = await fetch(`${base}/metrics`);
    expect(refused.status).toBe(401);
    expect(await refused.json()).toEqual({ errors: [{ message: 'this endpoint needs an API key: send Authorization: Bearer <key>', extensions: { code: 'UNAUTHENTICATED' } }] });
    expect((await fetch(`${base}/metrics`, { headers: { authorization: 'Bearer wrong-key-0123456789' } })).status).toBe(401);
    const scraped = await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${KEYS[1]}` } });
    expect(scraped.status).toBe(200);
    expect(await scraped.text()).toMatch(/^# HELP tokengraph_/m);
  });

  it('is open with TOKENGRAPH_METRICS_AUTH=none, and in demo mode', async () => {
    for (const config of [{ metricsAuth: 'none' as const }, { demo: true, access: { mode: 'open' as const, why: 'demo' as const, keyDigests: [], adminKeyDigests: [], mutations: 'anyone' as const } }]) {
      const open = await startStack({ apiKeys: config.demo ? undefined : KEYS, config });
      try {
        expect((await fetch(new URL('/metrics', open.url))).status).toBe(200);
      } finally {
        await open.close();
      }
    }
  });
});
