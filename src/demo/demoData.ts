/**
 * The records demo mode serves (contract §5a), shaped exactly like each upstream's own answers
 * and dated relative to `now` so that what should be unexpired stays unexpired. Examples, docs and
 * tests name these identifiers; the credentials are fixed and obviously fake.
 */
import type { SourceName, UpstreamName } from '../sources.js';

/** tokengraph's credential for each demo upstream. */
export const DEMO_CREDENTIALS: Readonly<Record<UpstreamName, string>> = {
  /** The `tokengraph` master token in the Crafter list (the well-known example UUID). */
  crafterProfile: 'de305d54-75b4-431b-adb2-eb6b9e546014',
  astra: 'demo-astra-token',
  netbird: 'demo-netbird-token',
  games: 'demo-games-token',
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
  tenantPermissions: { allowedActions: string[]; tenant: string }[];
  /** Epoch milliseconds. */
  expiresOn: number;
  id: string;
}

export interface DemoCrafterProfile {
  tickets: DemoCrafterTicket[];
  /** Also the server's credentials: any unexpired id here is a valid `accessTokenId`. */
  accessTokens: DemoCrafterAccessToken[];
}

export interface DemoAstraToken {
  type: 'application/astra-token';
  version: '1.1';
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
  netbird: DemoNetbirdEntry[];
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
  { source: 'ASTRA', accountId: 'acme', userId: 'ops-admin', tokenId: 'astra-demo-1' },
  { source: 'ASTRA', accountId: 'acme', userId: 'ops-admin', tokenId: 'astra-demo-2' },
  { source: 'NETBIRD', userId: 'alice', tokenId: 'nb-demo-1' },
  { source: 'NETBIRD', userId: 'alice', tokenId: 'nb-demo-2' },
  { source: 'NETBIRD', userId: 'bob', tokenId: 'nb-demo-3' },
  { source: 'GAME', tokenId: 'game-demo-1' },
  { source: 'GAME', tokenId: 'game-demo-2' },
];

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** ISO with seconds and `Z`, as Astra writes timestamps. */
const isoSeconds = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
/** ISO with milliseconds and `Z`, as NetBird writes dates. */
const isoMillis = (ms: number) => new Date(ms).toISOString();
/** .NET's seven fractional digits with `Z` (the last four are sub-millisecond ticks). */
const dotNetUtc = (ms: number) => `${new Date(ms).toISOString().slice(0, 23)}4349Z`;

const seedPermissions = () => [{ allowedActions: ['MANAGE_TICKETS', 'READ_TENANT', 'MANAGE_PROFILES'], tenant: '*' }];

export function demoData(now: Date): DemoData {
  const t = now.getTime();
  return {
    crafterProfile: {
      tickets: [
        // Seed 000's example, verbatim.
        { tenant: 'default', profileId: '5925a68def86951f895cf497', lastRequestTime: 1495664265318, id: '2e911e0b-ac47-423e-9174-4e8896f1b387' },
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
      ],
    },
    astra: [
      {
        accountId: 'acme',
        token: {
          type: 'application/astra-token',
          version: '1.1',
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
          version: '1.1',
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
    ],
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
        userId: 'bob',
        token: {
          id: 'nb-demo-3',
          name: 'monitoring',
          expiration_date: isoMillis(t + 90 * DAY),
          created_by: 'alice',
          created_at: isoMillis(t - 20 * DAY),
          last_used: isoMillis(t - 2 * DAY),
        },
      },
    ],
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
