/**
 * The Astra fake's users and token lists, over real HTTP: pages of at most 25 linked by an opaque
 * `metadata.continue`, and Astra's problem documents when something is wrong.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAstraUpstream } from '../../../src/demo/astraUpstream.js';
import { DEMO_ASTRA_ACCOUNTS, DEMO_CREDENTIALS, demoData } from '../../../src/demo/demoData.js';
import type { FakeUpstream } from '../../../src/demo/fakeUpstream.js';
import { get, type GotAnswer } from './get.js';

const NOW = new Date();
const data = demoData(NOW);
const AUTH = { authorization: `Bearer ${DEMO_CREDENTIALS.astra}` };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

let astra: FakeUpstream;
beforeAll(async () => {
  astra = await startAstraUpstream({ data: data.astra, users: data.astraUsers });
});
afterAll(() => astra.close());

const ask = (path: string, headers: Record<string, string> = AUTH) => get(astra.url, path, headers);

/** Follows `metadata.continue` from the first page to the last; every page as answered. */
async function walk(base: string, path: string): Promise<GotAnswer[]> {
  const pages: GotAnswer[] = [];
  let next: string | undefined = '';
  while (next !== undefined && pages.length < 50) {
    const page = await get(base, next === '' ? path : `${path}?continue=${encodeURIComponent(next)}`, AUTH);
    expect(page.status, page.text).toBe(200);
    pages.push(page);
    const cont: unknown = page.body.metadata.continue;
    if (cont !== undefined) {
      expect(typeof cont === 'string' && cont.length > 0, 'a continue is a non-empty string').toBe(true);
    }
    next = cont as string | undefined;
  }
  return pages;
}

const ids = (pages: GotAnswer[]) => pages.flatMap((p) => p.body.items.map((x: { id: string }) => x.id));
const sizes = (pages: GotAnswer[]) => pages.map((p) => p.body.items.length);

function expectProblem(answer: GotAnswer, status: number) {
  expect(answer.status).toBe(status);
  expect(answer.contentType).toBe('application/problem+json');
  expect(answer.body).toMatchObject({ type: expect.stringMatching(/^https:\/\/astra\.netapp\.io\/problems\//), title: expect.any(String), detail: expect.any(String), status: String(status) });
  expect(answer.body.correlationID).toMatch(UUID);
}

describe('GET /accounts/{accountId}/core/v1/users', () => {
  it('acme: 30 users in pages of 25 and 5, each once, in order; the last page\'s metadata is {}', async () => {
    const pages = await walk(astra.url, '/accounts/acme/core/v1/users');
    expect(sizes(pages)).toEqual([25, 5]);
    expect(pages.map((p) => p.contentType)).toEqual(['application/astra-users+json', 'application/astra-users+json']);
    expect(pages.flatMap((p) => p.body.items)).toEqual(data.astraUsers.filter((u) => u.accountId === 'acme').map((u) => u.user));
    expect(pages.at(-1)!.body.metadata).toEqual({});
    expect(ids(pages)[0]).toBe('ops-admin');
  });

  it('globex: 5 users, one page', async () => {
    const pages = await walk(astra.url, '/accounts/globex/core/v1/users');
    expect(sizes(pages)).toEqual([5]);
    expect(pages[0]!.body).toEqual({ items: data.astraUsers.filter((u) => u.accountId === 'globex').map((u) => u.user), metadata: {} });
  });

  it('user items are Astra user resources', async () => {
    const first = (await ask('/accounts/acme/core/v1/users')).body.items[0];
    expect(first).toEqual({
      type: 'application/astra-user',
      version: '1.2',
      id: 'ops-admin',
      firstName: 'Ops',
      lastName: 'Admin',
      email: 'ops.admin@acme.example',
      metadata: { labels: [], creationTimestamp: expect.stringMatching(/Z$/), modificationTimestamp: expect.stringMatching(/Z$/), createdBy: 'system' },
    });
  });
});

describe('GET /accounts/{accountId}/core/v1/users/{userId}/tokens', () => {
  it('acme/ops-admin: 30 tokens in pages of 25 and 5, astra-demo-1 and -2 first, each as its single-token answer', async () => {
    const pages = await walk(astra.url, '/accounts/acme/core/v1/users/ops-admin/tokens');
    expect(sizes(pages)).toEqual([25, 5]);
    expect(pages[0]!.contentType).toBe('application/astra-tokens+json');
    const tokens = pages.flatMap((p) => p.body.items);
    expect(tokens.slice(0, 2).map((x: { id: string }) => x.id)).toEqual(['astra-demo-1', 'astra-demo-2']);
    expect(new Set(ids(pages)).size).toBe(30);
    for (const token of tokens) {
      const single = await ask(`/accounts/acme/core/v1/users/ops-admin/tokens/${token.id}`);
      expect(single.status).toBe(200);
      expect(token).toEqual(single.body);
    }
  });

  it('globex/globex-admin: exactly 25 tokens, one full page with no continue', async () => {
    const first = await ask('/accounts/globex/core/v1/users/globex-admin/tokens');
    expect(first.body.items).toHaveLength(25);
    expect(first.body.metadata).toEqual({});
  });

  it('a user with no tokens: no items, no continue', async () => {
    const answer = await ask('/accounts/acme/core/v1/users/acme-u02/tokens');
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ items: [], metadata: {} });
  });

  it('walking every user of every account: acme 60 tokens, globex 35, each exactly once, no page over 25', async () => {
    const perAccount: Record<string, number> = {};
    const seen: string[] = [];
    const pageCounts: number[] = [];
    for (const accountId of DEMO_ASTRA_ACCOUNTS) {
      const users = ids(await walk(astra.url, `/accounts/${accountId}/core/v1/users`));
      perAccount[accountId] = 0;
      for (const userId of users) {
        const pages = await walk(astra.url, `/accounts/${accountId}/core/v1/users/${encodeURIComponent(userId)}/tokens`);
        pageCounts.push(pages.length);
        for (const size of sizes(pages)) expect(size).toBeLessThanOrEqual(25);
        perAccount[accountId] += ids(pages).length;
        seen.push(...ids(pages));
      }
    }
    expect(perAccount).toEqual({ acme: 60, globex: 35 });
    expect(seen.sort()).toEqual(data.astra.map((e) => e.token.id).sort());
    // 35 users: ops-admin's list has two pages, every other one.
    expect(pageCounts).toHaveLength(35);
    expect(pageCounts.filter((n) => n === 2)).toHaveLength(1);
  });
});

describe('continue', () => {
  it('is opaque standard base64 holding +, / and = (contract §10), different for each list', async () => {
    const users = (await ask('/accounts/acme/core/v1/users')).body.metadata.continue as string;
    const tokens = (await ask('/accounts/acme/core/v1/users/ops-admin/tokens')).body.metadata.continue as string;
    expect(users).toMatch(/^[A-Za-z0-9+/]{16,}={1,2}$/);
    for (const c of ['+', '/', '=']) expect(users).toContain(c);
    expect(users).not.toBe(tokens);
  });

  it('sent back without URL-encoding, its + read as spaces: 400, as Astra would refuse it', async () => {
    const users = (await ask('/accounts/acme/core/v1/users')).body.metadata.continue as string;
    expectProblem(await ask(`/accounts/acme/core/v1/users?continue=${users}`), 400);
  });

  it.each([
    ['garbage', 'not-a-continue-token'],
    ['a bare offset', '25'],
    ['an edited offset', Buffer.from(JSON.stringify({ v: 1, list: '["users","acme"]', offset: 'x' })).toString('base64url')],
    ['a negative offset', Buffer.from(JSON.stringify({ v: 1, list: '["users","acme"]', offset: -5 })).toString('base64url')],
  ])('%s: 400 problem naming the continue parameter', async (_, value) => {
    const answer = await ask(`/accounts/acme/core/v1/users?continue=${encodeURIComponent(value)}`);
    expectProblem(answer, 400);
    expect(answer.body.invalidParams).toEqual([{ name: 'continue', reason: 'Invalid value' }]);
  });

  it('one list\'s continue on another list: 400', async () => {
    const fromUsers = (await ask('/accounts/acme/core/v1/users')).body.metadata.continue as string;
    expectProblem(await ask(`/accounts/acme/core/v1/users/ops-admin/tokens?continue=${encodeURIComponent(fromUsers)}`), 400);
    expectProblem(await ask(`/accounts/globex/core/v1/users?continue=${encodeURIComponent(fromUsers)}`), 400);
  });

  it('pageSize is an option: 7 gives acme\'s users in pages of 7, 7, 7, 7, 2', async () => {
    const small = await startAstraUpstream({ data: data.astra, users: data.astraUsers, pageSize: 7 });
    try {
      const pages = await walk(small.url, '/accounts/acme/core/v1/users');
      expect(sizes(pages)).toEqual([7, 7, 7, 7, 2]);
      expect(new Set(ids(pages)).size).toBe(30);
    } finally {
      await small.close();
    }
  });
});

/** A problem document of astra.json (components/schemas/astra_problem_detail_<n>): its type, title and detail are fixed. */
const PROBLEM = {
  1: { type: 'https://astra.netapp.io/problems/1', title: 'Resource not found', detail: "The resource specified in the request URI wasn't found.", status: '404' },
  2: { type: 'https://astra.netapp.io/problems/2', title: 'Collection not found', detail: "The collection specified in the request URI wasn't found.", status: '404' },
  3: { type: 'https://astra.netapp.io/problems/3', title: 'Missing bearer token', detail: 'The request is missing the required bearer token.', status: '401' },
  4: { type: 'https://astra.netapp.io/problems/4', title: 'Invalid bearer token', detail: "The bearer token provided is invalid, revoked, or doesn't exist.", status: '401' },
  5: { type: 'https://astra.netapp.io/problems/5', title: 'Invalid query parameters', detail: 'The supplied query parameters are invalid.', status: '400' },
  10: { type: 'https://astra.netapp.io/problems/10', title: 'JSON resource conflict', detail: 'The request body JSON contains a field that conflicts with an idempotent value.', status: '409' },
  11: { type: 'https://astra.netapp.io/problems/11', title: 'Operation not permitted', detail: "The requested operation isn't permitted.", status: '403' },
  24: { type: 'https://astra.netapp.io/problems/24', title: 'Service unavailable', detail: 'The service is unavailable.', status: '503' },
  34: { type: 'https://astra.netapp.io/problems/34', title: 'Internal server error', detail: 'The server was unable to process this request.', status: '500' },
  40: { type: 'https://astra.netapp.io/problems/40', title: 'Communication failed', detail: "Communication wasn't made with downstream services.", status: '502' },
} as const;

describe('problem documents as astra.json defines them (type, title and detail of astra_problem_detail_<n>)', () => {
  const TOKEN = '/accounts/acme/core/v1/users/ops-admin/tokens/astra-demo-1';
  it.each<[string, keyof typeof PROBLEM, string, Record<string, string>]>([
    ['no bearer token', 3, TOKEN, {}],
    ['a wrong bearer token', 4, TOKEN, { authorization: 'Bearer not-the-demo-token' }],
    ['GET, an unknown account', 2, '/accounts/initech/core/v1/users', AUTH],
    ['GET, an unknown user', 2, '/accounts/acme/core/v1/users/nobody/tokens', AUTH],
    ['GET, an unknown token (GET 404s are astra_problem_detail_2 only)', 2, '/accounts/acme/core/v1/users/ops-admin/tokens/missing', AUTH],
  ])('%s: problem %s', async (_, number, path, headers) => {
    const answer = await ask(path, headers);
    expectProblem(answer, Number(PROBLEM[number].status));
    expect(answer.body).toEqual({ ...PROBLEM[number], correlationID: answer.body.correlationID });
  });

  it('DELETE of an unknown token: problem 1 (DELETE 404s are astra_problem_detail_1)', async () => {
    const response = await fetch(`${astra.url}/accounts/acme/core/v1/users/ops-admin/tokens/missing`, { method: 'DELETE', headers: AUTH });
    const body = (await response.json()) as Record<string, unknown>;
    expect([response.status, response.headers.get('content-type')]).toEqual([404, 'application/problem+json']);
    expect(body).toEqual({ ...PROBLEM[1], correlationID: body.correlationID });
  });

  it('a continue it did not make: problem 5, naming the parameter in invalidParams', async () => {
    const answer = await ask('/accounts/acme/core/v1/users?continue=not-a-continue-token');
    expect(answer.body).toEqual({ ...PROBLEM[5], correlationID: answer.body.correlationID, invalidParams: [{ name: 'continue', reason: 'Invalid value' }] });
  });

  it.each<[number, keyof typeof PROBLEM]>([
    [400, 5],
    [401, 4],
    [403, 11],
    [404, 2],
    [409, 10],
    [500, 34],
    [502, 40],
    [503, 24],
  ])('an injected %s on a GET with a bearer token: problem %s', async (status, number) => {
    astra.inject({ fault: { kind: 'status', status }, times: 1 });
    const answer = await ask(TOKEN);
    expectProblem(answer, status);
    expect(answer.body).toMatchObject(PROBLEM[number]);
  });

  it("an injected 429, which astra.json defines no problem for: RFC 7807's about:blank, titled with the status's phrase", async () => {
    astra.inject({ fault: { kind: 'status', status: 429 }, times: 1 });
    const answer = await ask(TOKEN);
    expect([answer.status, answer.contentType]).toEqual([429, 'application/problem+json']);
    expect(answer.body).toEqual({ type: 'about:blank', title: 'Too Many Requests', detail: 'The request failed: too many requests.', status: '429', correlationID: expect.stringMatching(UUID) });
  });
});

describe('errors', () => {
  it.each(['/accounts/initech/core/v1/users', '/accounts/initech/core/v1/users/ops-admin/tokens'])('an unknown account, %s: 404 problem', async (path) => {
    const answer = await ask(path);
    expectProblem(answer, 404);
    expect(answer.body).toMatchObject(PROBLEM[2]);
  });

  it('an unknown user in a known account, or a user of the other account: 404 problem', async () => {
    for (const path of ['/accounts/acme/core/v1/users/nobody/tokens', '/accounts/acme/core/v1/users/globex-admin/tokens']) {
      const answer = await ask(path);
      expectProblem(answer, 404);
      expect(answer.body).toMatchObject(PROBLEM[2]);
    }
  });

  it.each(['/accounts/acme/core/v1/users', '/accounts/acme/core/v1/users/ops-admin/tokens', '/accounts/acme/core/v1/users/ops-admin/tokens/astra-demo-1'])(
    '%s: 401 problem without a bearer token and with a wrong one',
    async (path) => {
      const missing = await ask(path, {});
      expectProblem(missing, 401);
      expect(missing.body.title).toBe('Missing bearer token');
      const wrong = await ask(path, { authorization: 'Bearer not-the-demo-token' });
      expectProblem(wrong, 401);
      expect(wrong.body.title).toBe('Invalid bearer token');
    },
  );
});
