/** GraphQL over HTTP: POST and GET, GraphiQL for browsers, and requests refused before GraphQL. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../harness.js';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack.close());

describe('GraphQL over HTTP', () => {
  it('answers a GET query', async () => {
    const url = `${stack.url}?query=${encodeURIComponent('{ gameToken(id: "game-demo-1") { tokenId } }')}`;
    const response = await fetch(url, { headers: { 'content-type': 'application/json' } });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ data: { gameToken: { tokenId: 'game-demo-1' } } });
  });

  it('answers compact JSON, not indented (Apollo indents by default: bigger bodies, more CPU)', async () => {
    const url = `${stack.url}?query=${encodeURIComponent('{ gameToken(id: "game-demo-1") { tokenId name } }')}`;
    const text = await (await fetch(url, { headers: { 'content-type': 'application/json' } })).text();
    expect(text).toBe(JSON.stringify(JSON.parse(text)));
  });

  it('answers a POST query with variables', async () => {
    const response = await stack.query('query ($id: String!) { gameToken(id: $id) { tokenId } }', { id: 'game-demo-1' });
    expect(response.body).toEqual({ data: { gameToken: { tokenId: 'game-demo-1' } } });
  });

  it('refuses a body that is not JSON with 400, and keeps serving', async () => {
    const response = await fetch(stack.url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"query": ' });
    expect(response.status).toBe(400);
    expect(((await response.json()) as any).errors[0].message).toBe('request body is not valid JSON');
    const after = await stack.query('{ gameToken(id: "game-demo-1") { tokenId } }');
    expect(after.status).toBe(200);
  });

  it('refuses a body over 1 MiB with 413', async () => {
    const response = await fetch(stack.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: `{ __typename }`, variables: { pad: 'x'.repeat(1024 * 1024) } }),
    });
    expect(response.status).toBe(413);
  });

  it('refuses a syntax error with a GraphQL error', async () => {
    const response = await stack.query('{ gameToken(id: ');
    expect(response.status).toBe(400);
    expect(response.body.errors?.[0]?.extensions?.code).toBe('GRAPHQL_PARSE_FAILED');
  });

  it('refuses other methods with 405', async () => {
    const response = await fetch(stack.url, { method: 'DELETE' });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('GET, POST');
  });

  it('answers 404 elsewhere and 200 on /healthz', async () => {
    const base = stack.url.replace(/\/graphql$/, '');
    expect((await fetch(`${base}/nope`)).status).toBe(404);
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
  });
});

describe('GraphiQL', () => {
  it('is served to a browser opening /graphql, referencing no external host', async () => {
    const response = await fetch(stack.url, { headers: { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(response.headers.get('content-security-policy')).toContain("default-src 'self'");
    const html = await response.text();
    expect(html).toContain('<title>tokengraph · GraphiQL</title>');
    // Every src and href is a path on this server.
    const references = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
    expect(references.length).toBeGreaterThanOrEqual(5);
    for (const reference of references) expect(reference).toMatch(/^\/[^/]/);
    expect(html).not.toMatch(/https?:\/\//);
  });

  it('serves every asset the page references', async () => {
    const base = stack.url.replace(/\/graphql$/, '');
    const html = await (await fetch(stack.url, { headers: { accept: 'text/html' } })).text();
    for (const [, path] of html.matchAll(/(?:src|href)="([^"]+)"/g)) {
      const asset = await fetch(`${base}${path}`);
      expect(asset.status, path).toBe(200);
      expect((await asset.arrayBuffer()).byteLength, path).toBeGreaterThan(100);
    }
  });
});

describe('the token overview page', () => {
  const base = () => stack.url.replace(/\/graphql$/, '');

  it('is served at /, with its script and style sheet from this server only', async () => {
    const response = await fetch(`${base()}/`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(response.headers.get('content-security-policy')).toContain("script-src 'self'");
    const html = await response.text();
    expect(html).toContain('<title>tokengraph · token overview</title>');
    const references = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]!);
    // Its own files, GraphiQL, and the exports (links the page's script fetches with its key).
    expect(references).toEqual(['/overview/overview.css', '/graphql', '/inventory.csv', '/inventory.ndjson', '/overview/overview.js']);
    for (const path of references.filter((p) => p.startsWith('/overview/'))) {
      const asset = await fetch(`${base()}${path}`);
      expect(asset.status, path).toBe(200);
      expect(asset.headers.get('x-content-type-options')).toBe('nosniff');
      expect((await asset.arrayBuffer()).byteLength, path).toBeGreaterThan(500);
    }
    expect((await fetch(`${base()}/overview/nope.js`)).status).toBe(404);
  });

  it('outside demo mode opens with an empty watch list', async () => {
    const html = await (await fetch(`${base()}/`)).text();
    const config = JSON.parse(/<script type="application\/json" id="tokengraph-config">(.*?)<\/script>/s.exec(html)![1]!);
    expect(config).toEqual({ endpoint: '/graphql', demo: false, defaultWatch: [] });
  });
});
