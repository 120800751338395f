/**
 * One full read of the inventory (contract §7): every configured source that can be listed is
 * listed (its datasource's `TokenLister`), and every watched reference is read through the
 * sources' own loaders (one call per distinct resource), all concurrently; each source's calls
 * stay within its bulkhead. A part that fails (a user's tokens, an account, a watched reference)
 * becomes a gap, grouped by source and code; a watched token the upstream does not know is left out
 * silently, and one a list also returns appears once.
 */
import { TOKEN_LISTERS, TOKEN_SOURCES, type DataSources } from '../datasources/createDataSources.js';
import { globalIdOf, type CrafterAccessTokenModel, type TokenModel } from '../datasources/models.js';
import { createTokenLoader } from '../datasources/tokenSource.js';
import type { CallOptions } from '../datasources/upstreamClient.js';
import type { InventoryConfig } from '../config/readConfig.js';
import type { Logger } from '../observability/createLogger.js';
import { FIXED_LIMITS } from '../security/limits.js';
import { fingerprintSecretId, loggedKey } from '../security/secretIds.js';
import { sourceNotConfigured, TokengraphError } from '../shared/errors.js';
import { refText, SOURCE_NAMES, SOURCES, sourceRow, type ListableSource, type SourceName, type TokenKey } from '../sources.js';
import type { InventoryGap, Snapshot } from './snapshot.js';

interface Failure {
  source: SourceName;
  scope: string;
  error: unknown;
}

const LISTABLE = SOURCES.filter((row) => row.listable).map((row) => row.name as ListableSource);

/** The sources an inventory read covers: those configured and listed (Astra with accounts), and those watched. */
export function inventorySources(dataSources: DataSources, settings: InventoryConfig): SourceName[] {
  const listed = (source: SourceName) => sourceRow(source).listable && (source !== 'ASTRA' || settings.astraAccountIds.length > 0);
  return SOURCE_NAMES.filter((source) => dataSources.clients[source] && (listed(source) || settings.watch.some((key) => key.source === source)));
}

export async function readInventory(dataSources: DataSources, settings: InventoryConfig, options: CallOptions, logger?: Logger): Promise<Snapshot> {
  const collectedAt = Date.now();
  const failures: Failure[] = [];
  const listings = new Map<ListableSource, Promise<TokenModel[]>>();
  for (const source of LISTABLE) {
    const client = dataSources.clients[source];
    // A source with no base URL is not part of the inventory (its watched references say so).
    if (!client) continue;
    if (source === 'ASTRA' && settings.astraAccountIds.length === 0) {
      failures.push({ source, scope: 'ASTRA_ACCOUNT_IDS', error: notConfigured });
      continue;
    }
    const lister = TOKEN_LISTERS[source] as (typeof TOKEN_LISTERS)[ListableSource];
    listings.set(
      source,
      lister(client, settings, options).then((listing) => {
        for (const failure of listing.failures) failures.push({ source, ...failure });
        return listing.tokens as TokenModel[];
      }),
    );
  }
  const [listed, watched] = await Promise.all([
    Promise.all(listings.values()).then((lists) => lists.flat()),
    readWatched(dataSources, settings.watch, options, listings.get('CRAFTER_ACCESS_TOKEN') as Promise<CrafterAccessTokenModel[]> | undefined, failures),
  ]);
  const tokens = new Map<string, TokenModel>();
  for (const token of [...listed, ...watched]) {
    const id = globalIdOf(token);
    if (!tokens.has(id)) tokens.set(id, token);
  }
  return { collectedAt, tokens: [...tokens.values()], gaps: gapsOf(failures, logger) };
}

/** Every watched token found (one read per distinct resource); failures are recorded, unknown tokens dropped. */
async function readWatched(
  dataSources: DataSources,
  watch: readonly TokenKey[],
  options: CallOptions,
  accessTokens: Promise<CrafterAccessTokenModel[]> | undefined,
  failures: Failure[],
): Promise<TokenModel[]> {
  const loaders = new Map<SourceName, { load(key: TokenKey): Promise<TokenModel | null> }>();
  // Watched access tokens are found in the list, which the listing reads anyway: indexed once.
  const listed = accessTokens?.then((tokens) => new Map(tokens.map((token) => [token.fingerprint, token])), () => new Map<string, CrafterAccessTokenModel>());
  const read = async (key: TokenKey): Promise<TokenModel | null> => {
    const client = dataSources.clients[key.source];
    if (!client) throw sourceNotConfigured(key.source);
    if (key.source === 'CRAFTER_ACCESS_TOKEN') {
      if (!listed || 'fingerprint' in key) return null;
      return (await listed).get(fingerprintSecretId(key.tokenId)) ?? null;
    }
    let loader = loaders.get(key.source);
    if (!loader) loaders.set(key.source, (loader = createTokenLoader(client, TOKEN_SOURCES[key.source] as never, options) as unknown as { load(key: TokenKey): Promise<TokenModel | null> }));
    return loader.load(key);
  };
  const found = await Promise.all(
    watch.map((key) =>
      read(key).catch((error: unknown) => {
        failures.push({ source: key.source, scope: `watched ${watchedLabel(key)}`, error });
        return null;
      }),
    ),
  );
  return found.filter((token): token is TokenModel => token !== null);
}

/** A watched reference as a gap names it: ids that are credentials masked. */
function watchedLabel(key: TokenKey): string {
  if ('fingerprint' in key) return key.source;
  return refText(loggedKey(key));
}

const notConfigured = new TokengraphError('BAD_USER_INPUT', 'ASTRA is not listed: ASTRA_ACCOUNT_IDS names no account');

/** Failures grouped by source (in the enum's order) and code, each group with up to ten scopes. */
function gapsOf(failures: Failure[], logger: Logger | undefined): InventoryGap[] {
  const groups = new Map<string, InventoryGap>();
  for (const { source, scope, error } of failures) {
    const { code, message } = describe(error, logger);
    const id = `${source}\u0000${code}`;
    const gap = groups.get(id) ?? { source, code, count: 0, scopes: [], message };
    gap.count += 1;
    if (gap.scopes.length < FIXED_LIMITS.gapScopes) gap.scopes.push(scope);
    groups.set(id, gap);
  }
  const rank = (source: SourceName) => SOURCE_NAMES.indexOf(source);
  return [...groups.values()].sort((a, b) => rank(a.source) - rank(b.source) || a.code.localeCompare(b.code));
}

function describe(error: unknown, logger: Logger | undefined): { code: string; message: string } {
  if (error === notConfigured) return { code: 'INVENTORY_NOT_CONFIGURED', message: notConfigured.message };
  if (error instanceof TokengraphError) return { code: error.code, message: error.message };
  // A bug, not an upstream's answer: logged in full, shown as little as any unexpected error.
  logger?.error({ err: error }, 'inventory: unexpected error reading a part');
  return { code: 'INTERNAL_SERVER_ERROR', message: 'Internal server error' };
}
