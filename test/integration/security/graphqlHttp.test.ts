/**
 * GraphQL over HTTP conformance: graphql-http's own server audits, run against tokengraph
 * as deployed (API keys required, CSRF prevention on). Every MUST passes; the SHOULD and
 * MAY audits that do not are pinned by id, so a change in either direction is noticed.
 */
import { serverAudits, type AuditResult } from 'graphql-http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../../harness.js';

const KEY = 'audit-key-0123456789abcdef';

/**
 * SHOULD and MAY audits tokengraph does not meet, on purpose:
 * - GETs without a preflight-forcing header are refused by Apollo Server's CSRF prevention
 *   (README, "HTTP"), which these GETs do not send.
 * - Apollo Server answers 400, not 200, to parse, validation and variable-coercion failures
 *   even for `Accept: application/json` (the spec's SHOULD for legacy clients).
 */
const KNOWN_NOT_MET = [
  '5A70 MAY accept application/x-www-form-urlencoded formatted GET requests',
  'D6D5 MAY allow URL-encoded JSON string {variables} parameter in GETs when accepting application/graphql-response+json',
  '6A70 MAY allow URL-encoded JSON string {variables} parameter in GETs when accepting application/json',
  '572B SHOULD use 200 status code on document parsing failure when accepting application/json',
  'FDE2 SHOULD use 200 status code on document validation failure when accepting application/json',
  '7B9B SHOULD use a status code of 200 on variable coercion failure when accepting application/json',
];

let stack: Stack;
let results: AuditResult[];
beforeAll(async () => {
  // The audits query `__type(name:)`, so introspection is on here: they test HTTP, not that policy.
  stack = await startStack({ apiKeys: [KEY], config: { introspection: true } });
  // Every audit request carries the key, as a real client would.
  const fetchFn = (input: string | URL | Request, init: RequestInit = {}) => {
    const headers = new Headers(init.headers);
    headers.set('authorization', `Bearer ${KEY}`);
    return fetch(input, { ...init, headers });
  };
  results = [];
  for (const audit of serverAudits({ url: stack.url, fetchFn })) results.push(await audit.fn());
});
afterAll(() => stack.close());

describe('graphql-http server audits', () => {
  it('runs them all', () => {
    expect(results.length).toBeGreaterThan(40);
    expect(results.filter((r) => r.name.startsWith('MUST')).length).toBeGreaterThanOrEqual(13);
  });

  it('passes every MUST', () => {
    const failed = results.filter((r) => r.name.startsWith('MUST') && r.status !== 'ok').map((r) => `${r.id} ${r.name}: ${'reason' in r ? r.reason : ''}`);
    expect(failed).toEqual([]);
  });

  it('fails only the known SHOULD and MAY audits', async () => {
    const failed = results.filter((r) => !r.name.startsWith('MUST') && r.status !== 'ok');
    expect(failed.map((r) => `${r.id} ${r.name}`)).toEqual(KNOWN_NOT_MET);
    // The GETs fail for CSRF prevention, nothing else.
    for (const result of failed.filter((r) => r.name.includes('GET'))) {
      expect('response' in result && (await result.response.clone().text())).toMatch(/CSRF/);
    }
  });
});
