/**
 * Every token DEMO_REFS names is still answered by its own upstream's endpoint, exactly as the data
 * holds it, now that the fakes also serve lists; and the list endpoints are wired to the same data.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CREDENTIALS, DEMO_REFS, demoData } from '../../../src/demo/demoData.js';
import { startDemoUpstreams, type DemoUpstreams } from '../../../src/demo/startDemoUpstreams.js';
import { get } from './get.js';

const NOW = new Date();
const data = demoData(NOW);

let demo: DemoUpstreams;
beforeAll(async () => {
  demo = await startDemoUpstreams({ now: NOW });
});
afterAll(() => demo.close());

const seg = encodeURIComponent;

describe('each DEMO_REFS token from its single-token endpoint', () => {
  it.each(DEMO_REFS.map((ref) => [`${ref.source} ${ref.tokenId}`, ref] as const))('%s', async (_, ref) => {
    switch (ref.source) {
      case 'CRAFTER_TICKET': {
        const before = Date.now();
        const answer = await get(demo.crafterProfile.baseUrl, `/api/1/authentication/ticket/${seg(ref.tokenId)}?accessTokenId=${DEMO_CREDENTIALS.crafterProfile}`);
        expect(answer.status).toBe(200);
        // Crafter sets lastRequestTime to the time of the read (AuthenticationServiceImpl.getTicket).
        const { lastRequestTime, ...ticket } = data.crafterProfile.tickets.find((x) => x.id === ref.tokenId)!;
        expect(answer.body).toEqual({ ...ticket, lastRequestTime: expect.any(Number) });
        expect(answer.body.lastRequestTime).toBeGreaterThanOrEqual(before);
        expect(lastRequestTime).toBeLessThan(before);
        return;
      }
      case 'CRAFTER_ACCESS_TOKEN': {
        // Crafter has no single-token endpoint: the list is how an access token is read.
        const answer = await get(demo.crafterProfile.baseUrl, `/api/1/access_token/all?accessTokenId=${DEMO_CREDENTIALS.crafterProfile}`);
        expect(answer.status).toBe(200);
        expect(answer.body).toContainEqual(data.crafterProfile.accessTokens.find((x) => x.id === ref.tokenId));
        return;
      }
      case 'ASTRA': {
        const answer = await get(demo.astra.baseUrl, `/accounts/${seg(ref.accountId!)}/core/v1/users/${seg(ref.userId!)}/tokens/${seg(ref.tokenId)}`, {
          authorization: `Bearer ${DEMO_CREDENTIALS.astra}`,
        });
        expect(answer.status).toBe(200);
        expect(answer.contentType).toBe('application/astra-token+json');
        expect(answer.body).toEqual(data.astra.find((e) => e.token.id === ref.tokenId)!.token);
        return;
      }
      case 'NETBIRD': {
        const answer = await get(demo.netbird.baseUrl, `/api/users/${seg(ref.userId!)}/tokens/${seg(ref.tokenId)}`, { authorization: `Token ${DEMO_CREDENTIALS.netbird}` });
        expect(answer.status).toBe(200);
        expect(answer.body).toEqual(data.netbird.find((e) => e.token.id === ref.tokenId)!.token);
        return;
      }
      case 'GAME': {
        const answer = await get(demo.games.baseUrl, `/v1/tokens/${seg(ref.tokenId)}`, { authorization: `Bearer ${DEMO_CREDENTIALS.games}` });
        expect(answer.status).toBe(200);
        expect(answer.body).toEqual(data.games.find((x) => x.TokenSourceId === ref.tokenId));
        return;
      }
    }
  });
});

it('the list endpoints serve the same data', async () => {
  const users = await get(demo.netbird.baseUrl, '/api/users', { authorization: `Token ${DEMO_CREDENTIALS.netbird}` });
  // Every user of the demo's account but the non-deletable one, which NetBird leaves out.
  expect(users.body).toHaveLength(data.netbirdUsers.filter((u) => !u.non_deletable && !u.account).length);
  const astraUsers = await get(demo.astra.baseUrl, '/accounts/globex/core/v1/users', { authorization: `Bearer ${DEMO_CREDENTIALS.astra}` });
  expect(astraUsers.body.items).toEqual(data.astraUsers.filter((u) => u.accountId === 'globex').map((u) => u.user));
});
