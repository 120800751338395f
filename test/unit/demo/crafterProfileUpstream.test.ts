/**
 * The Crafter Profile fake over real HTTP, against what craftercms/profile's own source does
 * (contract §10; the files named in src/demo/crafterProfileUpstream.ts): here, a credential whose
 * `tenantPermissions` is null, as Crafter stores a token created without them.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { DEMO_CREDENTIALS, demoData, type DemoCrafterProfile } from '../../../src/demo/demoData.js';
import { startCrafterProfileUpstream } from '../../../src/demo/crafterProfileUpstream.js';
import type { FakeUpstream } from '../../../src/demo/fakeUpstream.js';
import { get } from './get.js';

const NOW = new Date();
/** legacy-widget: not a master token, `tenantPermissions: null`. */
const NULL_PERMISSIONS = '5c1d9e2f-3a4b-4c6d-8e7f-9a0b1c2d3e4f';
/** reports: `allowedActions: null` on the default tenant. */
const NULL_ACTIONS = '7a8b9c0d-1e2f-4a3b-8c4d-5e6f7a8b9c0d';
const TICKET = '2e911e0b-ac47-423e-9174-4e8896f1b387';
/** Crafter Profile's 500 as seeds 000 and 001 document it. */
const INTERNAL_ERROR = { status: 500, contentType: 'application/json;charset=UTF-8', text: '{ "message" : "Internal server error" }' };

let crafter: FakeUpstream | undefined;
afterEach(async () => {
  await crafter?.close();
  crafter = undefined;
});

async function start(data: DemoCrafterProfile = demoData(NOW).crafterProfile) {
  crafter = await startCrafterProfileUpstream({ data });
  return { data, url: crafter.url };
}
const ticketPath = (id: string, accessTokenId: string) => `/crafter-profile/api/1/authentication/ticket/${id}?accessTokenId=${accessTokenId}`;

describe('a credential with null tenantPermissions (TenantPermissionResolver.getPermission loops over them)', () => {
  it('reading a ticket: 500, the NullPointerException no ExceptionHandlers entry maps; the ticket is not touched', async () => {
    const { data, url } = await start();
    const before = data.tickets.find((t) => t.id === TICKET)!.lastRequestTime;
    const answer = await get(url, ticketPath(TICKET, NULL_PERMISSIONS));
    expect({ status: answer.status, contentType: answer.contentType, text: answer.text }).toEqual(INTERNAL_ERROR);
    expect(data.tickets.find((t) => t.id === TICKET)!.lastRequestTime).toBe(before);
  });

  it('invalidating a ticket: 500, and the ticket stays', async () => {
    const { data, url } = await start();
    const response = await fetch(`${url}${ticketPath(TICKET, NULL_PERMISSIONS).replace('?', '/invalidate?')}`, { method: 'POST' });
    expect({ status: response.status, contentType: response.headers.get('content-type'), text: await response.text() }).toEqual(INTERNAL_ERROR);
    expect(data.tickets.map((t) => t.id)).toContain(TICKET);
  });

  it('a master token too: the tenant check runs whatever `master` says', async () => {
    const data = demoData(NOW).crafterProfile;
    data.accessTokens.find((t) => t.id === DEMO_CREDENTIALS.crafterProfile)!.tenantPermissions = null;
    const { url } = await start(data);
    expect((await get(url, ticketPath(TICKET, DEMO_CREDENTIALS.crafterProfile))).status).toBe(500);
  });

  it('what never reaches the tenant check answers as before: an unknown ticket 404 NO_SUCH_TICKET, the token list 403 ACTION_DENIED', async () => {
    const { url } = await start();
    expect(await get(url, ticketPath('no-such-ticket', NULL_PERMISSIONS))).toMatchObject({ status: 404, body: { errorCode: 'NO_SUCH_TICKET' } });
    expect(await get(url, `/crafter-profile/api/1/access_token/all?accessTokenId=${NULL_PERMISSIONS}`)).toMatchObject({
      status: 403,
      body: { errorCode: 'ACTION_DENIED', message: 'Current subject does not have permission to execute global action "READ_TOKEN"' },
    });
  });

  it('null allowedActions is not that: DefaultPermission.isAllowed is false for them, 403 ACTION_DENIED', async () => {
    const { url } = await start();
    expect(await get(url, ticketPath(TICKET, NULL_ACTIONS))).toMatchObject({ status: 403, body: { errorCode: 'ACTION_DENIED' } });
  });
});

describe('a path no handler serves', () => {
  it.each(['/crafter-profile/api/1/authentication/tickets/x', '/api/1/authentication/ticket/x', '/crafter-profil/api/1/access_token/all'])(
    "%s: Tomcat's 404 page, never an errorCode of Crafter's",
    async (path) => {
      const { url } = await start();
      const answer = await get(url, `${path}?accessTokenId=${DEMO_CREDENTIALS.crafterProfile}`);
      expect([answer.status, answer.contentType, answer.body]).toEqual([404, 'text/html;charset=utf-8', undefined]);
      expect(answer.text).toContain('<title>HTTP Status 404 – Not Found</title>');
    },
  );
});
