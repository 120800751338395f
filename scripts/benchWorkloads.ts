/**
 * The workloads of `npm run bench`, shared by the bench, the tokengraph child, the raw
 * baseline and the upstreams child: which tokens each asks for, the one GraphQL document
 * tokengraph is sent for it, and the upstream resources both servers must fetch.
 *
 * The demo data is extended with synthetic records so that every token asked for exists.
 */
import { demoData, type DemoData, type DemoTokenRef } from '../src/demo/demoData.js';

export type WorkloadName = 'netbird' | 'oneOfEach' | 'fifty' | 'accessTokens';

export interface Workload {
  name: WorkloadName;
  title: string;
  refs: DemoTokenRef[];
  /** Also asks for the whole Crafter access-token list. */
  withAccessTokenList: boolean;
  /** The GraphQL document sent on every request. */
  document: string;
  /** Its variables: the Crafter ticket and access-token ids, which tokengraph refuses written in a document. */
  variables: Record<string, string>;
}

const DAY = 86_400_000;
const FIELDS = '__typename source tokenId name owner createdAt expiresAt lastUsedAt status';

const ticket = (tokenId: string): DemoTokenRef => ({ source: 'CRAFTER_TICKET', tokenId });
const accessToken = (tokenId: string): DemoTokenRef => ({ source: 'CRAFTER_ACCESS_TOKEN', tokenId });
const astra = (tokenId: string): DemoTokenRef => ({ source: 'ASTRA', accountId: 'acme', userId: 'ops-admin', tokenId });
const netbird = (userId: string, tokenId: string): DemoTokenRef => ({ source: 'NETBIRD', userId, tokenId });
const game = (tokenId: string): DemoTokenRef => ({ source: 'GAME', tokenId });

const range = (n: number) => Array.from({ length: n }, (_, i) => i + 1);
const pad = (i: number) => String(i).padStart(2, '0');
/** Synthetic Crafter access-token ids, UUID-shaped like the real ones. */
const benchAccessTokenId = (i: number) => `bench000-0000-4000-8000-0000000000${pad(i)}`;

/** The demo data plus the synthetic records the workloads name. */
export function benchData(now: Date): DemoData {
  const data = demoData(now);
  const t = now.getTime();
  for (const i of range(8)) {
    data.crafterProfile.tickets.push({ tenant: 'default', profileId: `bench-profile-${i}`, lastRequestTime: t - i * 60_000, id: `bench-ticket-${i}` });
  }
  for (const i of range(20)) {
    data.crafterProfile.accessTokens.push({
      application: `bench-app-${i}`,
      master: false,
      tenantPermissions: [{ allowedActions: ['READ_TENANT'], tenant: 'default' }],
      expiresOn: t + i * DAY,
      id: benchAccessTokenId(i),
    });
  }
  const stamp = new Date(t - DAY).toISOString().replace(/\.\d{3}Z$/, 'Z');
  for (const i of range(7)) {
    data.astra.push({
      accountId: 'acme',
      token: {
        type: 'application/astra-token',
        version: '1.0',
        id: `bench-astra-${i}`,
        name: `bench astra ${i}`,
        userID: 'ops-admin',
        metadata: { labels: [{ name: 'bench', value: String(i) }], creationTimestamp: stamp, modificationTimestamp: stamp, createdBy: 'ops-admin' },
      },
    });
  }
  for (const i of range(8)) {
    data.netbird.push({
      userId: 'alice',
      token: {
        id: `bench-nb-${i}`,
        name: `bench pat ${i}`,
        expiration_date: new Date(t + i * DAY).toISOString(),
        created_by: 'alice',
        created_at: new Date(t - i * DAY).toISOString(),
        last_used: new Date(t - i * 60_000).toISOString(),
      },
    });
  }
  for (const i of range(7)) {
    data.games.push({
      TokenSourceId: `bench-game-${i}`,
      IssueDate: `${new Date(t - DAY).toISOString().slice(0, 23)}0000Z`,
      ExpirationDate: `${new Date(t + i * DAY).toISOString().slice(0, 23)}0000Z`,
      ParticipantSourceId: `player-${i}`,
      GameSourceId: 'bench',
      GameName: `Bench ${i}`,
      GameIconUrl: null,
      Reason: null,
      GamePlayKey: `bench-key-${i}`,
    });
  }
  return data;
}

/** 35 distinct tokens over every source, then 15 of them again (30% repeats), interleaved. */
function fiftyRefs(): DemoTokenRef[] {
  const distinct = [
    ...range(8).map((i) => ticket(`bench-ticket-${i}`)),
    ...range(5).map((i) => accessToken(benchAccessTokenId(i))),
    ...range(7).map((i) => astra(`bench-astra-${i}`)),
    ...range(8).map((i) => netbird('alice', `bench-nb-${i}`)),
    ...range(7).map((i) => game(`bench-game-${i}`)),
  ];
  const repeats = range(15).map((i) => distinct[(i * 3) % distinct.length]!);
  // A fixed interleaving, so that repeats are spread through the list.
  const all = [...distinct, ...repeats];
  return all.map((_, i) => all[(i * 17) % all.length]!);
}

/** Sources whose ids are credentials: a variable each (`$s1`, …), every other part written in the document. */
const SECRET_ID_SOURCES = new Set(['CRAFTER_TICKET', 'CRAFTER_ACCESS_TOKEN']);

/** `query Bench(…) { tokens(refs: [...]) }` over `refs`, and the variables it uses. */
function tokensWorkload(refs: DemoTokenRef[]): Pick<Workload, 'document' | 'variables'> {
  const variables: Record<string, string> = {};
  const literal = (ref: DemoTokenRef) =>
    `{ ${Object.entries(ref)
      .map(([k, v]) => {
        if (k === 'source') return `source: ${v}`;
        if (k !== 'tokenId' || !SECRET_ID_SOURCES.has(ref.source)) return `${k}: ${JSON.stringify(v)}`;
        const name = `s${Object.keys(variables).length + 1}`;
        variables[name] = v as string;
        return `tokenId: $${name}`;
      })
      .join(', ')} }`;
  const list = refs.map(literal).join(' ');
  return { document: `query Bench${declarations(variables)} { tokens(refs: [${list}]) { ${FIELDS} } }`, variables };
}

/** `($s1: String!, …)` for `variables`, or nothing. */
const declarations = (variables: Record<string, string>) => {
  const names = Object.keys(variables);
  return names.length > 0 ? `(${names.map((name) => `$${name}: String!`).join(', ')})` : '';
};

const accessTokenIds = range(20).map(benchAccessTokenId);
/** The twenty access-token ids as variables `$t01`…`$t20`. */
const accessTokenVariables: Record<string, string> = Object.fromEntries(accessTokenIds.map((id, i) => [`t${pad(i + 1)}`, id]));

export const WORKLOADS: readonly Workload[] = [
  {
    name: 'netbird',
    title: 'one NetBird token',
    refs: [netbird('alice', 'nb-demo-1')],
    withAccessTokenList: false,
    document: `query Bench { netbirdToken(userId: "alice", tokenId: "nb-demo-1") { ${FIELDS} } }`,
    variables: {},
  },
  {
    name: 'oneOfEach',
    title: 'one token of each source',
    refs: [
      ticket('2e911e0b-ac47-423e-9174-4e8896f1b387'),
      accessToken('e8f5170c-877b-416f-b70f-4b09772f8e2d'),
      astra('astra-demo-1'),
      netbird('alice', 'nb-demo-1'),
      game('game-demo-1'),
    ],
    withAccessTokenList: false,
    document: '',
    variables: {},
  },
  { name: 'fifty', title: 'fifty tokens, all sources, 30% repeats', refs: fiftyRefs(), withAccessTokenList: false, document: '', variables: {} },
  {
    name: 'accessTokens',
    title: 'twenty Crafter access tokens by id + the list',
    refs: accessTokenIds.map(accessToken),
    withAccessTokenList: true,
    document: `query Bench${declarations(accessTokenVariables)} { crafterAccessTokens { tokenId name expiresAt status } ${Object.keys(accessTokenVariables)
      .map((name) => `${name}: crafterAccessToken(id: $${name}) { tokenId name expiresAt status }`)
      .join(' ')} }`,
    variables: accessTokenVariables,
  },
].map((w) => (w.document ? w : { ...w, ...tokensWorkload(w.refs) })) as Workload[];

/** The upstream resource a ref needs: every access token comes from the one list. */
export function resourceKey(ref: DemoTokenRef): string {
  return ref.source === 'CRAFTER_ACCESS_TOKEN' ? 'CRAFTER_ACCESS_TOKEN:list' : JSON.stringify(ref);
}

export function distinctResources(workload: Workload): number {
  const keys = new Set(workload.refs.map(resourceKey));
  if (workload.withAccessTokenList) keys.add('CRAFTER_ACCESS_TOKEN:list');
  return keys.size;
}
