/**
 * The NetBird fake's users and token lists, over real HTTP: what tokengraph's inventory reads in
 * `service` mode (current user, service users) and `all` mode (every user, 403 for most).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_CREDENTIALS, demoData, type DemoNetbirdUser } from '../../../src/demo/demoData.js';
import type { FakeUpstream } from '../../../src/demo/fakeUpstream.js';
import { startNetbirdUpstream } from '../../../src/demo/netbirdUpstream.js';
import { get } from './get.js';

const NOW = new Date();
const data = demoData(NOW);
const AUTH = { authorization: `Token ${DEMO_CREDENTIALS.netbird}` };
const SERVICE_USERS = ['svc-backup', 'svc-ci', 'svc-monitoring', 'svc-deploy', 'svc-dns', 'svc-terraform', 'svc-ansible', 'svc-audit'];
const USER_KEYS = ['auto_groups', 'email', 'id', 'is_blocked', 'is_current', 'is_service_user', 'issued', 'name', 'role', 'status'];

let netbird: FakeUpstream;
beforeAll(async () => {
  netbird = await startNetbirdUpstream({ data: data.netbird, users: data.netbirdUsers });
});
afterAll(() => netbird.close());

const nb = (path: string, headers: Record<string, string> = AUTH) => get(netbird.url, path, headers);

describe('GET /api/users', () => {
  it('answers all 32 users as NetBird User objects, in the data\'s order, only alice current', async () => {
    const answer = await nb('/api/users');
    expect(answer.status).toBe(200);
    expect(answer.contentType).toBe('application/json');
    expect(answer.body).toHaveLength(32);
    expect(answer.body).toEqual(data.netbirdUsers.map((u) => ({ ...u, is_current: u.id === 'alice' })));
    for (const user of answer.body as (DemoNetbirdUser & { is_current: boolean })[]) {
      const keys = Object.keys(user).filter((k) => k !== 'last_login').sort();
      expect(keys).toEqual(USER_KEYS);
      expect(['admin', 'user', 'owner']).toContain(user.role);
      expect(['active', 'blocked', 'invited']).toContain(user.status);
      expect(['api', 'integration']).toContain(user.issued);
    }
  });

  it.each(['true', '1', 'True'])('?service_user=%s: the 8 service users', async (value) => {
    const answer = await nb(`/api/users?service_user=${value}`);
    expect(answer.status).toBe(200);
    expect(answer.body.map((u: DemoNetbirdUser) => u.id)).toEqual(SERVICE_USERS);
    expect(answer.body.every((u: DemoNetbirdUser) => u.is_service_user && u.email === '')).toBe(true);
  });

  it('?service_user=false: the 24 regular users, alice and bob among them', async () => {
    const answer = await nb('/api/users?service_user=false');
    expect(answer.status).toBe(200);
    const ids = answer.body.map((u: DemoNetbirdUser) => u.id);
    expect(ids).toHaveLength(24);
    expect(ids.slice(0, 3)).toEqual(['alice', 'bob', 'olivia']);
    expect(answer.body.some((u: DemoNetbirdUser) => u.is_service_user)).toBe(false);
  });

  it('?service_user=yes: 400 with NetBird\'s body, as Go\'s ParseBool refuses it', async () => {
    const answer = await nb('/api/users?service_user=yes');
    expect(answer.status).toBe(400);
    expect(answer.body).toEqual({ message: 'invalid service_user query parameter', code: 400 });
  });
});

describe('GET /api/users/current', () => {
  it('answers alice, the admin the demo credential belongs to', async () => {
    const answer = await nb('/api/users/current');
    expect(answer.status).toBe(200);
    expect(answer.contentType).toBe('application/json');
    expect(answer.body).toEqual({ ...data.netbirdUsers.find((u) => u.id === 'alice'), is_current: true });
    expect(answer.body).toMatchObject({ id: 'alice', role: 'admin', status: 'active', is_service_user: false });
  });
});

describe('GET /api/users/{userId}/tokens', () => {
  it('alice\'s own 20 tokens, each exactly as the single-token endpoint answers it', async () => {
    const answer = await nb('/api/users/alice/tokens');
    expect(answer.status).toBe(200);
    expect(answer.contentType).toBe('application/json');
    expect(answer.body).toHaveLength(20);
    expect(answer.body.slice(0, 3).map((x: { id: string }) => x.id)).toEqual(['nb-demo-1', 'nb-demo-2', 'nb-demo-4']);
    for (const token of answer.body) {
      const single = await nb(`/api/users/alice/tokens/${token.id}`);
      expect(single.status).toBe(200);
      expect(token).toEqual(single.body);
    }
  });

  it.each(SERVICE_USERS)('service user %s: 10 tokens', async (userId) => {
    const answer = await nb(`/api/users/${userId}/tokens`);
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual(data.netbird.filter((e) => e.userId === userId).map((e) => e.token));
    expect(answer.body).toHaveLength(10);
  });

  it('another regular user\'s list, with tokens or without, the owner\'s too: 403 with NetBird\'s body', async () => {
    for (const userId of ['bob', 'olivia', 'carol', 'frank']) {
      const answer = await nb(`/api/users/${userId}/tokens`);
      expect(answer.status, userId).toBe(403);
      expect(answer.contentType).toBe('application/json');
      expect(answer.body).toEqual({ message: 'no permission to get PAT for this user', code: 403 });
    }
  });

  it('an unknown user: 404 naming it', async () => {
    const answer = await nb('/api/users/nobody/tokens');
    expect(answer.status).toBe(404);
    expect(answer.body).toEqual({ message: 'user nobody not found', code: 404 });
  });

  it('a token of a user whose list is refused is still answered by id', async () => {
    const answer = await nb('/api/users/bob/tokens/nb-demo-3');
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual(data.netbird[2]!.token);
  });

  it('a listable user with no tokens: null, as NetBird encodes an empty list', async () => {
    const lonely: DemoNetbirdUser = { ...data.netbirdUsers.find((u) => u.id === 'svc-ci')!, id: 'svc-idle' };
    const own = await startNetbirdUpstream({ data: data.netbird, users: [...data.netbirdUsers, lonely] });
    try {
      const answer = await get(own.url, '/api/users/svc-idle/tokens', AUTH);
      expect(answer.status).toBe(200);
      expect(answer.text).toBe('null');
    } finally {
      await own.close();
    }
  });
});

describe('a whole inventory read', () => {
  it('service mode: current user plus service users, 9 lists, 100 tokens, each once', async () => {
    const current = (await nb('/api/users/current')).body as DemoNetbirdUser;
    const service = (await nb('/api/users?service_user=true')).body as DemoNetbirdUser[];
    const userIds = [...new Set([current.id, ...service.map((u) => u.id)])];
    expect(userIds).toHaveLength(9);
    const lists = await Promise.all(userIds.map((id) => nb(`/api/users/${id}/tokens`)));
    expect(lists.map((l) => l.status)).toEqual(userIds.map(() => 200));
    const ids = lists.flatMap((l) => l.body.map((x: { id: string }) => x.id));
    expect(ids).toHaveLength(100);
    expect(new Set(ids).size).toBe(100);
  });

  it('all mode: 32 lists, 9 answered (the same 100 tokens), 23 refused with 403', async () => {
    const users = (await nb('/api/users')).body as DemoNetbirdUser[];
    const lists = await Promise.all(users.map((u) => nb(`/api/users/${u.id}/tokens`)));
    expect(lists.filter((l) => l.status === 200)).toHaveLength(9);
    expect(lists.filter((l) => l.status === 403)).toHaveLength(23);
    expect(lists.filter((l) => l.status === 200).flatMap((l) => l.body)).toHaveLength(100);
  });
});

describe('auth on the new endpoints, as on the single-token one', () => {
  it.each(['/api/users', '/api/users?service_user=true', '/api/users/current', '/api/users/alice/tokens', '/api/users/alice/tokens/nb-demo-1'])(
    '%s: 401 without a token and with a wrong one',
    async (path) => {
      const missing = await nb(path, {});
      expect(missing.status).toBe(401);
      expect(missing.body).toEqual({ message: 'no valid authentication provided', code: 401 });
      const wrong = await nb(path, { authorization: 'Token not-the-demo-token' });
      expect(wrong.status).toBe(401);
      expect(wrong.body).toEqual({ message: 'token invalid', code: 401 });
      const bearer = await nb(path, { authorization: `Bearer ${DEMO_CREDENTIALS.netbird}` });
      expect(bearer.status).toBe(401);
    },
  );
});
