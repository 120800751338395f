/**
 * The NetBird fake over real HTTP, against what NetBird's own source does (contract §10; the files
 * of netbirdio/netbird named in src/demo/netbirdUpstream.ts): the users list, who may read and
 * delete whose tokens and the messages when not, `null` for a user without tokens, how credentials
 * are refused, and API rate limiting.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  DEMO_CREDENTIALS,
  DEMO_NETBIRD_SERVICE_CREDENTIAL,
  DEMO_NETBIRD_USER_CREDENTIAL,
  demoData,
  NETBIRD_FOREIGN_USER,
  NETBIRD_HIDDEN_SERVICE_USER,
  NETBIRD_IDLE_SERVICE_USER,
  type DemoNetbirdUser,
} from '../../../src/demo/demoData.js';
import type { FakeUpstream } from '../../../src/demo/fakeUpstream.js';
import { netbirdPat } from '../../../src/demo/netbirdPats.js';
import { goNow, startNetbirdUpstream } from '../../../src/demo/netbirdUpstream.js';
import { get } from './get.js';

const NOW = new Date();
const data = demoData(NOW);
const AS_ADMIN = { authorization: `Token ${DEMO_CREDENTIALS.netbird}` };
const AS_SERVICE_USER = { authorization: `Token ${DEMO_NETBIRD_SERVICE_CREDENTIAL}` };
const AS_USER = { authorization: `Token ${DEMO_NETBIRD_USER_CREDENTIAL}` };
const SERVICE_USERS = data.netbirdUsers.filter((u) => u.is_service_user && !u.non_deletable && !u.account).map((u) => u.id);
/** The users of the demo's account that NetBird lists (not the non-deletable one, not another account's). */
const LISTED = data.netbirdUsers.filter((u) => !u.non_deletable && !u.account);
const USER_KEYS = ['auto_groups', 'email', 'id', 'is_blocked', 'is_current', 'is_service_user', 'issued', 'last_login', 'name', 'pending_approval', 'role', 'status'];
const ids = (users: Array<{ id: string }>) => users.map((u) => u.id).sort();
const sorted = (values: string[]) => [...values].sort();

let netbird: FakeUpstream;
beforeAll(async () => {
  netbird = await startNetbirdUpstream({ data: data.netbird, users: data.netbirdUsers });
});
afterAll(() => netbird.close());

const nb = (path: string, headers: Record<string, string> = AS_ADMIN) => get(netbird.url, path, headers);
const del = async (path: string, headers: Record<string, string> = AS_ADMIN) => {
  const response = await fetch(`${netbird.url}${path}`, { method: 'DELETE', headers });
  return { status: response.status, body: JSON.parse(await response.text()) as unknown };
};

describe('GET /api/users (users_handler.go getAllUsers)', () => {
  it("answers the account's users with is_current, leaving out the non-deletable one and other accounts' users", async () => {
    const answer = await nb('/api/users');
    expect(answer.status).toBe(200);
    expect(answer.contentType).toBe('application/json; charset=UTF-8');
    expect(answer.text.endsWith('\n')).toBe(true);
    expect(ids(answer.body)).toEqual(ids(LISTED));
    expect(answer.body.map((u: DemoNetbirdUser) => u.id)).not.toContain(NETBIRD_HIDDEN_SERVICE_USER);
    expect(answer.body.map((u: DemoNetbirdUser) => u.id)).not.toContain(NETBIRD_FOREIGN_USER);
    for (const user of answer.body as Array<DemoNetbirdUser & { is_current: boolean; last_login: string }>) {
      expect(Object.keys(user).sort()).toEqual(USER_KEYS);
      expect(user.is_current).toBe(user.id === 'alice');
      expect(['active', 'blocked', 'invited']).toContain(user.status);
    }
    // Go's zero time for a user who never logged in (every service user).
    expect(answer.body.find((u: DemoNetbirdUser) => u.id === 'svc-ci').last_login).toBe('0001-01-01T00:00:00Z');
  });

  it('answers its users in another order at each call, as from a Go map', async () => {
    const first = (await nb('/api/users')).body.map((u: DemoNetbirdUser) => u.id);
    const second = (await nb('/api/users')).body.map((u: DemoNetbirdUser) => u.id);
    expect(second).not.toEqual(first);
    expect(sorted(second)).toEqual(sorted(first));
  });

  it.each(['true', '1', 'True'])('?service_user=%s: the service users', async (value) => {
    const answer = await nb(`/api/users?service_user=${value}`);
    expect(answer.status).toBe(200);
    expect(ids(answer.body)).toEqual(sorted(SERVICE_USERS));
  });

  it("?service_user=yes: 422 (status.InvalidArgument), as Go's ParseBool refuses it", async () => {
    const answer = await nb('/api/users?service_user=yes');
    expect(answer.status).toBe(422);
    expect(answer.body).toEqual({ message: 'invalid service_user query parameter', code: 422 });
  });

  it('a service user lists everyone too; a credential of role user sees only itself, with 200 (GetUsersFromAccount)', async () => {
    const service = await nb('/api/users', AS_SERVICE_USER);
    expect(ids(service.body)).toEqual(ids(LISTED));
    expect(service.body.filter((u: { is_current: boolean }) => u.is_current).map((u: DemoNetbirdUser) => u.id)).toEqual(['svc-ci']);
    const user = await nb('/api/users', AS_USER);
    expect(user.status).toBe(200);
    expect(user.body.map((u: DemoNetbirdUser) => u.id)).toEqual(['bob']);
  });
});

describe('GET /api/users/current (user.go GetCurrentUserInfo)', () => {
  it("answers alice to alice's PAT, and 403 'permission denied' to a service user's", async () => {
    expect((await nb('/api/users/current')).body).toMatchObject({ id: 'alice', is_current: true });
    const service = await nb('/api/users/current', AS_SERVICE_USER);
    expect(service.status).toBe(403);
    expect(service.body).toEqual({ message: 'permission denied', code: 403 });
  });
});

describe('tokens of whom (user.go GetAllPATs, GetPAT, DeletePAT)', () => {
  it("an admin reads its own tokens and service users', list and single alike", async () => {
    for (const userId of ['alice', ...SERVICE_USERS.filter((id) => id !== NETBIRD_IDLE_SERVICE_USER)]) {
      const list = await nb(`/api/users/${userId}/tokens`);
      expect(list.status, userId).toBe(200);
      expect(list.body).toEqual(data.netbird.filter((e) => e.userId === userId).map((e) => e.token));
      const single = await nb(`/api/users/${userId}/tokens/${list.body[0].id}`);
      expect(single.body).toEqual(list.body[0]);
    }
  });

  it("another regular user's tokens, the owner's too, listed or one by one: 403 'admin role required to perform this action'", async () => {
    const refused = { message: 'admin role required to perform this action', code: 403 };
    for (const userId of ['bob', 'olivia', 'carol', 'frank']) {
      const list = await nb(`/api/users/${userId}/tokens`);
      expect(list.status, userId).toBe(403);
      expect(list.body).toEqual(refused);
    }
    const bobs = data.netbird.find((e) => e.userId === 'bob')!.token.id;
    expect((await nb(`/api/users/bob/tokens/${bobs}`)).body).toEqual(refused);
    expect(await del(`/api/users/bob/tokens/${bobs}`)).toEqual({ status: 403, body: refused });
  });

  it("a user of another account: 403 'permission denied'; an unknown user: 404 'user: <id> not found'", async () => {
    expect((await nb(`/api/users/${NETBIRD_FOREIGN_USER}/tokens`)).body).toEqual({ message: 'permission denied', code: 403 });
    expect((await nb('/api/users/Nobody/tokens')).body).toEqual({ message: 'user: nobody not found', code: 404 });
  });

  it("a non-deletable service user's tokens are read by id, though the users list leaves it out", async () => {
    expect((await nb(`/api/users/${NETBIRD_HIDDEN_SERVICE_USER}/tokens`)).body).toHaveLength(2);
  });

  it("an unknown token: 404 'pat: <id> not found', the id lower-cased as every message", async () => {
    expect((await nb('/api/users/alice/tokens/NB-Missing')).body).toEqual({ message: 'pat: nb-missing not found', code: 404 });
  });

  it("a credential of role user: 403 'permission denied', even for its own tokens", async () => {
    expect((await nb('/api/users/bob/tokens', AS_USER)).body).toEqual({ message: 'permission denied', code: 403 });
  });

  it('a service user reads its own tokens and, with admin power, other service users\'', async () => {
    expect((await nb('/api/users/svc-ci/tokens', AS_SERVICE_USER)).status).toBe(200);
    expect((await nb('/api/users/svc-backup/tokens', AS_SERVICE_USER)).status).toBe(200);
    expect((await nb('/api/users/alice/tokens', AS_SERVICE_USER)).body).toEqual({ message: 'admin role required to perform this action', code: 403 });
  });

  it('a service user with no tokens: null, as Go encodes a nil slice', async () => {
    const answer = await nb(`/api/users/${NETBIRD_IDLE_SERVICE_USER}/tokens`);
    expect(answer.status).toBe(200);
    expect(answer.text).toBe('null\n');
  });
});

describe('DELETE /api/users/{userId}/tokens/{tokenId}', () => {
  it('answers 200 {} and the token is gone; deleting it again is 404', async () => {
    const own = await startNetbirdUpstream({ data: demoData(NOW).netbird, users: data.netbirdUsers });
    try {
      const path = '/api/users/svc-backup/tokens';
      const [first] = (await get(own.url, path, AS_ADMIN)).body as Array<{ id: string }>;
      const gone = await fetch(`${own.url}${path}/${first!.id}`, { method: 'DELETE', headers: AS_ADMIN });
      expect([gone.status, await gone.text()]).toEqual([200, '{}\n']);
      expect((await get(own.url, `${path}/${first!.id}`, AS_ADMIN)).status).toBe(404);
      const again = await fetch(`${own.url}${path}/${first!.id}`, { method: 'DELETE', headers: AS_ADMIN });
      expect(again.status).toBe(404);
    } finally {
      await own.close();
    }
  });
});

describe('credentials (auth_middleware.go)', () => {
  it.each(['/api/users', '/api/users/alice/tokens', '/api/users/alice/tokens/nb-demo-1'])('%s: 401 without one, 401 for a malformed one or a wrong checksum, 404 for an unknown PAT', async (path) => {
    expect((await nb(path, {})).body).toEqual({ message: 'no valid authentication provided', code: 401 });
    expect((await nb(path, { authorization: 'Token not-a-pat' })).body).toEqual({ message: 'token invalid', code: 401 });
    const revoked = netbirdPat('RevokedTokenRevokedToken000000');
    const badChecksum = `${revoked.slice(0, -1)}${revoked.endsWith('0') ? '1' : '0'}`;
    expect((await nb(path, { authorization: `Token ${badChecksum}` })).body).toEqual({ message: 'token invalid', code: 401 });
    // Well-formed but nobody's (revoked, say): NetBird's 404 is about the credential, not the resource.
    const hashed = createHash('sha256').update(revoked).digest('base64').toLowerCase();
    expect(await nb(path, { authorization: `Token ${revoked}` })).toMatchObject({ status: 404, body: { message: `invalid token: pat: ${hashed} not found`, code: 404 } });
  });

  it('a PAT deleted through the API is refused from then on, as a PAT nobody has: 404 invalid token (GetPATByHashedToken finds no row)', async () => {
    const own = await startNetbirdUpstream({ data: demoData(NOW).netbird, users: data.netbirdUsers });
    const refused = (pat: string) => ({ status: 404, body: { message: `invalid token: pat: ${createHash('sha256').update(pat).digest('base64').toLowerCase()} not found`, code: 404 } });
    const answered = async (path: string, headers: Record<string, string>) => {
      const { status, body } = await get(own.url, path, headers);
      return { status, body };
    };
    try {
      expect((await get(own.url, '/api/users/svc-ci/tokens', AS_SERVICE_USER)).status).toBe(200);
      // alice (an admin) deletes the service user's own credential, nb-tokengraph-svc.
      const gone = await fetch(`${own.url}/api/users/svc-ci/tokens/nb-tokengraph-svc`, { method: 'DELETE', headers: AS_ADMIN });
      expect([gone.status, await gone.text()]).toEqual([200, '{}\n']);
      for (const path of ['/api/users', '/api/users/svc-ci/tokens']) {
        expect(await answered(path, AS_SERVICE_USER)).toEqual(refused(DEMO_NETBIRD_SERVICE_CREDENTIAL));
      }
      // A PAT deleting itself: authenticated while it still exists (200), refused at the next call.
      const itself = await fetch(`${own.url}/api/users/alice/tokens/nb-tokengraph`, { method: 'DELETE', headers: AS_ADMIN });
      expect(itself.status).toBe(200);
      expect(await answered('/api/users', AS_ADMIN)).toEqual(refused(DEMO_CREDENTIALS.netbird));
    } finally {
      await own.close();
    }
  });

  it.each(['/api/nothing-here', '/api/users/alice/tokens/nb-demo-1/x', '/netbird/api/users/alice/tokens/nb-demo-1'])("answers a path no route matches, %s, with gorilla/mux's plain-text 404", async (path) => {
    const answer = await nb(path);
    expect([answer.status, answer.contentType, answer.text]).toEqual([404, 'text/plain; charset=utf-8', '404 page not found\n']);
  });

  it('takes a PAT as Bearer too, and marks the PAT it was called with used', async () => {
    const before = Date.now();
    const answer = await nb('/api/users/alice/tokens', { authorization: `Bearer ${DEMO_CREDENTIALS.netbird}` });
    const after = Date.now();
    expect(answer.status).toBe(200);
    const own = (answer.body as Array<{ id: string; last_used?: string }>).find((t) => t.id === 'nb-tokengraph')!;
    // Marked during this very call (MarkPATUsed), to the nanosecond as Go writes it (trailing zeros cut).
    expect(own.last_used).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{0,8}[1-9])?Z$/);
    expect(Date.parse(own.last_used!)).toBeGreaterThanOrEqual(before);
    expect(Date.parse(own.last_used!)).toBeLessThanOrEqual(after);
  });
});

describe('goNow: a last_used as Go writes time.Now().UTC()', () => {
  it('reads the clock once: a second turning between two readings cannot put it a second ahead', () => {
    const turned = Date.UTC(2025, 0, 1, 12, 0, 1);
    vi.useFakeTimers({ toFake: ['Date'], now: turned });
    try {
      // The clock as it turns a second: Date.now() reads 12:00:00.999, new Date() then 12:00:01.000.
      vi.spyOn(Date, 'now').mockReturnValue(turned - 1);
      const written = goNow();
      expect(written).toMatch(/^2025-01-01T12:00:0[01](\.\d{0,8}[1-9])?Z$/);
      expect(Date.parse(written)).toBeGreaterThanOrEqual(turned - 1);
      expect(Date.parse(written)).toBeLessThanOrEqual(turned);
    } finally {
      vi.restoreAllMocks();
      vi.useRealTimers();
    }
  });
});

describe('API rate limiting (rate_limiter.go)', () => {
  it('a burst, then 429 with no Retry-After; counted before the credential is checked, a terraform agent exempt', async () => {
    const limited = await startNetbirdUpstream({ data: data.netbird, users: data.netbirdUsers, rateLimit: { burst: 3, perMinute: 6 } });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) statuses.push((await get(limited.url, '/api/users', AS_ADMIN)).status);
      expect(statuses).toEqual([200, 200, 200, 429]);
      const response = await fetch(`${limited.url}/api/users`, { headers: AS_ADMIN });
      expect(response.status).toBe(429);
      expect(response.headers.get('retry-after')).toBeNull();
      expect(await response.json()).toEqual({ message: 'too many requests', code: 429 });
      // Another PAT has a bucket of its own.
      expect((await get(limited.url, '/api/users', AS_SERVICE_USER)).status).toBe(200);
      expect((await get(limited.url, '/api/users', { ...AS_ADMIN, 'user-agent': 'Terraform/1.9 terraform-provider-netbird' })).status).toBe(200);
    } finally {
      await limited.close();
    }
  });
});
