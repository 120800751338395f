/**
 * Each source's answer for each status, with that API's own error body, mapped to the
 * contract's codes and `extensions.upstream`. The HTTP itself is exercised by the
 * integration tests; here a stub client hands each datasource a canned answer.
 */
import { describe, expect, it } from 'vitest';
import { AstraAPI } from '../../../src/datasources/astra.js';
import { CrafterProfileAPI } from '../../../src/datasources/crafterProfile.js';
import { GamesAPI } from '../../../src/datasources/games.js';
import { NetbirdAPI } from '../../../src/datasources/netbird.js';
import type { UpstreamClient, UpstreamResponse } from '../../../src/datasources/upstreamClient.js';
import { DEFAULT_RESILIENCE, SourceGuard } from '../../../src/datasources/sourceGuard.js';
import { codeForStatus, type ErrorCode } from '../../../src/shared/errors.js';
import type { UpstreamName } from '../../../src/config/readConfig.js';
import { UpstreamCredential } from '../../../src/datasources/upstreamCredential.js';

const SECRET = 'e8f5170c-877b-416f-b70f-4b09772f8e2d';

const cred = (upstream: UpstreamName) => new UpstreamCredential(upstream, { credential: SECRET });

/** No retries: each case is exactly one canned answer. */
const guard = () => new SourceGuard('NETBIRD', { ...DEFAULT_RESILIENCE, retries: 0 });
const crafterGuards = () => ({ ticket: guard(), accessTokens: guard() });

function stub(status: number, body: string, contentType = 'application/json'): UpstreamClient {
  const response: UpstreamResponse = { status, body, contentType };
  return { get: async () => response } as unknown as UpstreamClient;
}

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
    call: (status) => new CrafterProfileAPI({ client: stub(status, crafterBody(status)), guards: crafterGuards(), credential: cred('crafterProfile') }).getTicket('t'),
    expectedUpstream: (status) =>
      status === 500
        ? { source: 'CRAFTER_TICKET', status, detail: 'Internal server error' }
        : { source: 'CRAFTER_TICKET', status, errorCode: 'ACTION_DENIED', detail: 'Denied for access token [redacted]' },
  },
  {
    source: 'CRAFTER_ACCESS_TOKEN',
    call: (status) => new CrafterProfileAPI({ client: stub(status, crafterBody(status)), guards: crafterGuards(), credential: cred('crafterProfile') }).getAccessTokens(),
    expectedUpstream: (status) =>
      status === 500
        ? { source: 'CRAFTER_ACCESS_TOKEN', status, detail: 'Internal server error' }
        : { source: 'CRAFTER_ACCESS_TOKEN', status, errorCode: 'ACTION_DENIED', detail: 'Denied for access token [redacted]' },
  },
  {
    source: 'ASTRA',
    call: (status) =>
      new AstraAPI({ client: stub(status, astraBody(status), 'application/problem+json'), guard: guard(), credential: cred('astra') }).getToken({ accountId: 'a', userId: 'u', tokenId: 't' }),
    expectedUpstream: (status) => ({ source: 'ASTRA', status, correlationId: 'corr-1', detail: 'Problem with [redacted]' }),
  },
  {
    source: 'NETBIRD',
    call: (status) => new NetbirdAPI(stub(status, JSON.stringify({ message: 'nope', code: status })), guard(), cred('netbird')).getToken({ userId: 'u', tokenId: 't' }),
    expectedUpstream: (status) => ({ source: 'NETBIRD', status }),
  },
  {
    source: 'GAME',
    call: (status) => new GamesAPI(stub(status, JSON.stringify({ Message: 'Authorization has been denied for this request.' })), guard(), cred('games')).getToken('t'),
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

describe('not found', () => {
  it.each([
    ['Crafter ticket 404', () => new CrafterProfileAPI({ client: stub(404, ''), guards: crafterGuards(), credential: cred('crafterProfile') }).getTicket('t')],
    [
      'Crafter NO_SUCH_TICKET with status 400',
      () => new CrafterProfileAPI({ client: stub(400, '{"errorCode":"NO_SUCH_TICKET","message":"No ticket"}'), guards: crafterGuards(), credential: cred('crafterProfile') }).getTicket('t'),
    ],
    [
      'Crafter NO_SUCH_TICKET with status 500',
      () => new CrafterProfileAPI({ client: stub(500, '{"errorCode":"NO_SUCH_TICKET","message":"No ticket"}'), guards: crafterGuards(), credential: cred('crafterProfile') }).getTicket('t'),
    ],
    [
      'Crafter NO_SUCH_TICKET with status 200',
      () => new CrafterProfileAPI({ client: stub(200, '{"errorCode":"NO_SUCH_TICKET"}'), guards: crafterGuards(), credential: cred('crafterProfile') }).getTicket('t'),
    ],
    ['Astra 404', () => new AstraAPI({ client: stub(404, astraBody(404)), guard: guard(), credential: cred('astra') }).getToken({ accountId: 'a', userId: 'u', tokenId: 't' })],
    ['NetBird 404', () => new NetbirdAPI(stub(404, '{"message":"not found","code":404}'), guard(), cred('netbird')).getToken({ userId: 'u', tokenId: 't' })],
    ['Games 404', () => new GamesAPI(stub(404, '{"Message":"No HTTP resource"}'), guard(), cred('games')).getToken('t')],
  ])('%s is null, not an error', async (_, call) => {
    await expect(call()).resolves.toBeNull();
  });

  it('a 404 from access_token/all is an error: the endpoint itself is missing', async () => {
    await expect(new CrafterProfileAPI({ client: stub(404, ''), guards: crafterGuards(), credential: cred('crafterProfile') }).getAccessTokens()).rejects.toMatchObject({
      extensions: { code: 'UPSTREAM_ERROR', upstream: { source: 'CRAFTER_ACCESS_TOKEN', status: 404 } },
    });
  });
});

describe('bodies that do not fit', () => {
  it.each([
    ['NetBird: not JSON', () => new NetbirdAPI(stub(200, '<html>oops</html>', 'text/html'), guard(), cred('netbird')).getToken({ userId: 'u', tokenId: 't' })],
    ['NetBird: cut off', () => new NetbirdAPI(stub(200, '{"id":"t","na'), guard(), cred('netbird')).getToken({ userId: 'u', tokenId: 't' })],
    ['NetBird: missing name', () => new NetbirdAPI(stub(200, '{"id":"t","created_by":"x"}'), guard(), cred('netbird')).getToken({ userId: 'u', tokenId: 't' })],
    ['NetBird: a date that is an object', () => new NetbirdAPI(stub(200, '{"id":"t","name":"n","created_by":"x","created_at":{}}'), guard(), cred('netbird')).getToken({ userId: 'u', tokenId: 't' })],
    ['Crafter list: an object, not a list', () => new CrafterProfileAPI({ client: stub(200, '{}'), guards: crafterGuards(), credential: cred('crafterProfile') }).getAccessTokens()],
    ['Games: XML with a DOCTYPE', () => new GamesAPI(stub(200, '<!DOCTYPE x [<!ENTITY a "b">]><Token><TokenSourceId>&a;</TokenSourceId></Token>', 'application/xml'), guard(), cred('games')).getToken('t')],
    ['Games: XML that is not a Token', () => new GamesAPI(stub(200, '<Other><TokenSourceId>t</TokenSourceId></Other>', 'application/xml'), guard(), cred('games')).getToken('t')],
    ['Games: broken XML', () => new GamesAPI(stub(200, '<Token><TokenSourceId>t</Token>', 'application/xml'), guard(), cred('games')).getToken('t')],
  ])('%s → UPSTREAM_INVALID_RESPONSE', async (_, call) => {
    await expect(call()).rejects.toMatchObject({ extensions: { code: 'UPSTREAM_INVALID_RESPONSE' } });
  });

  it('accepts a body that fits whatever its content type says', async () => {
    const body = '{"id":"t","name":"n","created_by":"x","created_at":"2023-04-26T12:12:56.621Z","expiration_date":"2023-04-26T12:12:56.621Z"}';
    await expect(new NetbirdAPI(stub(200, body, 'text/plain'), guard(), cred('netbird')).getToken({ userId: 'u', tokenId: 't' })).resolves.toMatchObject({ id: 't' });
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
    await expect(new GamesAPI(stub(200, xml, 'text/xml'), guard(), cred('games')).getToken('t')).resolves.toEqual({
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
