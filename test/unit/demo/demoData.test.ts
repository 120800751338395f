/**
 * The demo data: the named records stay exactly as docs, examples and tests know them, and the
 * generated ones give the list endpoints enough to page (contract §5a, §7).
 */
import { describe, expect, it } from 'vitest';
import { DEMO_ASTRA_ACCOUNTS, DEMO_NETBIRD_CURRENT_USER, DEMO_REFS, DEMO_WATCH, demoData } from '../../../src/demo/demoData.js';

const NOW = new Date('2026-03-15T12:00:00.000Z');
const t = NOW.getTime();
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const iso = (ms: number) => new Date(ms).toISOString();
const isoSeconds = (ms: number) => iso(ms).replace(/\.\d{3}Z$/, 'Z');
const data = demoData(NOW);

describe('the named demo records', () => {
  it('NetBird: nb-demo-1 to -3 in front, nb-demo-3 a service user\'s (an admin may read it)', () => {
    expect(data.netbird.slice(0, 3)).toEqual([
      {
        userId: 'alice',
        token: { id: 'nb-demo-1', name: 'CI deploy', expiration_date: iso(t + 30 * DAY), created_by: 'alice', created_at: iso(t - 60 * DAY), last_used: iso(t - HOUR) },
      },
      { userId: 'alice', token: { id: 'nb-demo-2', name: 'old laptop', expiration_date: iso(t - 10 * DAY), created_by: 'alice', created_at: iso(t - 100 * DAY) } },
      {
        userId: 'svc-monitoring',
        token: { id: 'nb-demo-3', name: 'monitoring', expiration_date: iso(t + 90 * DAY), created_by: 'alice', created_at: iso(t - 20 * DAY), last_used: iso(t - 2 * DAY) },
      },
    ]);
  });

  it('Astra: astra-demo-1 and -2 as before, in front', () => {
    expect(data.astra.slice(0, 2)).toEqual([
      {
        accountId: 'acme',
        token: {
          type: 'application/astra-token',
          version: '1.0',
          id: 'astra-demo-1',
          name: 'ops automation',
          userID: 'ops-admin',
          metadata: {
            labels: [
              { name: 'team', value: 'platform' },
              { name: 'purpose', value: 'ci-backups' },
            ],
            creationTimestamp: isoSeconds(t - 90 * DAY),
            modificationTimestamp: isoSeconds(t - 7 * DAY),
            createdBy: 'ops-admin',
            modifiedBy: 'sec-auditor',
          },
        },
      },
      {
        accountId: 'acme',
        token: {
          type: 'application/astra-token',
          version: '1.0',
          id: 'astra-demo-2',
          name: 'read-only dashboard',
          userID: 'ops-admin',
          metadata: { labels: [], creationTimestamp: isoSeconds(t - 3 * DAY), modificationTimestamp: isoSeconds(t - 3 * DAY), createdBy: 'ops-admin' },
        },
      },
    ]);
  });

  it('Crafter and games: the seeds\' ids, a master token without expiry, tokens with null permissions', () => {
    expect(data.crafterProfile.tickets.map((x) => x.id)).toEqual(['2e911e0b-ac47-423e-9174-4e8896f1b387', '8f14e45f-ceea-467a-9a1b-3c5d2f9e0a61']);
    expect(data.crafterProfile.accessTokens.map((x) => x.application)).toEqual(['adminconsole', 'crafterengine', 'craftersocial', 'tokengraph', 'demo-site', 'provisioning', 'legacy-widget', 'reports']);
    expect(data.crafterProfile.accessTokens.find((x) => x.application === 'provisioning')).toMatchObject({ master: true, expiresOn: null });
    expect(data.crafterProfile.accessTokens.find((x) => x.application === 'legacy-widget')).toMatchObject({ tenantPermissions: null });
    expect(data.crafterProfile.accessTokens.find((x) => x.application === 'reports')).toMatchObject({ tenantPermissions: [{ allowedActions: null }] });
    expect(data.games.map((x) => x.TokenSourceId)).toEqual(['game-demo-1', 'game-demo-2']);
  });

  it('DEMO_REFS names 17 tokens, each of them in the data', () => {
    expect(DEMO_REFS).toHaveLength(17);
    for (const ref of DEMO_REFS) {
      const found = {
        CRAFTER_TICKET: () => data.crafterProfile.tickets.some((x) => x.id === ref.tokenId),
        CRAFTER_ACCESS_TOKEN: () => data.crafterProfile.accessTokens.some((x) => x.id === ref.tokenId),
        ASTRA: () => data.astra.some((e) => e.accountId === ref.accountId && e.token.userID === ref.userId && e.token.id === ref.tokenId),
        NETBIRD: () => data.netbird.some((e) => e.userId === ref.userId && e.token.id === ref.tokenId),
        GAME: () => data.games.some((x) => x.TokenSourceId === ref.tokenId),
      }[ref.source]();
      expect(found, `${ref.source} ${ref.tokenId}`).toBe(true);
    }
  });
});

describe('NetBird users and PATs', () => {
  const users = data.netbirdUsers;
  /** The service users NetBird lists: not the non-deletable one. */
  const service = users.filter((u) => u.is_service_user && !u.non_deletable).map((u) => u.id);
  const listable = new Set([DEMO_NETBIRD_CURRENT_USER, ...service]);

  it('35 users: alice the admin, bob, olivia the owner, 9 listed service users, a hidden one, 21 more people, one of another account', () => {
    expect(users).toHaveLength(35);
    expect(new Set(users.map((u) => u.id)).size).toBe(35);
    expect(service).toEqual(['svc-backup', 'svc-ci', 'svc-monitoring', 'svc-deploy', 'svc-dns', 'svc-terraform', 'svc-ansible', 'svc-audit', 'svc-idle']);
    expect(users.filter((u) => u.non_deletable).map((u) => u.id)).toEqual(['svc-sync']);
    expect(users.filter((u) => u.account !== undefined).map((u) => [u.id, u.account])).toEqual([['eve', 'other']]);
    expect(users.find((u) => u.id === 'alice')).toMatchObject({ role: 'admin', status: 'active', is_service_user: false });
    expect(users.find((u) => u.id === 'bob')).toMatchObject({ role: 'user', is_service_user: false });
    expect(users.filter((u) => u.role === 'owner').map((u) => u.id)).toEqual(['olivia']);
    expect(users.filter((u) => u.status === 'blocked').map((u) => u.id)).toEqual(['frank', 'oscar', 'victor']);
    expect(users.filter((u) => u.status === 'invited').map((u) => u.id)).toEqual(['heidi', 'quinn', 'yvonne']);
    for (const u of users) {
      expect(u.is_blocked).toBe(u.status === 'blocked');
      // NetBird answers service users with an empty email and no login.
      if (u.is_service_user) {
        expect(u.email).toBe('');
        expect('last_login' in u).toBe(false);
      } else expect(u.email).toBe(`${u.id}@example.com`);
      if (u.status === 'invited') expect('last_login' in u).toBe(false);
    }
  });

  it('130 PATs: nb-demo-1 to -128 and tokengraph\'s own two, unique, every owner a known user', () => {
    expect(data.netbird).toHaveLength(130);
    expect(data.netbird.map((e) => e.token.id).sort()).toEqual([...Array.from({ length: 128 }, (_, i) => `nb-demo-${i + 1}`), 'nb-tokengraph', 'nb-tokengraph-svc'].sort());
    const ids = new Set(users.map((u) => u.id));
    for (const e of data.netbird) expect(ids.has(e.userId), e.userId).toBe(true);
  });

  it('103 PATs on alice and service users (service mode), 27 on 25 other users (refused, or hidden)', () => {
    const count = (userId: string) => data.netbird.filter((e) => e.userId === userId).length;
    expect(count('alice')).toBe(21);
    for (const id of service) expect(count(id), id).toBe(id === 'svc-idle' ? 0 : id === 'svc-monitoring' || id === 'svc-ci' ? 11 : 10);
    expect(data.netbird.filter((e) => listable.has(e.userId))).toHaveLength(103);
    expect(users.filter((u) => !listable.has(u.id))).toHaveLength(25);
    expect(data.netbird.filter((e) => !listable.has(e.userId))).toHaveLength(27);
    expect(count('bob')).toBe(2);
  });

  it('expiries: 24 expired, 9 within the week (nb-demo-4 in exactly 3 days), the rest months out; 27 never used', () => {
    const left = data.netbird.map((e) => Date.parse(e.token.expiration_date) - t);
    expect(left.filter((ms) => ms <= 0)).toHaveLength(24);
    expect(left.filter((ms) => ms > 0 && ms <= 7 * DAY)).toHaveLength(9);
    expect(left.filter((ms) => ms > 28 * DAY)).toHaveLength(130 - 24 - 9);
    expect(data.netbird[3]).toMatchObject({ userId: 'alice', token: { id: 'nb-demo-4', expiration_date: iso(t + 3 * DAY) } });
    expect(data.netbird.filter((e) => e.token.last_used === undefined)).toHaveLength(27);
  });

  it('dates are consistent: created before now and expiry, at most 365 days of life (NetBird\'s bound), used in between', () => {
    for (const { token } of data.netbird) {
      const created = Date.parse(token.created_at);
      const expires = Date.parse(token.expiration_date);
      // RFC 3339 with up to nine fraction digits and any offset, as Go writes a local time.
      expect(token.created_at).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.(\d{3}Z|\d{9}\+02:00)$/);
      expect(created, token.id).toBeLessThanOrEqual(t);
      expect(expires - created, token.id).toBeGreaterThan(0);
      expect(expires - created, token.id).toBeLessThanOrEqual(365 * DAY);
      if (token.last_used !== undefined) {
        const used = Date.parse(token.last_used);
        expect(used, token.id).toBeGreaterThanOrEqual(created);
        expect(used, token.id).toBeLessThanOrEqual(Math.min(t, expires));
      }
    }
  });
});

describe('Astra users and tokens', () => {
  const tokensOf = (accountId: string, userId?: string) =>
    data.astra.filter((e) => e.accountId === accountId && (userId === undefined || e.token.userID === userId));
  const usersOf = (accountId: string) => data.astraUsers.filter((u) => u.accountId === accountId);

  it('DEMO_ASTRA_ACCOUNTS are the accounts of the data', () => {
    expect(DEMO_ASTRA_ACCOUNTS).toEqual(['acme', 'globex']);
    expect(new Set(data.astra.map((e) => e.accountId))).toEqual(new Set(DEMO_ASTRA_ACCOUNTS));
    expect(new Set(data.astraUsers.map((u) => u.accountId))).toEqual(new Set(DEMO_ASTRA_ACCOUNTS));
  });

  it('acme: 30 users and 60 tokens, 30 of them ops-admin\'s; globex: 5 users and 35 tokens, 25 of them globex-admin\'s', () => {
    expect(usersOf('acme')).toHaveLength(30);
    expect(tokensOf('acme')).toHaveLength(60);
    expect(tokensOf('acme', 'ops-admin')).toHaveLength(30);
    expect(usersOf('globex')).toHaveLength(5);
    expect(tokensOf('globex')).toHaveLength(35);
    expect(tokensOf('globex', 'globex-admin')).toHaveLength(25);
    expect(data.astra).toHaveLength(95);
  });

  it('unique token ids, every token on a user of its account, every user unique in its account', () => {
    expect(new Set(data.astra.map((e) => e.token.id)).size).toBe(95);
    for (const e of data.astra) {
      expect(data.astraUsers.some((u) => u.accountId === e.accountId && u.user.id === e.token.userID), e.token.id).toBe(true);
    }
    for (const accountId of DEMO_ASTRA_ACCOUNTS) expect(new Set(usersOf(accountId).map((u) => u.user.id)).size).toBe(usersOf(accountId).length);
    expect(data.astraUsers.some((u) => u.accountId === 'acme' && u.user.id === 'sec-auditor')).toBe(true);
  });

  it('users and tokens are shaped like Astra resources, dated in the past with seconds and Z', () => {
    for (const { user } of data.astraUsers) {
      expect(Object.keys(user).sort()).toEqual(['email', 'firstName', 'id', 'lastName', 'metadata', 'type', 'version']);
      expect(user).toMatchObject({ type: 'application/astra-user', version: '1.2', metadata: { labels: [] } });
    }
    const created = data.astra.map((e) => e.token.metadata.creationTimestamp);
    for (const stamp of created) {
      expect(stamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      expect(Date.parse(stamp)).toBeLessThan(t);
    }
    expect(new Set(created).size).toBeGreaterThan(50);
  });
});

describe('DEMO_WATCH', () => {
  it('every demo Crafter ticket and game token, nothing else', () => {
    expect(DEMO_WATCH).toEqual([
      ...data.crafterProfile.tickets.map((x) => ({ source: 'CRAFTER_TICKET', tokenId: x.id })),
      ...data.games.map((x) => ({ source: 'GAME', tokenId: x.TokenSourceId })),
    ]);
  });
});

it('is deterministic: the same now gives the same data', () => {
  expect(demoData(new Date(t))).toEqual(data);
});
