/**
 * The upstream APIs of one tokengraph process, built once from configuration: one pooled
 * client per upstream, one `SourceGuard` (bulkhead, retry, breaker, health) per source. A
 * source whose base URL is not set is absent; context.ts turns that into
 * `SOURCE_NOT_CONFIGURED`.
 */
import { DEFAULTS, type Config, type SourceConfig, type UpstreamName } from '../config/readConfig.js';
import { SourceCache, type Cache } from '../cache/createCache.js';
import type { SourceName } from '../shared/errors.js';
import { AstraAPI } from './astra.js';
import { CrafterProfileAPI } from './crafterProfile.js';
import { UpstreamCredential } from './upstreamCredential.js';
import { GamesAPI } from './games.js';
import { NetbirdAPI } from './netbird.js';
import { SourceGuard, type CircuitName } from './sourceGuard.js';
import { UpstreamClient, type UpstreamObserver } from './upstreamClient.js';

export const SOURCES: readonly SourceName[] = ['CRAFTER_TICKET', 'CRAFTER_ACCESS_TOKEN', 'ASTRA', 'NETBIRD', 'GAME'];

export interface DataSources {
  crafterProfile?: CrafterProfileAPI;
  astra?: AstraAPI;
  netbird?: NetbirdAPI;
  games?: GamesAPI;
  /** The guard of each configured source. */
  guards: Partial<Record<SourceName, SourceGuard>>;
  /** The incoming header forwarded to each upstream whose forwarding is on. */
  forwardHeaders: Partial<Record<UpstreamName, string>>;
  /** Closes every connection pool. */
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

export function sourceStatuses(guards: DataSources['guards']): SourceStatus[] {
  return SOURCES.map((source) => {
    const guard = guards[source];
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

const ACCEPT_JSON = 'application/json';
const ACCEPT_JSON_OR_XML = 'application/json, text/json;q=0.9, application/xml;q=0.8, text/xml;q=0.8';

/** What the datasources report to (logs, metrics, traces); see server.ts. */
export interface DataSourceHooks {
  observer?: UpstreamObserver;
  /** The cross-request cache, when it is on. */
  cache?: Cache;
}

export function createDataSources(config: Config, hooks: DataSourceHooks = {}): DataSources {
  const clients: UpstreamClient[] = [];
  const guards: Partial<Record<SourceName, SourceGuard>> = {};
  /** `sources` share the upstream's pool; each gets its own guard. */
  const connect = (upstream: SourceConfig, sources: SourceName[], headers: Record<string, string>) => {
    const client = new UpstreamClient({
      baseUrl: upstream.baseUrl,
      timeoutMs: upstream.timeoutMs,
      maxBodyBytes: config.maxUpstreamBodyBytes,
      bodyTimeoutMs: config.upstreamBodyTimeoutMs,
      // The bulkheads bound concurrency; the pool only has to hold what they let through.
      connections: upstream.resilience.maxConcurrency * sources.length,
      headers: { 'user-agent': 'tokengraph', ...headers },
      observer: hooks.observer,
    });
    clients.push(client);
    const made = sources.map((source) => (guards[source] = new SourceGuard(source, upstream.resilience)));
    return { client, guards: made };
  };

  const forwardHeaders: Partial<Record<UpstreamName, string>> = {};
  const staticSecrets = [config.crafterProfile, config.astra, config.netbird, config.games].flatMap((source) => (source?.credential ? [source.credential] : []));
  const credential = (name: UpstreamName, upstream: SourceConfig) => {
    if (upstream.forwardHeader) forwardHeaders[name] = upstream.forwardHeader;
    return new UpstreamCredential(name, upstream, staticSecrets);
  };

  /**
   * `source`'s cross-request cache: none when the cache is off or the upstream's TTL is 0.
   * Every datasource call names the credential it sends (static or forwarded), and entries
   * are keyed by its fingerprint.
   */
  const cacheOf = (source: SourceName, upstream: SourceConfig) => {
    const ttlMs = upstream.cacheTtlMs ?? DEFAULTS.cacheTtlMs;
    return hooks.cache && ttlMs > 0 ? new SourceCache(hooks.cache.store, source, ttlMs, hooks.cache.reporter) : undefined;
  };
  const dataSources: DataSources = {
    guards,
    forwardHeaders,
    close: async () => {
      await Promise.all(clients.map((c) => c.close()));
      await hooks.cache?.store.close();
    },
  };
  const { crafterProfile, astra, netbird, games } = config;
  if (crafterProfile) {
    const { client, guards: [ticket, accessTokens] } = connect(crafterProfile, ['CRAFTER_TICKET', 'CRAFTER_ACCESS_TOKEN'], { accept: ACCEPT_JSON });
    dataSources.crafterProfile = new CrafterProfileAPI({
      client,
      guards: { ticket: ticket!, accessTokens: accessTokens! },
      credential: credential('crafterProfile', crafterProfile),
      caches: { ticket: cacheOf('CRAFTER_TICKET', crafterProfile), accessTokens: cacheOf('CRAFTER_ACCESS_TOKEN', crafterProfile) },
    });
  }
  if (astra) {
    const { client, guards: [guard] } = connect(astra, ['ASTRA'], { accept: ACCEPT_JSON });
    dataSources.astra = new AstraAPI({ client, guard: guard!, credential: credential('astra', astra), cache: cacheOf('ASTRA', astra) });
  }
  if (netbird) {
    const { client, guards: [guard] } = connect(netbird, ['NETBIRD'], { accept: ACCEPT_JSON });
    dataSources.netbird = new NetbirdAPI(client, guard!, credential('netbird', netbird), cacheOf('NETBIRD', netbird));
  }
  if (games) {
    const { client, guards: [guard] } = connect(games, ['GAME'], { accept: ACCEPT_JSON_OR_XML });
    dataSources.games = new GamesAPI(client, guard!, credential('games', games), cacheOf('GAME', games));
  }
  return dataSources;
}
