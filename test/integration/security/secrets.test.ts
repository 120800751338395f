/**
 * No secret ever echoed: every error path of every source is driven with distinctive
 * credentials (static ones, forwarded ones and tokengraph's own API keys), with upstream
 * error bodies that echo them back, and every response body and every log line (captured
 * at `trace`) is searched for them, and for an upstream URL with its query string.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UpstreamName } from '../../../src/sources.js';
import type { Fault } from '../../../src/demo/fakeUpstream.js';
import { createLogger } from '../../../src/observability/createLogger.js';
import { startStack, type Stack } from '../../harness.js';
import { ENCODINGS, encodings } from '../../secretEncodings.js';

// Crafter's credentials hold a `+`, which a form decoder reads as a space (ENCODINGS).
const STATIC: Record<UpstreamName, string> = {
  crafterProfile: 'STATIC-crafter+8d1f0e8a-54b2-4c1e-9a77-3e0f5c2b9d41',
  astra: 'STATIC-astra-Zq8WmL2xR7pT4vN9',
  netbird: 'STATIC-netbird-nbp_Hf3kT9qLm2Vx',
  games: 'STATIC-games-Gm7Jd2Kp9Xw4Rt',
};
const FORWARDED: Record<UpstreamName, string> = {
  crafterProfile: 'FORWARDED-crafter+1b7c9e2f-0a4d-4f8e-b3c6-7d2e9f1a5c08',
  astra: 'FORWARDED-astra-Yp3Nw8Qz1Lk6Vb',
  netbird: 'FORWARDED-netbird-nbp_Qw9Er4Ty7Ui',
  games: 'FORWARDED-games-Hx5Cv8Bn2Mz1Lk',
};
const HEADERS: Record<UpstreamName, string> = {
  crafterProfile: 'x-crafter-access-token-id',
  astra: 'x-astra-token',
  netbird: 'x-netbird-token',
  games: 'x-games-token',
};
const API_KEY = 'APIKEY-tokengraph-Rk4Lp9Wq2Zx7Mn3B';
const WRONG_KEY = 'WRONGKEY-tokengraph-Jf8Hs2Dk5Lq0Pw';
const SECRETS = [...Object.values(STATIC), ...Object.values(FORWARDED), API_KEY, WRONG_KEY];

const FIELDS: Array<[UpstreamName, string]> = [
  ['crafterProfile', 'crafterTicket(id: $ticket) { tenant }'],
  ['crafterProfile', 'crafterAccessTokens { name }'],
  ['crafterProfile', 'crafterAccessToken(id: $accessToken) { name }'],
  ['astra', 'astraToken(accountId: "acme", userId: "ops-admin", tokenId: "astra-demo-1") { name }'],
  ['netbird', 'netbirdToken(userId: "alice", tokenId: "nb-demo-1") { name }'],
  ['games', 'gameToken(id: "game-demo-1") { name }'],
];

/** The ticket and access-token ids the fields ask for: credentials, so variables, never written in a document. */
const VARIABLES: Record<string, string> = { ticket: '2e911e0b-ac47-423e-9174-4e8896f1b387', accessToken: 'e8f5170c-877b-416f-b70f-4b09772f8e2d' };

/** `fields` in one operation that declares the variables they use, and those variables. */
function operation(fields: string[]): [string, Record<string, string>] {
  const used = Object.entries(VARIABLES).filter(([name]) => fields.some((field) => field.includes(`$${name}`)));
  const head = used.length > 0 ? `query (${used.map(([name]) => `$${name}: String!`).join(', ')}) ` : '';
  return [`${head}{ ${fields.join(' ')} }`, Object.fromEntries(used)];
}

/** Largest upstream body read in these stacks; every echoing body fits in it, so none is refused unread. */
const MAX_UPSTREAM_BODY_BYTES = 4096;

/** An error body that says `text` in every field an API has. */
function echoingBody(text: string): string {
  const body = JSON.stringify({ errorCode: text, message: text, detail: text, correlationID: text, title: text, Message: text });
  expect(Buffer.byteLength(body)).toBeLessThan(MAX_UPSTREAM_BODY_BYTES);
  return body;
}

/** Retry-After: 0 on every fault, so that a 429 does not pause its upstream for the faults after it (rateBudget.test.ts). */
const RETRY_NOW = { 'retry-after': '0' };

/** Faults whose bodies echo the credentials: by status, and once per encoding (each short enough to be shown whole). */
function echoingFaults(secrets: string[], url: string): Array<[string, Fault]> {
  const statuses = [400, 401, 403, 404, 409, 429, 500, 502, 503, 504];
  const relative = `GET /api/1/access_token/all?accessTokenId=${encodeURIComponent(secrets[0]!)}`;
  return [
    ...statuses.map((status): [string, Fault] => [
      `${status} echoing`,
      { kind: 'status', status, body: echoingBody(`denied for ${secrets.join(' and ')} at ${url}?accessTokenId=${secrets[0]} (${relative})`), contentType: 'application/json', headers: RETRY_NOW },
    ]),
    ...Object.entries(ENCODINGS).map(([name, encode]): [string, Fault] => [
      `401 echoing every credential ${name}`,
      { kind: 'status', status: 401, body: echoingBody(`denied for ${secrets.map(encode).join(' and ')}`), contentType: 'application/json' },
    ]),
  ];
}

function faults(secrets: string[], url: string): Array<[string, Fault]> {
  const statuses = [400, 401, 403, 404, 409, 429, 500, 502, 503, 504];
  return [
    ...echoingFaults(secrets, url),
    ...statuses.map((status): [string, Fault] => [`${status} own body`, { kind: 'status', status, headers: RETRY_NOW }]),
    ['200 not JSON, echoing', { kind: 'body', body: `<html>${secrets.join(' ')}</html>`, contentType: 'text/html' }],
    ['200 wrong shape, echoing', { kind: 'body', body: JSON.stringify({ id: secrets[0], name: 42, tenant: secrets[1] }), contentType: 'application/json' }],
    ['200 list of wrong shape', { kind: 'body', body: JSON.stringify([{ id: secrets[0] }]), contentType: 'application/json' }],
    ['malformed', { kind: 'malformed' }],
    ['hang', { kind: 'hang' }],
    ['reset', { kind: 'reset' }],
    ['reset mid-body', { kind: 'resetMidBody' }],
    ['oversize', { kind: 'oversize', bytes: 2 * MAX_UPSTREAM_BODY_BYTES }],
  ];
}

const logs: string[] = [];
const responses: string[] = [];
let staticStack: Stack;
let forwardingStack: Stack;

beforeAll(async () => {
  const logger = createLogger('trace', { destination: { write: (line: string) => void logs.push(line) } });
  [staticStack, forwardingStack] = await Promise.all([
    startStack({ credentials: STATIC, apiKeys: [API_KEY], logger, timeoutMs: 300, limits: { maxUpstreamBodyBytes: MAX_UPSTREAM_BODY_BYTES } }),
    startStack({ forwardHeaders: HEADERS, apiKeys: [API_KEY], logger, timeoutMs: 300, limits: { maxUpstreamBodyBytes: MAX_UPSTREAM_BODY_BYTES } }),
  ]);
});
afterAll(async () => {
  await Promise.all([staticStack?.close(), forwardingStack?.close()]);
});

async function drive(stack: Stack, headers: Record<string, string>, secrets: Record<UpstreamName, string>) {
  for (const [upstream, field] of FIELDS) {
    const url = stack.upstreams[upstream].baseUrl;
    for (const [name, fault] of faults(Object.values(secrets), url)) {
      stack.reset();
      stack.upstreams[upstream].inject({ fault });
      const response = await stack.query(...operation([field]), headers);
      expect(response.status, `${field} ${name}`).toBe(200);
      responses.push(JSON.stringify(response.body));
      // The upstreams whose error texts reach clients show this one, credentials cut out: the search below is not vacuous.
      if (name.startsWith('401 echoing') && upstream !== 'games') expect(JSON.stringify(response.body), `${field} ${name}`).toMatch(/denied for \[redacted\]/);
    }
  }
  // And with no fault: each upstream refuses the distinctive credential as unknown (Crafter echoes it).
  stack.reset();
  const all = await stack.query(...operation(FIELDS.map(([, field]) => field)), headers);
  expect(all.body.errors?.length).toBeGreaterThanOrEqual(FIELDS.length);
  responses.push(JSON.stringify(all.body));
}

describe('secrets', () => {
  it('never appear in a response or a log line, on any error path of any source', async () => {
    await drive(staticStack, {}, STATIC);
    const forwarded = Object.fromEntries(Object.entries(HEADERS).map(([upstream, header]) => [header, FORWARDED[upstream as UpstreamName]]));
    await drive(forwardingStack, forwarded, FORWARDED);
    // Missing forwarded headers, tokengraph keys that are wrong, missing or sent as another scheme.
    responses.push(JSON.stringify((await forwardingStack.query(...operation(FIELDS.map(([, f]) => f)))).body));
    for (const authorization of [`Bearer ${WRONG_KEY}`, `Basic ${WRONG_KEY}`, WRONG_KEY, `Bearer ${API_KEY}x`]) {
      const response = await fetch(staticStack.url, { method: 'POST', headers: { 'content-type': 'application/json', authorization }, body: '{"query":"{ __typename }"}' });
      expect(response.status).toBe(401);
      responses.push(await response.text());
    }
    // Something was exercised and written: the search below is not vacuous.
    expect(responses.length).toBeGreaterThan(2 * FIELDS.length * 25);
    expect(responses.join('\n')).toMatch(/\[redacted\]/);
    const everything = [...responses, ...logs].join('\n');
    for (const secret of SECRETS) {
      for (const echo of encodings(secret)) expect(everything.split('\n').filter((line) => line.includes(echo)), `${secret} as ${echo}`).toEqual([]);
    }
    expect(everything).not.toMatch(/accessTokenId=/);
    // No URL with a query string (where Crafter's credential travels) anywhere.
    expect(everything).not.toMatch(/https?:\/\/[^\s"]*[?#]/);
  });
});
