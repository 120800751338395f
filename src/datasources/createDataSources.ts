/**
 * The upstream APIs of one tokengraph process, built once from configuration: per configured
 * upstream one pooled client and one credential, and per source of it one `SourceClient` with its
 * own guard (bulkhead, retry, breaker, health) and cross-request cache. A source whose upstream has
 * no base URL has no client; the request context answers its fields `SOURCE_NOT_CONFIGURED`.
 */
import type { Cache } from '../cache/createCache.js';
import { SourceCache } from '../cache/sourceCache.js';
import { DEFAULTS, type Config, type UpstreamConfig } from '../config/readConfig.js';
import type { CircuitName } from '../observability/metrics.js';
import type { UpstreamObserver } from '../observability/upstreamObserver.js';
import { SOURCE_NAMES, sourcesOf, UPSTREAM_NAMES, type ListableSource, type RevocableSource, type SourceName, type UpstreamName } from '../sources.js';
import { astraApi, astraRevoker, astraTokens, listAstraTokens } from './astra.js';
import { crafterAccessTokenRevoker, crafterProfileApi, crafterTicketRevoker, crafterTickets, listAccessTokens } from './crafterProfile.js';
import { gamesApi, gameTokens } from './games.js';
import type { ModelOf } from './models.js';
import { listNetbirdTokens, netbirdApi, netbirdRevoker, netbirdTokens } from './netbird.js';
import { SourceClient, type UpstreamApi } from './sourceClient.js';
import { RateBudget } from './rateBudget.js';
import { SourceGuard } from './sourceGuard.js';
import type { TokenLister } from './tokenListing.js';
import type { TokenRevoker } from './tokenRevocation.js';
import type { TokenSource } from './tokenSource.js';
import { UpstreamClient } from './upstreamClient.js';
import { UpstreamCredential } from './upstreamCredential.js';

/** Each upstream's own ways (datasources/<upstream>.ts). */
const APIS: Record<UpstreamName, UpstreamApi> = {
  crafterProfile: crafterProfileApi,
  astra: astraApi,
  netbird: netbirdApi,
  games: gamesApi,
};

/** The sources whose tokens are read one at a time; Crafter access tokens are read as a list (crafterProfile.ts). */
export const TOKEN_SOURCES = {
  CRAFTER_TICKET: crafterTickets,
  ASTRA: astraTokens,
  NETBIRD: netbirdTokens,
  GAME: gameTokens,
} satisfies { [S in Exclude<SourceName, 'CRAFTER_ACCESS_TOKEN'>]: TokenSource<S, any> };

/** How each source that can be listed upstream (`listable` in src/sources.ts) is listed. */
export const TOKEN_LISTERS: { [S in ListableSource]: TokenLister<ModelOf<S>> } = {
  CRAFTER_ACCESS_TOKEN: listAccessTokens,
  ASTRA: listAstraTokens,
  NETBIRD: listNetbirdTokens,
};

/** How each source that can revoke (`revocable` in src/sources.ts) revokes one token (contract §9). */
export const TOKEN_REVOKERS: { [S in RevocableSource]: TokenRevoker<S> } = {
  CRAFTER_TICKET: crafterTicketRevoker,
  CRAFTER_ACCESS_TOKEN: crafterAccessTokenRevoker,
  ASTRA: astraRevoker,
  NETBIRD: netbirdRevoker,
};

export interface DataSources {
  /** The client of each configured source. */
  clients: Partial<Record<SourceName, SourceClient>>;
  /** The rate budget of each configured upstream (its 429 pauses, and its budget when it has one). */
  budgets: Partial<Record<UpstreamName, RateBudget>>;
  /** The incoming header forwarded to each upstream whose forwarding is on. */
  forwardHeaders: Partial<Record<UpstreamName, string>>;
  /** Closes every connection pool and the cache. */
  close(): Promise<void>;
}

/** One source's configuration and health, as `Query.sources` and `/readyz` show it. */
export interface SourceStatus {
  source: SourceName;
  configured: boolean;
  circuit: CircuitName | null;
  recentCalls: number;
  errorRate: number | null;
  latencyP50Ms: number | null;
  latencyP99Ms: number | null;
  lastErrorCode: string | null;
  /** RFC 3339, like every DateTime. */
  lastErrorAt: string | null;
}

export function sourceStatuses(dataSources: DataSources): SourceStatus[] {
  return SOURCE_NAMES.map((source) => {
    const guard = dataSources.clients[source]?.guard;
    if (!guard) {
      return { source, configured: false, circuit: null, recentCalls: 0, errorRate: null, latencyP50Ms: null, latencyP99Ms: null, lastErrorCode: null, lastErrorAt: null };
    }
    const { calls, lastErrorAt, ...health } = guard.health.snapshot();
    return {
      source,
      configured: true,
      circuit: guard.circuit,
      recentCalls: calls,
      ...health,
      lastErrorAt: lastErrorAt === null ? null : new Date(lastErrorAt).toISOString(),
    };
  });
}

/** What the datasources report to (logs, metrics, traces) and cache in. */
export interface DataSourceHooks {
  observer?: UpstreamObserver;
  /** The cross-request cache, when it is on. */
  cache?: Cache;
}

export function createDataSources(config: Config, hooks: DataSourceHooks = {}): DataSources {
  const upstreams = UPSTREAM_NAMES.flatMap((name) => (config.upstreams[name] ? [[name, config.upstreams[name]] as const] : []));
  // An upstream text is scrubbed of every static credential of the process, not only its own.
  const staticSecrets = upstreams.flatMap(([, upstream]) => (upstream.credential ? [upstream.credential] : []));
  const pools: UpstreamClient[] = [];
  const dataSources: DataSources = {
    clients: {},
    budgets: {},
    forwardHeaders: {},
    close: async () => {
      await Promise.all(pools.map((pool) => pool.close()));
      hooks.cache?.tombstones.close();
      await hooks.cache?.store.close();
    },
  };
  for (const [name, upstream] of upstreams) {
    const sources = sourcesOf(name);
    const client = new UpstreamClient({
      baseUrl: upstream.baseUrl,
      timeoutMs: upstream.timeoutMs,
      maxBodyBytes: config.limits.maxUpstreamBodyBytes,
      bodyTimeoutMs: config.limits.upstreamBodyTimeoutMs,
      // The bulkheads bound concurrency; the pool only has to hold what they let through.
      connections: upstream.resilience.maxConcurrency * sources.length,
      headers: { 'user-agent': 'tokengraph', accept: APIS[name].accept },
      observer: hooks.observer,
    });
    pools.push(client);
    const credential = new UpstreamCredential(name, upstream, staticSecrets);
    const budget = (dataSources.budgets[name] = new RateBudget(name, upstream.rateLimit, upstream.credential));
    if (upstream.forwardHeader) dataSources.forwardHeaders[name] = upstream.forwardHeader;
    for (const source of sources) {
      dataSources.clients[source] = new SourceClient(source, {
        api: APIS[name],
        client,
        credential,
        guard: new SourceGuard(source, upstream.resilience),
        budget,
        cache: cacheOf(source, upstream, hooks.cache),
      });
    }
  }
  return dataSources;
}

/**
 * `source`'s cross-request cache: none when the cache is off or the upstream's TTL is 0. Entries
 * are keyed by the fingerprint of the credential each call sends (static or forwarded).
 */
function cacheOf(source: SourceName, upstream: UpstreamConfig, cache: Cache | undefined): SourceCache | undefined {
  const ttlMs = upstream.cacheTtlMs ?? DEFAULTS.cacheTtlMs;
  return cache && ttlMs > 0 ? new SourceCache(cache.store, source, ttlMs, cache.reporter, cache.tombstones) : undefined;
}
