/**
 * One request's reads of tokens by key, whatever their source: a loader per source (one call per
 * distinct token, a tick's calls together), made when the request first asks that source, and
 * Crafter access tokens from the request's one `access_token/all` call (there is no by-id read).
 * The request's context reads through it, and so does a revocation (with `bypassCache`).
 */
import { createAccessTokenIndex, type AccessTokenIndex, type CrafterAccessTokenModel } from './crafterProfile.js';
import { TOKEN_SOURCES, type DataSources } from './createDataSources.js';
import type { TokenModel } from './models.js';
import { createTokenLoader } from './tokenSource.js';
import type { CallOptions } from './upstreamClient.js';
import { sourceNotConfigured } from '../shared/errors.js';
import type { SourceName, TokenKey } from '../sources.js';

export interface TokenReader {
  /** The token `key` names as its upstream has it, or null; throws the source's contract error. */
  load(key: TokenKey): Promise<TokenModel | null>;
  /** Every Crafter access token, from the same list call as the lookups. */
  accessTokens(): Promise<CrafterAccessTokenModel[]>;
  /** Forgets what was read for `key` (it was revoked): the next `load` asks its upstream again. */
  forget(key: TokenKey): void;
}

type AnyLoader = { load(key: TokenKey): Promise<TokenModel | null>; clear(key: TokenKey): unknown };

export function createTokenReader(dataSources: DataSources, options: CallOptions): TokenReader {
  const loaders = new Map<SourceName, AnyLoader>();
  let accessTokens: AccessTokenIndex | undefined;
  const accessTokenIndex = () => {
    const client = dataSources.clients.CRAFTER_ACCESS_TOKEN;
    if (!client) throw sourceNotConfigured('CRAFTER_ACCESS_TOKEN');
    return (accessTokens ??= createAccessTokenIndex(client, options));
  };
  const loaderOf = (source: Exclude<SourceName, 'CRAFTER_ACCESS_TOKEN'>): AnyLoader => {
    let loader = loaders.get(source);
    if (!loader) {
      const client = dataSources.clients[source];
      if (!client) throw sourceNotConfigured(source);
      loader = createTokenLoader(client, TOKEN_SOURCES[source] as never, options) as unknown as AnyLoader;
      loaders.set(source, loader);
    }
    return loader;
  };
  return {
    async load(key) {
      if (key.source !== 'CRAFTER_ACCESS_TOKEN') return loaderOf(key.source).load(key);
      const index = accessTokenIndex();
      return 'fingerprint' in key ? index.byFingerprint(key.fingerprint) : index.byId(key.tokenId);
    },
    accessTokens: async () => accessTokenIndex().all(),
    forget(key) {
      if (key.source === 'CRAFTER_ACCESS_TOKEN') accessTokens = undefined;
      else loaders.get(key.source)?.clear(key);
    },
  };
}
