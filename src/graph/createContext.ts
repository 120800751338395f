/**
 * The per-request context: one set of loaders per GraphQL request, built from the
 * process-wide datasources. Nothing request-scoped lives at module level, so one request's
 * answers (or failures) are never served to another.
 */
import type { AstraTokenKey, AstraTokenModel } from '../datasources/astra.js';
import { createAstraLoader } from '../datasources/astra.js';
import { createCrafterProfileLoaders, type CrafterProfileLoaders } from '../datasources/crafterProfile.js';
import { createGamesLoader, type GameTokenModel } from '../datasources/games.js';
import { sourceStatuses, type DataSources, type SourceStatus } from '../datasources/createDataSources.js';
import { createNetbirdLoader, type NetbirdPATKey, type NetbirdPATModel } from '../datasources/netbird.js';
import type { CallOptions } from '../datasources/upstreamClient.js';
import { DEFAULTS } from '../config/readConfig.js';
import { sourceNotConfigured, type SourceName } from '../shared/errors.js';
import type { RequestTelemetry } from '../observability/requestTelemetry.js';

export interface Loader<K, V> {
  load(key: K): Promise<V>;
}

export interface Context {
  /** Every source's configuration and health; no upstream call. */
  sources(): SourceStatus[];
  /** Longest `tokens(refs:)` / `nodes(ids:)` list (TOKENGRAPH_MAX_LIST_LENGTH). */
  maxListLength: number;
  crafterProfile: CrafterProfileLoaders;
  astra: Loader<AstraTokenKey, AstraTokenModel | null>;
  netbird: Loader<NetbirdPATKey, NetbirdPATModel | null>;
  games: Loader<string, GameTokenModel | null>;
  /** What this request did, for its log line and metrics. */
  telemetry?: RequestTelemetry;
}

export function createContext(sources: DataSources, options: CallOptions, maxListLength: number = DEFAULTS.limits.maxListLength): Context {
  return {
    sources: () => sourceStatuses(sources.guards),
    maxListLength,
    crafterProfile: sources.crafterProfile
      ? createCrafterProfileLoaders(sources.crafterProfile, options)
      : {
          ticket: notConfigured('CRAFTER_TICKET'),
          accessTokens: () => Promise.reject(sourceNotConfigured('CRAFTER_ACCESS_TOKEN')),
          accessTokenById: () => Promise.reject(sourceNotConfigured('CRAFTER_ACCESS_TOKEN')),
          accessTokenByFingerprint: () => Promise.reject(sourceNotConfigured('CRAFTER_ACCESS_TOKEN')),
        },
    astra: sources.astra ? createAstraLoader(sources.astra, options) : notConfigured('ASTRA'),
    netbird: sources.netbird ? createNetbirdLoader(sources.netbird, options) : notConfigured('NETBIRD'),
    games: sources.games ? createGamesLoader(sources.games, options) : notConfigured('GAME'),
    telemetry: options.telemetry,
  };
}

function notConfigured<K, V>(source: SourceName): Loader<K, V> {
  return { load: () => Promise.reject(sourceNotConfigured(source)) };
}
