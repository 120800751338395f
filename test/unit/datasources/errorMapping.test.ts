/**
 * Each source's answer for each status, with that API's own error body, mapped to the
 * contract's codes and `extensions.upstream`. The HTTP itself is exercised by the
 * integration tests; here a stub client hands each source's read a canned answer.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_RESILIENCE } from '../../../src/config/readConfig.js';
import { astraApi, astraTokens } from '../../../src/datasources/astra.js';
import { crafterProfileApi, crafterTickets, readAccessTokens } from '../../../src/datasources/crafterProfile.js';
import { gamesApi, gameTokens } from '../../../src/datasources/games.js';
import { netbirdApi, netbirdTokens } from '../../../src/datasources/netbird.js';
import { SourceClient, type UpstreamApi } from '../../../src/datasources/sourceClient.js';
import { SourceGuard } from '../../../src/datasources/sourceGuard.js';
import { readToken } from '../../../src/datasources/tokenSource.js';
import type { UpstreamClient, UpstreamResponse } from '../../../src/datasources/upstreamClient.js';
import { UpstreamCredential } from '../../../src/datasources/upstreamCredential.js';
import { codeForStatus, type ErrorCode } from '../../../src/shared/errors.js';
import type { SourceName, UpstreamName } from '../../../src/sources.js';

const SECRET = 'e8f5170c-877b-416f-b70f-4b09772f8e2d';

/** A source's client over a stub that hands it one canned answer; no retries, so each case is exactly that answer. */
function client(source: SourceName, upstream: UpstreamName, api: UpstreamApi, status: number, body: string, contentType = 'application/json'): SourceClient {
  const response: UpstreamResponse = { status, body, contentType };
  return new SourceClient(source, {
    api,
    client: { request: async () => response } as unknown as UpstreamClient,
    credential: new UpstreamCredential(upstream, { credential: SECRET }),
    guard: new SourceGuard(source, { ...DEFAULT_RESILIENCE, retries: 0 }),
  });
}

const ticket = (status: number, body: string, contentType?: string) =>
  readToken(client('CRAFTER_TICKET', 'crafterProfile', crafterProfileApi, status, body, contentType), crafterTickets, { source: 'CRAFTER_TICKET', tokenId: 't' }, {});
const accessTokens = (status: number, body: string) => readAccessTokens(client('CRAFTER_ACCESS_TOKEN', 'crafterProfile', crafterProfileApi, status, body), {});
const astra = (status: number, body: string, contentType?: string) =>
  readToken(client('ASTRA', 'astra', astraApi, status, body, contentType), astraTokens, { source: 'ASTRA', accountId: 'a', userId: 'u', tokenId: 't' }, {});
const netbird = (status: number, body: string, contentType?: string) =>
  readToken(client('NETBIRD', 'netbird', netbirdApi, status, body, contentType), netbirdTokens, { source: 'NETBIRD', userId: 'u', tokenId: 't' }, {});
const game = (status: number, body: string, contentType?: string) => readToken(client('GAME', 'games', gamesApi, status, body, contentType), gameTokens, { source: 'GAME', tokenId: 't' }, {});

const crafterBody = (status: number) =>
  status === 500
    ? '{ "message" : "Internal server error" }'
    : JSON.stringify({ errorCode: 'ACTION_DENIED', message: `Denied for access token ${SECRET}` });
const astraBody = (status: number) =>
  JSON.stringify({ type: `https://astra.netapp.io/problems/${status}`, title: 'Problem', detail: `Problem with ${SECRET}`, status: String(status), correlationID: 'corr-1' });

interface Case {
  source: string;
  call(status: number): Promise<unknown>;
  expectedUpstream(status: number): Record<string, unknown>;
}

const cases: Case[] = [
  {
    source: 'CRAFTER_TICKET',
    call: (status) => ticket(status, crafterBody(status)),
    expectedUpstream: (status) =>
      status === 500
        ? { source: 'CRAFTER_TICKET', status, detail: 'Internal server error' }
        : { source: 'CRAFTER_TICKET', status, errorCode: 'ACTION_DENIED', detail: 'Denied for access token [redacted]' },
  },
  {
    source: 'CRAFTER_ACCESS_TOKEN',
    call: (status) => accessTokens(status, crafterBody(status)),
    expectedUpstream: (status) =>
      status === 500
        ? { source: 'CRAFTER_ACCESS_TOKEN', status, detail: 'Internal server error' }
        : { source: 'CRAFTER_ACCESS_TOKEN', status, errorCode: 'ACTION_DENIED', detail: 'Denied for access token [redacted]' },
  },
  {
    source: 'ASTRA',
    call: (status) => astra(status, astraBody(status), 'application/problem+json'),
    expectedUpstream: (status) => ({ source: 'ASTRA', status, correlationId: 'corr-1', detail: 'Problem with [redacted]' }),
  },
  {
    source: 'NETBIRD',
    call: (status) => netbird(status, JSON.stringify({ message: 'nope', code: status })),
    expectedUpstream: (status) => ({ source: 'NETBIRD', status, detail: 'nope' }),
  },
  {
    source: 'GAME',
    call: (status) => game(status, JSON.stringify({ Message: 'Authorization has been denied for this request.' })),
    expectedUpstream: (status) => ({ source: 'GAME', status }),
  },
];

const STATUSES: Array<[number, ErrorCode]> = [
  [400, 'UPSTREAM_BAD_REQUEST'],
  [401, 'UPSTREAM_UNAUTHORIZED'],
  [403, 'UPSTREAM_FORBIDDEN'],
  [409, 'UPSTREAM_ERROR'],
  [429, 'UPSTREAM_UNAVAILABLE'],
  [500, 'UPSTREAM_ERROR'],
  [502, 'UPSTREAM_ERROR'],
  [503, 'UPSTREAM_UNAVAILABLE'],
  [504, 'UPSTREAM_TIMEOUT'],
  [302, 'UPSTREAM_ERROR'],
];

describe('codeForStatus', () => {
  it.each(STATUSES)('maps %i to %s', (status, code) => {
    expect(codeForStatus(status)).toBe(code);
  });
});

describe.each(cases)('$source error mapping', ({ call, expectedUpstream }) => {
  it.each(STATUSES)('status %i → %s with extensions.upstream', async (status, code) => {
    const error = await call(status).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ extensions: { code, upstream: expectedUpstream(status) } });
    expect(JSON.stringify(error)).not.toContain(SECRET);
    expect((error as Error).message).not.toContain(SECRET);
  });
});

describe('a refused credential', () => {
  it.each([
    ['a 401', () => game(401, ''), 'GAME', 401],
    ["Crafter's 403 ACCESS_DENIED", () => ticket(403, '{"errorCode":"ACCESS_DENIED","message":"No access token found"}'), 'CRAFTER_TICKET', 403],
    ["NetBird's 404 invalid token", () => netbird(404, '{"message":"invalid token: pat: abc not found","code":404}'), 'NETBIRD', 404],
  ])('%s is UPSTREAM_UNAUTHORIZED, its message naming the status the upstream answered', async (_, call, source, status) => {
    await expect(call()).rejects.toMatchObject({
      message: `${source} did not accept the credential tokengraph sent (${status})`,
      extensions: { code: 'UPSTREAM_UNAUTHORIZED', upstream: { source, status } },
    });
  });
});

describe('not found', () => {
  it.each([
    ['Crafter NO_SUCH_TICKET with status 404 (3.0.1 on)', () => ticket(404, '{"errorCode":"NO_SUCH_TICKET","message":"No ticket"}')],
    ['Crafter NO_SUCH_TICKET with status 400', () => ticket(400, '{"errorCode":"NO_SUCH_TICKET","message":"No ticket"}')],
    ['Crafter NO_SUCH_TICKET with status 500', () => ticket(500, '{"errorCode":"NO_SUCH_TICKET","message":"No ticket"}')],
    ['Crafter NO_SUCH_TICKET with status 200', () => ticket(200, '{"errorCode":"NO_SUCH_TICKET"}')],
    ['Crafter before 3.0.1: 200 with an empty body', () => ticket(200, '')],
    ["Astra's problem 2", () => astra(404, JSON.stringify({ type: 'https://astra.netapp.io/problems/2', title: 'Collection not found', detail: 'x', status: '404' }), 'application/problem+json')],
    ["Astra's problem 1", () => astra(404, JSON.stringify({ type: 'https://astra.netapp.io/problems/1', title: 'Resource not found', detail: 'x', status: '404' }), 'application/problem+json')],
    ['NetBird 404 pat: <id> not found', () => netbird(404, '{"message":"pat: t not found","code":404}')],
    ["Games 404, Web API's NotFound() (no body)", () => game(404, '')],
    ['Games 404 with a Web API error body', () => game(404, '{"Message":"Token t was not found."}')],
    ['Games 404 with a Web API error body in XML', () => game(404, '<Error><Message>Token t was not found.</Message></Error>', 'application/xml')],
  ])('%s is null, not an error', async (_, call) => {
    await expect(call()).resolves.toBeNull();
  });

  it.each([
    ["Crafter: Tomcat's page", () => ticket(404, '<!doctype html><html><head><title>HTTP Status 404 – Not Found</title></head></html>', 'text/html')],
    ['Crafter: an empty 404', () => ticket(404, '')],
    ["Crafter on Spring 6.1: No endpoint (errorCode OTHER)", () => ticket(404, '{"errorCode":"OTHER","message":"No endpoint GET /crafter-profile/api/1/x."}')],
    ["Astra: a proxy's page", () => astra(404, '<html><body><h1>404 Not Found</h1></body></html>', 'text/html')],
    ['Astra: a problem of another type', () => astra(404, astraBody(404), 'application/problem+json')],
    ["NetBird: gorilla/mux's 404 page not found", () => netbird(404, '404 page not found\n', 'text/plain')],
    ["NetBird: a proxy's page", () => netbird(404, '<html><body><h1>404 Not Found</h1></body></html>', 'text/html')],
    ["Games: Web API's no-route answer", () => game(404, '{"Message":"No HTTP resource was found that matches the request URI \'http://h/v2/tokens/t\'."}')],
    ["Games: Web API's no-route answer in XML", () => game(404, "<Error><Message>No HTTP resource was found that matches the request URI 'http://h/v2/tokens/t'.</Message></Error>", 'application/xml')],
    ["Games: IIS's page", () => game(404, '<!DOCTYPE html><html><head><title>IIS 10.0 Detailed Error - 404.0 - Not Found</title></head></html>', 'text/html')],
  ])("a 404 that is not the upstream's own not-found, %s, is UPSTREAM_ERROR", async (_, call) => {
    await expect(call()).rejects.toMatchObject({ extensions: { code: 'UPSTREAM_ERROR', upstream: { status: 404 } } });
  });

  it('a 404 from access_token/all is an error: the endpoint itself is missing', async () => {
    await expect(accessTokens(404, '')).rejects.toMatchObject({
      extensions: { code: 'UPSTREAM_ERROR', upstream: { source: 'CRAFTER_ACCESS_TOKEN', status: 404 } },
    });
  });
});

describe('bodies that do not fit', () => {
  it.each([
    ['NetBird: not JSON', () => netbird(200, '<html>oops</html>', 'text/html')],
    ['NetBird: cut off', () => netbird(200, '{"id":"t","na')],
    ['NetBird: missing name', () => netbird(200, '{"id":"t","created_by":"x"}')],
    ['NetBird: a date that is an object', () => netbird(200, '{"id":"t","name":"n","created_by":"x","created_at":{}}')],
    ['Crafter list: an object, not a list', () => accessTokens(200, '{}')],
    ['Games: XML with a DOCTYPE', () => game(200, '<!DOCTYPE x [<!ENTITY a "b">]><Token><TokenSourceId>&a;</TokenSourceId></Token>', 'application/xml')],
    ['Games: XML that is not a Token', () => game(200, '<Other><TokenSourceId>t</TokenSourceId></Other>', 'application/xml')],
    ['Games: broken XML', () => game(200, '<Token><TokenSourceId>t</Token>', 'application/xml')],
  ])('%s → UPSTREAM_INVALID_RESPONSE', async (_, call) => {
    await expect(call()).rejects.toMatchObject({ extensions: { code: 'UPSTREAM_INVALID_RESPONSE' } });
  });

  it('accepts a body that fits whatever its content type says', async () => {
    const body = '{"id":"t","name":"n","created_by":"x","created_at":"2023-04-26T12:12:56.621Z","expiration_date":"2023-04-26T12:12:56.621Z"}';
    await expect(netbird(200, body, 'text/plain')).resolves.toMatchObject({ id: 't' });
  });

  it('reads the Games XML of the seed, with nil values', async () => {
    const xml = `<Token xmlns:i="http://www.w3.org/2001/XMLSchema-instance" xmlns="http://schemas.datacontract.org/2004/07/ITAGroup.Games.Api.Contracts.v1.Models">
  <ExpirationDate>2025-12-11T11:08:30.8449349-06:00</ExpirationDate>
  <GameIconUrl>sample string 6</GameIconUrl>
  <GameName>sample &amp; string 5</GameName>
  <GamePlayKey>f64d1c6d-c546-43fc-89d5-94edd84b2a6b</GamePlayKey>
  <GameSourceId>00123</GameSourceId>
  <IssueDate>2025-12-11T11:08:30.8449349-06:00</IssueDate>
  <ParticipantSourceId>sample string 3</ParticipantSourceId>
  <Reason i:nil="true"/>
  <TokenSourceId>sample string 1</TokenSourceId>
</Token>`;
    await expect(game(200, xml, 'text/xml')).resolves.toEqual({
      ExpirationDate: '2025-12-11T11:08:30.8449349-06:00',
      GameIconUrl: 'sample string 6',
      GameName: 'sample & string 5',
      GamePlayKey: 'f64d1c6d-c546-43fc-89d5-94edd84b2a6b',
      GameSourceId: '00123',
      IssueDate: '2025-12-11T11:08:30.8449349-06:00',
      ParticipantSourceId: 'sample string 3',
      Reason: null,
      TokenSourceId: 'sample string 1',
    });
  });
});
