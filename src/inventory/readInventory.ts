/**
 * One read of the inventory (contract §7), into a `PartLog`: every configured source that can be
 * listed is listed (its datasource's `TokenLister`), and every watched reference is read on its
 * own (one call per distinct resource), all concurrently. Each source's calls of every read share
 * part of its bulkhead (`readLimits`), watched references included, so that however many references
 * are watched none fails for want of a slot, and live GraphQL traffic keeps the rest of the
 * bulkhead while a read runs. A part that fails (a user's tokens, an account, a watched reference)
 * becomes a gap; a watched token the upstream does not know is left out silently, and one a list
 * also returns appears once.
 *
 * What a read covers is its `InventoryPlan`: the listings and the watched references of a kept
 * snapshot, or only the watched references of sources whose reads extend a token's life (Crafter
 * tickets: `readExtendsLife` in src/sources.ts), which are read only for a request (createInventory.ts).
 */
import pLimit from 'p-limit';
import { TOKEN_LISTERS, TOKEN_SOURCES, type DataSources } from '../datasources/createDataSources.js';
import type { CrafterAccessTokenModel, TokenModel } from '../datasources/models.js';
import type { SourceClient } from '../datasources/sourceClient.js';
import { partId, readEach, type Limit, type ListContext, type ListSettings, type PartRecorder, type TokenLister } from '../datasources/tokenListing.js';
import { readToken } from '../datasources/tokenSource.js';
import type { CallOptions } from '../datasources/upstreamClient.js';
import { fingerprintSecretId, loggedKey } from '../security/secretIds.js';
import { sourceNotConfigured } from '../shared/errors.js';
import { refText, SOURCE_NAMES, SOURCES, sourceRow, type ListableSource, type RefPart, type SourceName, type TokenKey } from '../sources.js';
import type { PartLog } from './partLog.js';
import { NOT_CONFIGURED } from './snapshot.js';

export interface InventoryPlan {
  /** List every configured source that can be listed. */
  list: boolean;
  /** The watched references to read. */
  watch: readonly TokenKey[];
  settings: ListSettings;
}

const LISTABLE = SOURCES.filter((row) => row.listable).map((row) => row.name as ListableSource);

/** Whether reading a token of `source` extends its life upstream: such tokens are read only for a request. */
export const extendsLife = (source: SourceName): boolean => sourceRow(source).readExtendsLife;

/**
 * The sources the background refresh reads: those configured and listed (Astra with accounts), and
 * those watched, but not the sources whose reads extend a token's life, which it never reads.
 */
export function monitoredSources(dataSources: DataSources, settings: ListSettings & { watch: readonly TokenKey[] }): SourceName[] {
  const listed = (source: SourceName) => sourceRow(source).listable && (source !== 'ASTRA' || settings.astraAccountIds.length > 0);
  return SOURCE_NAMES.filter((source) => dataSources.clients[source] && !extendsLife(source) && (listed(source) || settings.watch.some((key) => key.source === source)));
}

/**
 * How many calls of the inventory reads a source lets through at once: three quarters of its
 * bulkhead (at least one), so live requests keep a quarter of it however long reads run.
 */
function readShare(client: SourceClient): number {
  return Math.max(1, client.maxConcurrency - Math.max(1, Math.floor(client.maxConcurrency / 4)));
}

/**
 * Each source's share of its bulkhead for inventory reads, one limit per source for every read that
 * uses it: two reads at once (a `refresh: true`, another credential set, the background refresh)
 * share three quarters, rather than taking three quarters each and leaving live requests nothing.
 */
export function readLimits(): (client: SourceClient) => Limit {
  const limits = new Map<SourceName, Limit>();
  return (client) => {
    let limit = limits.get(client.source);
    if (!limit) limits.set(client.source, (limit = pLimit(readShare(client))));
    return limit;
  };
}

export async function readInventory(dataSources: DataSources, plan: InventoryPlan, options: CallOptions, log: PartLog, limitOf: (client: SourceClient) => Limit): Promise<void> {
  const listings = new Map<ListableSource, Promise<void>>();
  /** What the access-token listing found, for the watched access tokens (never a call of their own). */
  const accessTokens: AccessTokens = { tokens: [] };
  for (const source of plan.list ? LISTABLE : []) {
    const client = dataSources.clients[source];
    // A source with no base URL is not part of the inventory (its watched references say so).
    if (!client) continue;
    if (source === 'ASTRA' && plan.settings.astraAccountIds.length === 0) {
      log.gap(source, { id: partId('ASTRA'), scope: 'ASTRA_ACCOUNT_IDS' }, { code: NOT_CONFIGURED, message: 'ASTRA is not listed: ASTRA_ACCOUNT_IDS names no account' });
      continue;
    }
    const recorder = log.recorder<TokenModel>(source);
    const parts: PartRecorder<TokenModel> =
      source === 'CRAFTER_ACCESS_TOKEN'
        ? {
            begin: recorder.begin,
            read: (part, tokens) => {
              accessTokens.tokens = tokens as CrafterAccessTokenModel[];
              recorder.read(part, tokens);
            },
            failed: (part, error) => {
              accessTokens.error = error;
              recorder.failed(part, error);
            },
          }
        : recorder;
    const context: ListContext<TokenModel> = { client, settings: plan.settings, options, parts, limit: limitOf(client) };
    const lister = TOKEN_LISTERS[source] as TokenLister<TokenModel>;
    listings.set(source, log.listingOf(source, lister(context)));
  }
  accessTokens.listed = listings.get('CRAFTER_ACCESS_TOKEN');
  await Promise.all([...listings.values(), readWatched(dataSources, plan.watch, options, log, limitOf, accessTokens)]);
}

interface AccessTokens {
  /** Settles when the access-token listing has; absent when it does not run. */
  listed?: Promise<void>;
  tokens: readonly CrafterAccessTokenModel[];
  /** Why the list could not be read: a watched access token is then unknown too, not gone. */
  error?: unknown;
  /** `tokens` by fingerprint, made at the first watched access token's lookup: one walk of the list per read. */
  byFingerprint?: ReadonlyMap<string, CrafterAccessTokenModel>;
}

/** The listed access token with the fingerprint `fingerprint`, if any (the first, should the list hold it twice). */
function listedAccessToken(accessTokens: AccessTokens, fingerprint: string): CrafterAccessTokenModel | undefined {
  if (!accessTokens.byFingerprint) {
    const byFingerprint = new Map<string, CrafterAccessTokenModel>();
    for (const token of accessTokens.tokens) if (!byFingerprint.has(token.fingerprint)) byFingerprint.set(token.fingerprint, token);
    accessTokens.byFingerprint = byFingerprint;
  }
  return accessTokens.byFingerprint.get(fingerprint);
}

/** Every watched token, each its own part (one call per distinct resource); unknown tokens are left out. */
async function readWatched(
  dataSources: DataSources,
  watch: readonly TokenKey[],
  options: CallOptions,
  log: PartLog,
  limitOf: (client: SourceClient) => Limit,
  accessTokens: AccessTokens,
): Promise<void> {
  const bySource = new Map<SourceName, TokenKey[]>();
  for (const key of watch) {
    const keys = bySource.get(key.source);
    if (keys) keys.push(key);
    else bySource.set(key.source, [key]);
  }
  await Promise.all(
    [...bySource].map(async ([source, keys]) => {
      const client = dataSources.clients[source];
      const read = async (key: TokenKey): Promise<TokenModel[]> => {
        if (!client) throw sourceNotConfigured(source);
        if (key.source === 'CRAFTER_ACCESS_TOKEN') {
          // Found in the list the listing reads; never a call of its own.
          if (!accessTokens.listed || 'fingerprint' in key) return [];
          await accessTokens.listed;
          if (accessTokens.error !== undefined) throw accessTokens.error;
          const token = listedAccessToken(accessTokens, fingerprintSecretId(key.tokenId));
          return token ? [token] : [];
        }
        const record = await readToken(client, TOKEN_SOURCES[key.source] as never, key as never, options);
        return record === null ? [] : [{ source: key.source, key, record } as TokenModel];
      };
      const limit: Limit = client ? limitOf(client) : (call) => call();
      await readEach({ parts: log.recorder<TokenModel>(source), limit }, keys, (key) => ({ id: watchedPartId(key), scope: `watched ${watchedLabel(key)}` }), read, (tokens) => tokens);
    }),
  );
}

/** A watched reference's part: its reference parts, with an id that is a credential fingerprinted. */
function watchedPartId(key: TokenKey): string {
  if ('fingerprint' in key) return partId('watch', key.source, key.fingerprint);
  const secret = sourceRow(key.source).id !== 'public';
  const values = key as unknown as Record<RefPart, string>;
  const parts = (sourceRow(key.source).refParts as readonly RefPart[]).map((part) => (secret && part === 'tokenId' ? fingerprintSecretId(values[part]) : values[part]));
  return partId('watch', key.source, ...parts);
}

/** A watched reference as a gap names it: ids that are credentials masked. */
function watchedLabel(key: TokenKey): string {
  if ('fingerprint' in key) return key.source;
  return refText(loggedKey(key));
}
