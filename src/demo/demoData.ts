/**
 * The records demo mode serves (contract §5a), shaped exactly like each upstream's own answers
 * and dated relative to `now` so that what should be unexpired stays unexpired. Examples, docs and
 * tests name these identifiers; the credentials are fixed and obviously fake.
 *
 * Beside the named records, NetBird and Astra get enough generated users and tokens for their list
 * endpoints to page (contract §7). Those are derived from their index, never random, so every run
 * serves the same ids, names and relative dates.
 */
import type { SourceName, UpstreamName } from '../sources.js';
import { netbirdPat } from './netbirdPats.js';

/** tokengraph's credential for each demo upstream. */
export const DEMO_CREDENTIALS: Readonly<Record<UpstreamName, string>> = {
  /** The `tokengraph` master token in the Crafter list (the well-known example UUID). */
  crafterProfile: 'de305d54-75b4-431b-adb2-eb6b9e546014',
  astra: 'demo-astra-token',
  /** alice's PAT `nb-tokengraph`, made as NetBird makes PATs (its checksum is right: netbirdPats.ts). */
  netbird: netbirdPat('DemoAliceAdminTokengraph000000'),
  games: 'demo-games-token',
};

/** A NetBird service user's PAT (svc-ci, role admin): the usual identity for automation, refused `GET /api/users/current`. */
export const DEMO_NETBIRD_SERVICE_CREDENTIAL = netbirdPat('DemoServiceUserSvcCi0000000000');
/** A PAT of bob, a regular user of role `user`: NetBird lets it read no token, not even its own. */
export const DEMO_NETBIRD_USER_CREDENTIAL = netbirdPat('DemoRegularUserBob000000000000');

/** The PATs the NetBird fake accepts, whose each is, and its own entry among the user's tokens. */
export const DEMO_NETBIRD_CREDENTIALS: Readonly<Record<string, { userId: string; patId?: string }>> = {
  [DEMO_CREDENTIALS.netbird]: { userId: 'alice', patId: 'nb-tokengraph' },
  [DEMO_NETBIRD_SERVICE_CREDENTIAL]: { userId: 'svc-ci', patId: 'nb-tokengraph-svc' },
  [DEMO_NETBIRD_USER_CREDENTIAL]: { userId: 'bob' },
};

export interface DemoCrafterTicket {
  tenant: string;
  profileId: string;
  /** Epoch milliseconds. */
  lastRequestTime: number;
  id: string;
}

export interface DemoCrafterAccessToken {
  application: string;
  master: boolean;
  /** `null`, or `allowedActions: null`, for a token created without them (Crafter writes null). */
  tenantPermissions: { allowedActions: string[] | null; tenant: string }[] | null;
  /** Epoch milliseconds; `null` for a token created without an expiry: it never expires. */
  expiresOn: number | null;
  id: string;
}

export interface DemoCrafterProfile {
  tickets: DemoCrafterTicket[];
  /** Also the server's credentials: any unexpired id here is a valid `accessTokenId`. */
  accessTokens: DemoCrafterAccessToken[];
}

export interface DemoAstraToken {
  type: 'application/astra-token';
  /** "1.0": the only token version Astra's API documents (token_1.0_get_response_body). */
  version: '1.0';
  id: string;
  name: string;
  userID: string;
  metadata: {
    labels: { name: string; value: string }[];
    /** ISO 8601 with `Z`. */
    creationTimestamp: string;
    modificationTimestamp: string;
    createdBy: string;
    modifiedBy?: string;
  };
}

/** A token and the account it lives in (the record itself does not name its account). */
export interface DemoAstraEntry {
  accountId: string;
  token: DemoAstraToken;
}

/** Astra's user resource, as its users list answers it. */
export interface DemoAstraUser {
  type: 'application/astra-user';
  version: '1.2';
  id: string;
  firstName: string;
  lastName: string;
  email: string;
  metadata: {
    labels: { name: string; value: string }[];
    creationTimestamp: string;
    modificationTimestamp: string;
    createdBy: string;
  };
}

/** A user and the account it belongs to (the record itself does not name its account). */
export interface DemoAstraUserEntry {
  accountId: string;
  user: DemoAstraUser;
}

export interface DemoNetbirdPAT {
  id: string;
  name: string;
  /** ISO 8601 with milliseconds and `Z`, like every date below. */
  expiration_date: string;
  created_by: string;
  created_at: string;
  /** Absent when the token was never used. */
  last_used?: string;
}

/** A token and the user it belongs to (the record itself does not name its owner). */
export interface DemoNetbirdEntry {
  userId: string;
  token: DemoNetbirdPAT;
}

/**
 * NetBird's User object, less `is_current`, which depends on the caller and so is added by the
 * fake when it answers.
 */
export interface DemoNetbirdUser {
  id: string;
  /** Empty for service users, as NetBird answers them. */
  email: string;
  name: string;
  role: 'admin' | 'user' | 'owner';
  status: 'active' | 'blocked' | 'invited';
  is_service_user: boolean;
  is_blocked: boolean;
  /** Group ids. */
  auto_groups: string[];
  /** Absent for service users and users who never logged in. */
  last_login?: string;
  issued: 'api' | 'integration';
  /** The fake's own: the account the user belongs to when not the demo's (`main`). Never answered. */
  account?: string;
  /** The fake's own: NetBird leaves users marked non-deletable out of `GET /api/users`. Never answered. */
  non_deletable?: boolean;
}

export interface DemoGameToken {
  TokenSourceId: string;
  /** .NET UTC form, e.g. `2025-12-11T17:08:30.8449349Z`; null when unset. */
  IssueDate: string | null;
  ExpirationDate: string | null;
  ParticipantSourceId: string | null;
  GameSourceId: string | null;
  GameName: string | null;
  GameIconUrl: string | null;
  Reason: string | null;
  /** A GUID. */
  GamePlayKey: string | null;
}


export interface DemoData {
  crafterProfile: DemoCrafterProfile;
  astra: DemoAstraEntry[];
  /** Every user of every account, in the order the users list answers them. */
  astraUsers: DemoAstraUserEntry[];
  netbird: DemoNetbirdEntry[];
  /** In the order `GET /api/users` answers them. */
  netbirdUsers: DemoNetbirdUser[];
  games: DemoGameToken[];
}

/** Shaped like tokengraph's `TokenRef` input. */
export interface DemoTokenRef {
  source: SourceName;
  tokenId: string;
  accountId?: string;
  userId?: string;
}

/** Every demo token; Crafter access tokens by their real id. */
export const DEMO_REFS: readonly DemoTokenRef[] = [
  { source: 'CRAFTER_TICKET', tokenId: '2e911e0b-ac47-423e-9174-4e8896f1b387' },
  { source: 'CRAFTER_TICKET', tokenId: '8f14e45f-ceea-467a-9a1b-3c5d2f9e0a61' },
  { source: 'CRAFTER_ACCESS_TOKEN', tokenId: 'e8f5170c-877b-416f-b70f-4b09772f8e2d' },
  { source: 'CRAFTER_ACCESS_TOKEN', tokenId: 'b4d44030-d0af-11e3-9c1a-0800200c9a66' },
  { source: 'CRAFTER_ACCESS_TOKEN', tokenId: '2ba3ac10-c43e-11e3-9c1a-0800200c9a66' },
  { source: 'CRAFTER_ACCESS_TOKEN', tokenId: 'de305d54-75b4-431b-adb2-eb6b9e546014' },
  { source: 'CRAFTER_ACCESS_TOKEN', tokenId: 'f81d4fae-7dec-11d0-a765-00a0c91e6bf6' },
  { source: 'CRAFTER_ACCESS_TOKEN', tokenId: '0b8e6a4c-1f2d-4e3a-9c5b-7d6e8f9a0b1c' },
  { source: 'CRAFTER_ACCESS_TOKEN', tokenId: '5c1d9e2f-3a4b-4c6d-8e7f-9a0b1c2d3e4f' },
  { source: 'CRAFTER_ACCESS_TOKEN', tokenId: '7a8b9c0d-1e2f-4a3b-8c4d-5e6f7a8b9c0d' },
  { source: 'ASTRA', accountId: 'acme', userId: 'ops-admin', tokenId: 'astra-demo-1' },
  { source: 'ASTRA', accountId: 'acme', userId: 'ops-admin', tokenId: 'astra-demo-2' },
  { source: 'NETBIRD', userId: 'alice', tokenId: 'nb-demo-1' },
  { source: 'NETBIRD', userId: 'alice', tokenId: 'nb-demo-2' },
  { source: 'NETBIRD', userId: 'svc-monitoring', tokenId: 'nb-demo-3' },
  { source: 'GAME', tokenId: 'game-demo-1' },
  { source: 'GAME', tokenId: 'game-demo-2' },
];

/** The Astra accounts demo mode lists (its `ASTRA_ACCOUNT_IDS`). */
export const DEMO_ASTRA_ACCOUNTS: readonly string[] = ['acme', 'globex'];

/** The NetBird user the demo credential belongs to (an admin): the one `GET /api/users` marks `is_current`. */
export const DEMO_NETBIRD_CURRENT_USER = 'alice';

/**
 * What demo mode watches (contract §7): the demo tokens whose sources cannot be listed upstream,
 * that is every Crafter ticket and every game token.
 */
export const DEMO_WATCH: readonly DemoTokenRef[] = DEMO_REFS.filter((ref) => ref.source === 'CRAFTER_TICKET' || ref.source === 'GAME');

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** ISO with seconds and `Z`, as Astra writes timestamps. */
const isoSeconds = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
/** ISO with milliseconds and `Z`, as NetBird writes dates in UTC (`last_used`). */
const isoMillis = (ms: number) => new Date(ms).toISOString();
/**
 * As Go writes a local `time.Time` with nanoseconds: NetBird stamps `created_at` with the server's
 * local time (types/personal_access_token.go), so it may carry nine fraction digits and an offset.
 */
const goLocal = (ms: number) => `${new Date(ms + 2 * HOUR).toISOString().slice(0, 23)}456789+02:00`;
/** .NET's seven fractional digits with `Z` (the last four are sub-millisecond ticks). */
const dotNetUtc = (ms: number) => `${new Date(ms).toISOString().slice(0, 23)}4349Z`;

const seedPermissions = () => [{ allowedActions: ['MANAGE_TICKETS', 'READ_TENANT', 'MANAGE_PROFILES'], tenant: '*' }];

const range = (from: number, to: number) => Array.from({ length: Math.max(0, to - from + 1) }, (_, i) => from + i);
const capitalized = (word: string) => word.charAt(0).toUpperCase() + word.slice(1);

// ---- generated NetBird users and PATs ----------------------------------------------------------

/** Service users, whose tokens an admin may list (so `NETBIRD_INVENTORY=service` sees them). */
const NETBIRD_SERVICE_USERS = ['svc-backup', 'svc-ci', 'svc-monitoring', 'svc-deploy', 'svc-dns', 'svc-terraform', 'svc-ansible', 'svc-audit'];
/** Regular users besides alice, bob and olivia: their token lists answer 403 to alice. */
const NETBIRD_PEOPLE = ['carol', 'dave', 'erin', 'frank', 'grace', 'heidi', 'ivan', 'judy', 'mallory', 'niaj', 'oscar', 'peggy', 'quinn', 'rupert', 'sybil', 'trent', 'uma', 'victor', 'walter', 'yvonne', 'zoe'];
const SURNAMES = ['Chen', 'Diaz', 'Evans', 'Fischer', 'Garcia', 'Hughes', 'Ito'];
const NETBIRD_PATS_PER_SERVICE_USER = 10;
/** Generated tokens of alice, besides nb-demo-1, nb-demo-2 and nb-demo-4 (and tokengraph's own, nb-tokengraph). */
const ALICE_MORE_PATS = 17;
/** A service user with no tokens (NetBird lists them as `null`). */
export const NETBIRD_IDLE_SERVICE_USER = 'svc-idle';
/** A non-deletable service user: left out of NetBird's users list, so tokengraph cannot list its tokens. */
export const NETBIRD_HIDDEN_SERVICE_USER = 'svc-sync';
/** A user of another NetBird account: NetBird refuses its tokens to this account's credentials. */
export const NETBIRD_FOREIGN_USER = 'eve';

/**
 * Days until expiry, cycled over the generated PATs by id number: mostly months out, three in 16
 * expired, one in 16 within the week (what "expiring soon" views and alerts look for).
 */
const PAT_EXPIRY_DAYS = [180, 45, -20, 240, 90, 150, -75, 30, 120, 6, 210, 60, 200, -3, 100, 75];
const PAT_PURPOSES = ['CI deploy', 'terraform', 'backup job', 'monitoring', 'ansible', 'grafana', 'laptop', 'setup keys sync', 'dns sync', 'audit export', 'k8s operator', 'peer enrollment'];

/** PAT `nb-demo-<n>`; every field follows from `n`. */
function generatedPat(t: number, n: number, createdBy: string): DemoNetbirdPAT {
  const expiresIn = PAT_EXPIRY_DAYS[n % PAT_EXPIRY_DAYS.length]!;
  const expiredFor = Math.max(0, -expiresIn);
  // Created 1 to 100 days before now (before its expiry, if expired): never longer than NetBird's
  // 365-day maximum, never created after it expired.
  const ageDays = expiredFor + 1 + ((n * 13) % 100);
  const token: DemoNetbirdPAT = {
    id: `nb-demo-${n}`,
    name: `${PAT_PURPOSES[n % PAT_PURPOSES.length]} ${n}`,
    expiration_date: isoMillis(t + expiresIn * DAY),
    created_by: createdBy,
    // One in four written by a server in another zone, to the nanosecond.
    created_at: n % 4 === 1 ? goLocal(t - ageDays * DAY) : isoMillis(t - ageDays * DAY),
  };
  // One in five never used; the others last used after creation and before expiry.
  if (n % 5 !== 2) token.last_used = isoMillis(t - expiredFor * DAY - ((n * 37) % ((ageDays - expiredFor) * 24)) * HOUR);
  return token;
}

function netbirdUsers(t: number): DemoNetbirdUser[] {
  const person = (id: string, i: number): DemoNetbirdUser => {
    const status = i % 7 === 3 ? 'blocked' : i % 7 === 5 ? 'invited' : 'active';
    return {
      id,
      email: `${id}@example.com`,
      name: `${capitalized(id)} ${SURNAMES[i % SURNAMES.length]}`,
      role: 'user',
      status,
      is_service_user: false,
      is_blocked: status === 'blocked',
      auto_groups: ['grp-all', i % 2 === 0 ? 'grp-dev' : 'grp-ops'],
      ...(status === 'invited' ? {} : { last_login: isoMillis(t - (1 + ((i * 5) % 40)) * DAY) }),
      // Users synced from an identity-provider integration, as opposed to created through the API.
      issued: i % 4 === 1 ? 'integration' : 'api',
    };
  };
  const service = (id: string, i: number): DemoNetbirdUser => ({
    id,
    email: '',
    name: id.replace(/^svc-/, ''),
    role: i % 3 === 0 ? 'user' : 'admin',
    status: 'active',
    is_service_user: true,
    is_blocked: false,
    auto_groups: ['grp-automation'],
    issued: 'api',
  });
  const named: DemoNetbirdUser[] = [
    { ...person('alice', 0), name: 'Alice Adams', role: 'admin', auto_groups: ['grp-all', 'grp-admins'], last_login: isoMillis(t - 2 * HOUR) },
    { ...person('bob', 0), name: 'Bob Baker', last_login: isoMillis(t - 3 * DAY) },
    { ...person('olivia', 0), name: 'Olivia Owens', role: 'owner', auto_groups: ['grp-all', 'grp-admins'] },
  ];
  // People and service users interleaved, as an unordered upstream might answer them.
  const mixed = NETBIRD_PEOPLE.flatMap((id, i) => {
    const svc = NETBIRD_SERVICE_USERS[i];
    return svc === undefined ? [person(id, i)] : [person(id, i), service(svc, i)];
  });
  const hidden: DemoNetbirdUser[] = [
    // A service user with no tokens: its list is `null`.
    { ...service(NETBIRD_IDLE_SERVICE_USER, 1), name: 'idle' },
    // Created by an integration and marked non-deletable: NetBird leaves it out of `GET /api/users`, so its tokens are never listed.
    { ...service(NETBIRD_HIDDEN_SERVICE_USER, 1), name: 'sync', issued: 'integration', non_deletable: true },
    // A user of another NetBird account: its tokens are refused (403) whoever asks from this one.
    { ...person(NETBIRD_FOREIGN_USER, 2), name: 'Eve Outside', account: 'other' },
  ];
  return [...named, ...mixed, ...hidden];
}

/** Generated PATs from `nb-demo-5` on (nb-demo-1 to -4 are written out in `demoData`). */
function generatedNetbirdEntries(t: number): DemoNetbirdEntry[] {
  let n = 5;
  const pats = (userId: string, count: number, createdBy: (n: number) => string) =>
    range(1, count).map(() => {
      const token = generatedPat(t, n, createdBy(n));
      n += 1;
      return { userId, token };
    });
  return [
    ...pats('alice', ALICE_MORE_PATS, () => 'alice'),
    ...pats('bob', 2, () => 'bob'),
    ...pats('olivia', 1, () => 'olivia'),
    // An admin or the owner creates a service user's tokens.
    ...NETBIRD_SERVICE_USERS.flatMap((id) => pats(id, NETBIRD_PATS_PER_SERVICE_USER, (n) => (n % 2 === 0 ? 'alice' : 'olivia'))),
    ...NETBIRD_PEOPLE.flatMap((id, i) => pats(id, i % 3, () => id)),
    ...pats(NETBIRD_HIDDEN_SERVICE_USER, 2, () => 'olivia'),
    ...pats(NETBIRD_FOREIGN_USER, 1, () => NETBIRD_FOREIGN_USER),
  ];
}

// ---- generated Astra users and tokens ----------------------------------------------------------

const FIRST_NAMES = ['Ana', 'Ben', 'Chloe', 'Dev', 'Eli', 'Fatima', 'Gus', 'Hana', 'Ines', 'Jon'];
const LAST_NAMES = ['Berg', 'Costa', 'Dahl', 'Engel', 'Fox', 'Gray', 'Holm'];
/** acme's regular users besides ops-admin and sec-auditor: 30 users, so its users list has two pages. */
const ACME_MORE_USERS = 28;
const GLOBEX_MORE_USERS = 4;
/** Generated tokens of acme's ops-admin, besides astra-demo-1 and -2: 30 in all, two pages. */
const OPS_ADMIN_MORE_TOKENS = 28;
/** Exactly one full page: a list that must end without a `continue`. */
const GLOBEX_ADMIN_TOKENS = 25;
const ASTRA_PURPOSES = ['backup automation', 'read-only dashboard', 'ci pipeline', 'snapshot schedule', 'cluster onboarding', 'restore drill', 'cost report'];
const TEAMS = ['platform', 'data', 'web', 'security'];

function astraUser(t: number, accountId: string, id: string, firstName: string, lastName: string, createdBy: string, i: number): DemoAstraUserEntry {
  const created = isoSeconds(t - (400 - i * 7) * DAY);
  return {
    accountId,
    user: {
      type: 'application/astra-user',
      version: '1.2',
      id,
      firstName,
      lastName,
      email: `${firstName}.${lastName}@${accountId}.example`.toLowerCase(),
      metadata: { labels: [], creationTimestamp: created, modificationTimestamp: created, createdBy },
    },
  };
}

function astraUsers(t: number): DemoAstraUserEntry[] {
  const more = (accountId: string, count: number, admin: string) =>
    range(1, count).map((i) =>
      astraUser(t, accountId, `${accountId}-u${String(i).padStart(2, '0')}`, FIRST_NAMES[i % FIRST_NAMES.length]!, LAST_NAMES[i % LAST_NAMES.length]!, admin, i + 2),
    );
  return [
    astraUser(t, 'acme', 'ops-admin', 'Ops', 'Admin', 'system', 0),
    astraUser(t, 'acme', 'sec-auditor', 'Sec', 'Auditor', 'ops-admin', 1),
    ...more('acme', ACME_MORE_USERS, 'ops-admin'),
    astraUser(t, 'globex', 'globex-admin', 'Globex', 'Admin', 'system', 0),
    ...more('globex', GLOBEX_MORE_USERS, 'globex-admin'),
  ];
}

/** Token `astra-demo-<n>`, created by its own user; every field follows from `n`. Astra tokens never expire. */
function generatedAstraToken(t: number, n: number, userId: string): DemoAstraToken {
  const createdDaysAgo = 1 + ((n * 17) % 400);
  const modified = n % 4 === 0;
  return {
    type: 'application/astra-token',
    version: '1.0',
    id: `astra-demo-${n}`,
    name: `${ASTRA_PURPOSES[n % ASTRA_PURPOSES.length]} ${n}`,
    userID: userId,
    metadata: {
      labels: n % 3 === 0 ? [{ name: 'team', value: TEAMS[n % TEAMS.length]! }] : [],
      creationTimestamp: isoSeconds(t - createdDaysAgo * DAY),
      modificationTimestamp: isoSeconds(t - (modified ? Math.floor(createdDaysAgo / 2) : createdDaysAgo) * DAY),
      createdBy: userId,
      ...(modified ? { modifiedBy: userId } : {}),
    },
  };
}

/** Generated tokens from `astra-demo-3` on. */
function generatedAstraEntries(t: number, users: DemoAstraUserEntry[]): DemoAstraEntry[] {
  let n = 3;
  const tokens = (accountId: string, userId: string, count: number) =>
    range(1, count).map(() => {
      const token = generatedAstraToken(t, n, userId);
      n += 1;
      return { accountId, token };
    });
  /** `count(i)` tokens for the i-th user of the account after its admin. */
  const others = (accountId: string, admin: string, count: (i: number) => number) =>
    users.filter((u) => u.accountId === accountId && u.user.id !== admin).flatMap((u, i) => tokens(accountId, u.user.id, count(i)));
  return [
    ...tokens('acme', 'ops-admin', OPS_ADMIN_MORE_TOKENS),
    ...others('acme', 'ops-admin', (i) => (i + 1) % 3),
    ...tokens('globex', 'globex-admin', GLOBEX_ADMIN_TOKENS),
    ...others('globex', 'globex-admin', (i) => i + 1),
  ];
}

export function demoData(now: Date): DemoData {
  const t = now.getTime();
  const astraUserList = astraUsers(t);
  return {
    crafterProfile: {
      tickets: [
        // Seed 000's example (id, tenant, profile). Its lastRequestTime is seed 000's 2017 value no
        // longer: Crafter drops a ticket idle for 15 minutes, and sets the time anew at every read.
        { tenant: 'default', profileId: '5925a68def86951f895cf497', lastRequestTime: t - 60_000, id: '2e911e0b-ac47-423e-9174-4e8896f1b387' },
        { tenant: 'default', profileId: '65f1c2a4b7e9d3a1f0c4e812', lastRequestTime: t - 5 * 60_000, id: '8f14e45f-ceea-467a-9a1b-3c5d2f9e0a61' },
      ],
      accessTokens: [
        // Seed 001's three, verbatim (all expired on 2024-01-01).
        {
          application: 'adminconsole',
          master: true,
          tenantPermissions: [{ allowedActions: ['*'], tenant: '*' }],
          expiresOn: 1704067200000,
          id: 'e8f5170c-877b-416f-b70f-4b09772f8e2d',
        },
        { application: 'crafterengine', master: false, tenantPermissions: seedPermissions(), expiresOn: 1704067200000, id: 'b4d44030-d0af-11e3-9c1a-0800200c9a66' },
        { application: 'craftersocial', master: false, tenantPermissions: seedPermissions(), expiresOn: 1704067200000, id: '2ba3ac10-c43e-11e3-9c1a-0800200c9a66' },
        // tokengraph's own credential in demo mode.
        {
          application: 'tokengraph',
          master: true,
          tenantPermissions: [{ allowedActions: ['*'], tenant: '*' }],
          expiresOn: t + 180 * DAY,
          id: DEMO_CREDENTIALS.crafterProfile,
        },
        {
          application: 'demo-site',
          master: false,
          tenantPermissions: [{ allowedActions: ['MANAGE_TICKETS', 'READ_TENANT'], tenant: 'default' }],
          expiresOn: t + 365 * DAY,
          id: 'f81d4fae-7dec-11d0-a765-00a0c91e6bf6',
        },
        // A master token created without an expiry (Crafter stores expiresOn null): it never expires.
        {
          application: 'provisioning',
          master: true,
          tenantPermissions: [{ allowedActions: ['*'], tenant: '*' }],
          expiresOn: null,
          id: '0b8e6a4c-1f2d-4e3a-9c5b-7d6e8f9a0b1c',
        },
        // Created without permissions: Crafter answers tenantPermissions null (and, below, allowedActions null).
        { application: 'legacy-widget', master: false, tenantPermissions: null, expiresOn: t + 90 * DAY, id: '5c1d9e2f-3a4b-4c6d-8e7f-9a0b1c2d3e4f' },
        { application: 'reports', master: false, tenantPermissions: [{ allowedActions: null, tenant: 'default' }], expiresOn: t + 200 * DAY, id: '7a8b9c0d-1e2f-4a3b-8c4d-5e6f7a8b9c0d' },
      ],
    },
    astra: [
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
          metadata: {
            labels: [],
            creationTimestamp: isoSeconds(t - 3 * DAY),
            modificationTimestamp: isoSeconds(t - 3 * DAY),
            createdBy: 'ops-admin',
          },
        },
      },
      ...generatedAstraEntries(t, astraUserList),
    ],
    astraUsers: astraUserList,
    netbird: [
      {
        userId: 'alice',
        token: {
          id: 'nb-demo-1',
          name: 'CI deploy',
          expiration_date: isoMillis(t + 30 * DAY),
          created_by: 'alice',
          created_at: isoMillis(t - 60 * DAY),
          last_used: isoMillis(t - HOUR),
        },
      },
      {
        userId: 'alice',
        token: {
          id: 'nb-demo-2',
          name: 'old laptop',
          expiration_date: isoMillis(t - 10 * DAY),
          created_by: 'alice',
          created_at: isoMillis(t - 100 * DAY),
        },
      },
      {
        // A service user's token, which an admin may read (another regular user's it may not).
        userId: 'svc-monitoring',
        token: {
          id: 'nb-demo-3',
          name: 'monitoring',
          expiration_date: isoMillis(t + 90 * DAY),
          created_by: 'alice',
          created_at: isoMillis(t - 20 * DAY),
          last_used: isoMillis(t - 2 * DAY),
        },
      },
      {
        userId: 'alice',
        token: {
          id: 'nb-demo-4',
          name: 'staging deploy',
          // Expires in exactly three days: within the week that "expiring soon" looks at.
          expiration_date: isoMillis(t + 3 * DAY),
          created_by: 'alice',
          created_at: isoMillis(t - 27 * DAY),
          last_used: isoMillis(t - 30 * 60_000),
        },
      },
      {
        // tokengraph's own credential in demo mode: every call made with it marks it used.
        userId: 'alice',
        token: {
          id: 'nb-tokengraph',
          name: 'tokengraph',
          expiration_date: isoMillis(t + 335 * DAY),
          created_by: 'alice',
          created_at: isoMillis(t - 30 * DAY),
          last_used: isoMillis(t - 60_000),
        },
      },
      {
        // The service user's credential (DEMO_NETBIRD_SERVICE_CREDENTIAL).
        userId: 'svc-ci',
        token: {
          id: 'nb-tokengraph-svc',
          name: 'tokengraph (service user)',
          expiration_date: isoMillis(t + 300 * DAY),
          created_by: 'alice',
          created_at: isoMillis(t - 65 * DAY),
        },
      },
      ...generatedNetbirdEntries(t),
    ],
    netbirdUsers: netbirdUsers(t),
    games: [
      {
        TokenSourceId: 'game-demo-1',
        IssueDate: dotNetUtc(t - 45 * DAY),
        ExpirationDate: dotNetUtc(t - 15 * DAY),
        ParticipantSourceId: 'player-4711',
        GameSourceId: 'spin-and-win',
        GameName: 'Spin & Win <Deluxe>',
        GameIconUrl: 'https://games.example/icons/spin-and-win.png?size=64&theme=dark',
        Reason: 'Welcome bonus',
        GamePlayKey: '3f2b8c1e-9d4a-4e6b-8f7c-2a1d5e9b0c34',
      },
      {
        TokenSourceId: 'game-demo-2',
        IssueDate: dotNetUtc(t - 2 * DAY),
        // Expires within the week: the overview page marks it as expiring soon.
        ExpirationDate: dotNetUtc(t + 3 * DAY),
        ParticipantSourceId: 'player-4711',
        GameSourceId: 'treasure-hunt',
        GameName: 'Treasure Hunt',
        GameIconUrl: 'https://games.example/icons/treasure-hunt.png',
        Reason: null,
        GamePlayKey: 'a7c9e2d4-1b3f-4c5d-9e8f-6a2b4c8d0e1f',
      },
    ],
  };
}
