/**
 * The upstreams' data of `npm run bench:inventory` (issue 14's bench inventory): NetBird service
 * users × 3 PATs each (plus alice, the admin whose credential lists them, with none), 2 Astra
 * accounts × 100 users × 2 tokens, 50 Crafter access tokens and 50 game tokens (watched, since
 * games cannot be listed). With 1,000 service users that is 3,500 tokens; with 3,167 it is 10,001.
 * `npm run bench:export` gives the service users more PATs each: 10 × 9,955 is 100,000 tokens in
 * all, read in 11 NetBird calls.
 *
 * Every record follows from its index, never from chance, so every run reads the same inventory;
 * expiries spread from already expired to a year out, so the inventory's order has work to do.
 */
import { DEMO_CREDENTIALS, type DemoData, type DemoNetbirdUser } from '../src/demo/demoData.js';

const DAY = 86_400_000;
export const ASTRA_ACCOUNTS = ['bench-acct-1', 'bench-acct-2'];
export const ASTRA_USERS_PER_ACCOUNT = 100;
export const ASTRA_TOKENS_PER_USER = 2;
/** The Astra fake's page size in this bench (the demo's is 25). */
export const ASTRA_PAGE_SIZE = 50;
export const NETBIRD_PATS_PER_USER = 3;
export const CRAFTER_ACCESS_TOKENS = 50;
export const GAME_TOKENS = 50;

/** Days to expiry, cycled by index: a few expired, a few within the week, most months out. */
const EXPIRY_DAYS = [200, 30, -5, 90, 365, 3, 120, 45, -40, 180, 10, 270];
const expiry = (t: number, i: number) => t + EXPIRY_DAYS[i % EXPIRY_DAYS.length]! * DAY + (i % 1440) * 60_000;
const iso = (ms: number) => new Date(ms).toISOString();
const isoSeconds = (ms: number) => iso(ms).replace(/\.\d{3}Z$/, 'Z');
const dotNet = (ms: number) => `${iso(ms).slice(0, 23)}0000Z`;
const range = (n: number) => Array.from({ length: n }, (_, i) => i);

export const gameTokenId = (i: number) => `bench-game-${i}`;
/** The watch list: `TOKENGRAPH_WATCH` for the tokengraph under test. */
export const WATCH = range(GAME_TOKENS).map((i) => `GAME/${gameTokenId(i)}`);

export function inventoryTokenCount(netbirdServiceUsers: number, patsPerUser = NETBIRD_PATS_PER_USER): number {
  return netbirdServiceUsers * patsPerUser + ASTRA_ACCOUNTS.length * ASTRA_USERS_PER_ACCOUNT * ASTRA_TOKENS_PER_USER + CRAFTER_ACCESS_TOKENS + GAME_TOKENS;
}

export function inventoryBenchData(now: Date, netbirdServiceUsers: number, patsPerUser = NETBIRD_PATS_PER_USER): DemoData {
  const t = now.getTime();
  const netbirdUsers: DemoNetbirdUser[] = [
    { id: 'alice', email: 'alice@bench.example', name: 'Alice', role: 'admin', status: 'active', is_service_user: false, is_blocked: false, auto_groups: [], issued: 'api' },
    ...range(netbirdServiceUsers).map(
      (u): DemoNetbirdUser => ({ id: `svc-${u}`, email: '', name: `service ${u}`, role: 'user', status: 'active', is_service_user: true, is_blocked: false, auto_groups: [], issued: 'api' }),
    ),
  ];
  const astraUsers = ASTRA_ACCOUNTS.flatMap((accountId) =>
    range(ASTRA_USERS_PER_ACCOUNT).map((u) => ({
      accountId,
      user: {
        type: 'application/astra-user' as const,
        version: '1.2' as const,
        id: `${accountId}-user-${u}`,
        firstName: 'Bench',
        lastName: `User ${u}`,
        email: `user-${u}@${accountId}.example`,
        metadata: { labels: [], creationTimestamp: isoSeconds(t - 400 * DAY), modificationTimestamp: isoSeconds(t - 400 * DAY), createdBy: 'bench' },
      },
    })),
  );
  return {
    crafterProfile: {
      tickets: [],
      accessTokens: [
        // tokengraph's own credential is one of the fifty.
        { application: 'tokengraph', master: true, tenantPermissions: [{ allowedActions: ['*'], tenant: '*' }], expiresOn: t + 180 * DAY, id: DEMO_CREDENTIALS.crafterProfile },
        ...range(CRAFTER_ACCESS_TOKENS - 1).map((i) => ({
          application: `bench-app-${i}`,
          master: false,
          tenantPermissions: [{ allowedActions: ['READ_TENANT'], tenant: 'default' }],
          expiresOn: expiry(t, i),
          id: `bench000-0000-4000-8000-${String(i).padStart(12, '0')}`,
        })),
      ],
    },
    astraUsers,
    astra: astraUsers.flatMap(({ accountId, user }, u) =>
      range(ASTRA_TOKENS_PER_USER).map((k) => ({
        accountId,
        token: {
          type: 'application/astra-token' as const,
          version: '1.0' as const,
          id: `${user.id}-token-${k}`,
          name: `bench astra ${u}.${k}`,
          userID: user.id,
          metadata: { labels: [], creationTimestamp: isoSeconds(t - (30 + u) * DAY), modificationTimestamp: isoSeconds(t - u * 60_000), createdBy: user.id },
        },
      })),
    ),
    netbirdUsers,
    netbird: range(netbirdServiceUsers).flatMap((u) =>
      range(patsPerUser).map((k) => {
        const i = u * patsPerUser + k;
        return {
          userId: `svc-${u}`,
          token: {
            id: `bench-pat-${i}`,
            name: `bench pat ${i}`,
            expiration_date: iso(expiry(t, i)),
            created_by: 'alice',
            created_at: iso(t - (50 + (i % 300)) * DAY),
            ...(i % 4 === 0 ? {} : { last_used: iso(t - (i % 7200) * 60_000) }),
          },
        };
      }),
    ),
    games: range(GAME_TOKENS).map((i) => ({
      TokenSourceId: gameTokenId(i),
      IssueDate: dotNet(t - 10 * DAY),
      ExpirationDate: dotNet(expiry(t, i)),
      ParticipantSourceId: `player-${i}`,
      GameSourceId: 'bench',
      GameName: `Bench ${i}`,
      GameIconUrl: null,
      Reason: null,
      GamePlayKey: `bench-key-${i}`,
    })),
  };
}
