/**
 * The sources tokengraph reads, one row each, and the upstream APIs that serve them. Every other
 * list of sources is derived from these two tables: the names (`SourceName`, `UpstreamName`),
 * each source's GraphQL type, the configuration variables of each upstream, the parts of a
 * token's key (which are also the parts of its `TokenRef`, its global id and its watch
 * reference), what may be shown of its id, which sources can be listed or revoked, and their labels.
 *
 * Adding a source means a row here, its datasource (src/datasources/), its demo upstream
 * (src/demo/), its schema file (schema/) and its resolver (src/resolvers/); every table keyed by
 * source or upstream is typed by these, so the compiler names each one that needs an entry.
 */

export const UPSTREAMS = {
  crafterProfile: { label: 'Crafter Profile', prefix: 'CRAFTER_PROFILE', credential: 'CRAFTER_PROFILE_ACCESS_TOKEN_ID' },
  astra: { label: 'NetApp Astra Control', prefix: 'ASTRA', credential: 'ASTRA_API_TOKEN' },
  netbird: { label: 'NetBird', prefix: 'NETBIRD', credential: 'NETBIRD_TOKEN' },
  games: { label: 'the games platform', prefix: 'GAMES', credential: 'GAMES_TOKEN' },
} as const satisfies Record<string, UpstreamRow>;

export interface UpstreamRow {
  label: string;
  /** Every setting of the upstream is `<prefix>_<SETTING>`: `<prefix>_URL`, `<prefix>_TIMEOUT_MS`, … */
  prefix: string;
  /** The variable of tokengraph's own credential for it. */
  credential: string;
}

export interface SourceRowShape {
  /** The `TokenSource` enum value. */
  name: string;
  /** The GraphQL type of its tokens. */
  type: string;
  upstream: keyof typeof UPSTREAMS;
  /** How the overview page names it. */
  label: string;
  /** What identifies one of its tokens, in order: the fields of its `TokenRef`, global id and watch reference. */
  refParts: readonly RefPart[];
  /** Whether tokengraph can list its tokens upstream (the rest are reached by reference only). */
  listable: boolean;
  /** Whether its upstream documents a way to revoke a token (contract §9); the others are `UNSUPPORTED`. */
  revocable: boolean;
  /**
   * Whether reading one of its tokens extends the token's life upstream (Crafter renews a ticket's
   * session at every read, contract §10): such tokens are read only for a request, never by the
   * background refresh (contract §7), and their last use is not known.
   */
  readExtendsLife: boolean;
  /**
   * What its token ids are: `public`; `credential`, a session credential (Crafter tickets: answered
   * to whoever asks, but masked in logs and metrics and fingerprinted in cache keys); or `secret`,
   * a credential itself (Crafter access tokens: masked everywhere, global ids from a fingerprint).
   */
  id: 'public' | 'credential' | 'secret';
}

export type RefPart = 'accountId' | 'userId' | 'tokenId';

export const SOURCES = [
  { name: 'CRAFTER_TICKET', type: 'CrafterTicket', upstream: 'crafterProfile', label: 'Crafter ticket', refParts: ['tokenId'], listable: false, revocable: true, readExtendsLife: true, id: 'credential' },
  { name: 'CRAFTER_ACCESS_TOKEN', type: 'CrafterAccessToken', upstream: 'crafterProfile', label: 'Crafter access token', refParts: ['tokenId'], listable: true, revocable: true, readExtendsLife: false, id: 'secret' },
  { name: 'ASTRA', type: 'AstraToken', upstream: 'astra', label: 'Astra Control', refParts: ['accountId', 'userId', 'tokenId'], listable: true, revocable: true, readExtendsLife: false, id: 'public' },
  { name: 'NETBIRD', type: 'NetbirdPAT', upstream: 'netbird', label: 'NetBird', refParts: ['userId', 'tokenId'], listable: true, revocable: true, readExtendsLife: false, id: 'public' },
  { name: 'GAME', type: 'GameToken', upstream: 'games', label: 'Games', refParts: ['tokenId'], listable: false, revocable: false, readExtendsLife: false, id: 'public' },
] as const satisfies readonly SourceRowShape[];

type Row = (typeof SOURCES)[number];
export type SourceName = Row['name'];
export type TokenTypeName = Row['type'];
export type UpstreamName = keyof typeof UPSTREAMS;
export type SourceRow<S extends SourceName = SourceName> = Extract<Row, { name: S }>;
/** The source whose GraphQL type is `T`. */
export type SourceOfType<T extends TokenTypeName> = Extract<Row, { type: T }>['name'];
/** The sources tokengraph can list upstream; the others enter an inventory as watched references only. */
export type ListableSource = Extract<Row, { listable: true }>['name'];
/** The sources whose tokens tokengraph can revoke (contract §9). */
export type RevocableSource = Extract<Row, { revocable: true }>['name'];

/**
 * What identifies one token of source `S`: its reference parts. For `CRAFTER_ACCESS_TOKEN`
 * `tokenId` is the real id (a caller who knows it asks by it); a global id carries only its
 * fingerprint, a `FingerprintKey`.
 */
export type KeyOf<S extends SourceName> = { readonly source: S; readonly tokenId: string } & { readonly [P in SourceRow<S>['refParts'][number]]: string };
export interface FingerprintKey {
  readonly source: 'CRAFTER_ACCESS_TOKEN';
  /** The SHA-256 fingerprint of the id (security/secretIds.ts). */
  readonly fingerprint: string;
}
export type TokenKey = { [S in SourceName]: KeyOf<S> }[SourceName] | FingerprintKey;

export const SOURCE_NAMES: readonly SourceName[] = SOURCES.map((row) => row.name);
export const UPSTREAM_NAMES = Object.keys(UPSTREAMS) as UpstreamName[];

const BY_NAME = new Map<string, Row>(SOURCES.map((row) => [row.name, row]));
const BY_TYPE = new Map<string, Row>(SOURCES.map((row) => [row.type, row]));

export function sourceRow<S extends SourceName>(name: S): SourceRow<S> {
  return BY_NAME.get(name) as SourceRow<S>;
}

/** The row whose GraphQL type is `type`, if any. */
export function rowOfType(type: string): Row | undefined {
  return BY_TYPE.get(type);
}

function isSourceName(value: string): value is SourceName {
  return BY_NAME.has(value);
}

/** The sources an upstream serves. */
export function sourcesOf(upstream: UpstreamName): SourceName[] {
  return SOURCES.filter((row) => row.upstream === upstream).map((row) => row.name);
}

/** A table with one entry per source, made from its row: how every other per-source list is derived. */
export function bySource<T>(value: (row: SourceRow) => T): Record<SourceName, T> {
  return Object.fromEntries(SOURCES.map((row) => [row.name, value(row)])) as Record<SourceName, T>;
}

/**
 * A reference written as text, `SOURCE/part/part` with each part percent-encoded
 * (`NETBIRD/alice/nb-demo-1`, `ASTRA/acme/ops-admin/astra-demo-1`): how the overview page keeps its
 * watch list in its URL and how TOKENGRAPH_WATCH names tokens. `undefined` when it names no source
 * or has the wrong number of parts or a bad escape; the parts themselves are not checked here.
 */
export function parseRefText(text: string): { source: SourceName; parts: Partial<Record<RefPart, string>> } | undefined {
  const [source = '', ...encoded] = text.split('/');
  if (!isSourceName(source)) return undefined;
  const names = sourceRow(source).refParts as readonly RefPart[];
  if (encoded.length !== names.length) return undefined;
  const parts: Partial<Record<RefPart, string>> = {};
  try {
    names.forEach((name, i) => (parts[name] = decodeURIComponent(encoded[i]!)));
  } catch {
    return undefined;
  }
  return { source, parts };
}

/** `ref` written as text (the inverse of `parseRefText`). */
export function refText(ref: { source: SourceName } & Partial<Record<RefPart, string | null>>): string {
  return [ref.source, ...(sourceRow(ref.source).refParts as readonly RefPart[]).map((part) => encodeURIComponent(ref[part] ?? ''))].join('/');
}

/** A key's reference parts, in the row's order. */
export function keyParts(key: { readonly source: SourceName }): string[] {
  return (sourceRow(key.source).refParts as readonly RefPart[]).map((part) => (key as unknown as Record<RefPart, string>)[part]);
}
