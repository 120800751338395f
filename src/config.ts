/**
 * Reads tokengraph's configuration from the environment, once, at start-up. Anything
 * wrong stops start-up with one line naming the variable (contract §2); nothing here ever
 * prints a credential's value.
 */
import { DEFAULT_RESILIENCE, type ResilienceSettings } from './datasources/sourceGuard.js';

export interface SourceConfig {
  baseUrl: URL;
  /** The static credential sent upstream. Never log it. */
  credential: string;
  /** Deadline of one upstream call, in milliseconds. */
  timeoutMs: number;
  /** Retries, circuit breaker and bulkhead of each of the upstream's sources. */
  resilience: ResilienceSettings;
  /** Longest life of a cross-request cache entry of this upstream, ms; 0: not cached. Default `DEFAULTS.cacheTtlMs`. */
  cacheTtlMs?: number;
}

/** The opt-in cross-request cache (src/cache/). */
export interface CacheConfig {
  mode: 'off' | 'memory' | 'redis';
  /** Bounds of the in-process LRU (`memory`). */
  maxEntries: number;
  maxBytes: number;
  /** `redis`: where; may carry a password, so never log it. */
  redisUrl?: string;
}

export interface Config {
  port: number;
  host: string;
  logLevel: string;
  /** True when no `*_URL` is set: embedded demo upstreams serve every source. */
  demo: boolean;
  /** Largest upstream body read, in bytes. */
  maxUpstreamBodyBytes: number;
  /** Longest time from an upstream's headers to the end of its body, in ms. */
  upstreamBodyTimeoutMs: number;
  /** Longest time one GraphQL request may spend on upstream calls, retries included, in ms. */
  requestDeadlineMs: number;
  /** How long SIGTERM waits for in-flight requests before closing their connections, in ms. */
  shutdownGraceMs: number;
  /** Absent: no cross-request cache. */
  cache?: CacheConfig;
  crafterProfile?: SourceConfig;
  astra?: SourceConfig;
  netbird?: SourceConfig;
  games?: SourceConfig;
}

export type UpstreamName = 'crafterProfile' | 'astra' | 'netbird' | 'games';

/**
 * The environment variables of each upstream (contract §2). Every other per-upstream
 * setting is `<prefix>_<SETTING>`, e.g. `NETBIRD_TIMEOUT_MS`, `NETBIRD_RETRIES`.
 */
export const UPSTREAM_VARIABLES: Record<UpstreamName, { url: string; credential: string; prefix: string }> = {
  crafterProfile: { url: 'CRAFTER_PROFILE_URL', credential: 'CRAFTER_PROFILE_ACCESS_TOKEN_ID', prefix: 'CRAFTER_PROFILE' },
  astra: { url: 'ASTRA_URL', credential: 'ASTRA_API_TOKEN', prefix: 'ASTRA' },
  netbird: { url: 'NETBIRD_URL', credential: 'NETBIRD_TOKEN', prefix: 'NETBIRD' },
  games: { url: 'GAMES_URL', credential: 'GAMES_TOKEN', prefix: 'GAMES' },
};

export const DEFAULTS = {
  port: 4000,
  host: '127.0.0.1',
  logLevel: 'info',
  timeoutMs: 10_000,
  maxUpstreamBodyBytes: 1024 * 1024,
  upstreamBodyTimeoutMs: 5_000,
  requestDeadlineMs: 15_000,
  shutdownGraceMs: 10_000,
  resilience: DEFAULT_RESILIENCE,
  cacheTtlMs: 30_000,
  cacheMaxEntries: 10_000,
  cacheMaxBytes: 64 * 1024 * 1024,
} as const;

/** `<prefix>_<suffix>` variables of the resilience settings, with their bounds. */
const RESILIENCE_VARIABLES: Array<[keyof ResilienceSettings, string, number, number]> = [
  ['retries', 'RETRIES', 0, 10],
  ['retryBaseDelayMs', 'RETRY_BASE_DELAY_MS', 1, 60_000],
  ['retryMaxDelayMs', 'RETRY_MAX_DELAY_MS', 1, 600_000],
  ['breakerThreshold', 'BREAKER_THRESHOLD', 1, 1000],
  ['breakerHalfOpenMs', 'BREAKER_HALF_OPEN_MS', 1, 3_600_000],
  ['maxConcurrency', 'MAX_CONCURRENCY', 1, 10_000],
  ['maxQueue', 'MAX_QUEUE', 0, 100_000],
];

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export function readConfig(env: NodeJS.ProcessEnv): Config {
  const upstreams = Object.keys(UPSTREAM_VARIABLES) as UpstreamName[];
  const demo = upstreams.every((name) => !env[UPSTREAM_VARIABLES[name].url]);
  const logLevel = env.LOG_LEVEL || DEFAULTS.logLevel;
  if (!LOG_LEVELS.includes(logLevel)) throw new ConfigError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}`);
  const config: Config = {
    port: integer(env, 'PORT', DEFAULTS.port, 0, 65535),
    host: env.HOST || DEFAULTS.host,
    logLevel,
    demo,
    maxUpstreamBodyBytes: integer(env, 'UPSTREAM_MAX_BODY_BYTES', DEFAULTS.maxUpstreamBodyBytes, 1, 1024 ** 3),
    upstreamBodyTimeoutMs: integer(env, 'UPSTREAM_BODY_TIMEOUT_MS', DEFAULTS.upstreamBodyTimeoutMs, 1, 600_000),
    requestDeadlineMs: integer(env, 'REQUEST_DEADLINE_MS', DEFAULTS.requestDeadlineMs, 1, 3_600_000),
    shutdownGraceMs: integer(env, 'SHUTDOWN_GRACE_MS', DEFAULTS.shutdownGraceMs, 0, 3_600_000),
    cache: readCache(env),
  };
  for (const name of upstreams) {
    const source = readSource(env, name);
    if (source) config[name] = source;
  }
  return config;
}

function readSource(env: NodeJS.ProcessEnv, name: UpstreamName): SourceConfig | undefined {
  const vars = UPSTREAM_VARIABLES[name];
  const raw = env[vars.url];
  if (!raw) return undefined;
  const baseUrl = parseBaseUrl(raw, vars.url);
  const credential = env[vars.credential];
  if (!credential) throw new ConfigError(`${vars.credential} must be set when ${vars.url} is set`);
  return {
    baseUrl,
    credential,
    timeoutMs: integer(env, `${vars.prefix}_TIMEOUT_MS`, DEFAULTS.timeoutMs, 1, 600_000),
    resilience: readResilience(env, vars.prefix),
    cacheTtlMs: integer(env, `${vars.prefix}_CACHE_TTL_MS`, DEFAULTS.cacheTtlMs, 0, 86_400_000),
  };
}

/** Off unless asked for: `TOKENGRAPH_CACHE=memory|redis`, or `REDIS_URL` alone (meaning redis). */
function readCache(env: NodeJS.ProcessEnv): CacheConfig {
  const redisUrl = env.REDIS_URL || undefined;
  const mode = env.TOKENGRAPH_CACHE || (redisUrl ? 'redis' : 'off');
  if (mode !== 'off' && mode !== 'memory' && mode !== 'redis') throw new ConfigError('TOKENGRAPH_CACHE must be off, memory or redis');
  if (mode === 'redis' && !redisUrl) throw new ConfigError('REDIS_URL must be set when TOKENGRAPH_CACHE is redis');
  if (redisUrl) {
    let protocol: string;
    try {
      protocol = new URL(redisUrl).protocol;
    } catch {
      throw new ConfigError('REDIS_URL is not a URL: expected something like redis://host:6379/0');
    }
    if (protocol !== 'redis:' && protocol !== 'rediss:') throw new ConfigError('REDIS_URL must be a redis:// or rediss:// URL');
  }
  return {
    mode,
    maxEntries: integer(env, 'TOKENGRAPH_CACHE_MAX_ENTRIES', DEFAULTS.cacheMaxEntries, 1, 100_000_000),
    maxBytes: integer(env, 'TOKENGRAPH_CACHE_MAX_BYTES', DEFAULTS.cacheMaxBytes, 1024, 1024 ** 4),
    ...(redisUrl && { redisUrl }),
  };
}

function readResilience(env: NodeJS.ProcessEnv, prefix: string): ResilienceSettings {
  const settings = { ...DEFAULT_RESILIENCE };
  for (const [key, suffix, min, max] of RESILIENCE_VARIABLES) {
    settings[key] = integer(env, `${prefix}_${suffix}`, DEFAULT_RESILIENCE[key], min, max);
  }
  return settings;
}

function parseBaseUrl(raw: string, variable: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(`${variable} is not a URL: expected something like http://host:8080/prefix`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new ConfigError(`${variable} must be an http:// or https:// URL`);
  // Credentials belong in their own variables, where they are never logged.
  if (url.username || url.password) throw new ConfigError(`${variable} must not contain a user name or password`);
  if (url.search || url.hash) throw new ConfigError(`${variable} must not contain a query string or fragment`);
  return url;
}

function integer(env: NodeJS.ProcessEnv, variable: string, fallback: number, min: number, max: number): number {
  const raw = env[variable];
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw.trim())) throw new ConfigError(`${variable} must be a whole number, got "${raw}"`);
  const value = Number(raw.trim());
  if (value < min || value > max) throw new ConfigError(`${variable} must be between ${min} and ${max}, got ${value}`);
  return value;
}
