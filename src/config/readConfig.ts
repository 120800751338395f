/**
 * Reads tokengraph's configuration from the environment, once, at start-up. Anything
 * wrong stops start-up with one line naming the variable (contract §2); nothing here ever
 * prints a credential's value.
 */
import { createHash } from 'node:crypto';
import { DEFAULT_RESILIENCE, type ResilienceSettings } from '../datasources/sourceGuard.js';

export interface SourceConfig {
  baseUrl: URL;
  /**
   * The static credential sent upstream. Never log it. Absent exactly when `forwardHeader`
   * is set: forwarded calls never fall back to tokengraph's own credential.
   */
  credential?: string;
  /**
   * Credential forwarding: the lower-case name of an incoming request header whose value is
   * sent upstream, the documented way, instead of a static credential. Never log the value.
   */
  forwardHeader?: string;
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
  /** Who may call `/graphql`. */
  access: AccessConfig;
  /** The operation limits (README, "Security"). */
  limits: Limits;
  /** Introspection and "Did you mean" suggestions; default on in demo mode only. */
  introspection: boolean;
  /** Origins allowed by CORS; empty: no CORS headers at all. */
  corsOrigins: string[];
  /** Automatic persisted queries (`TOKENGRAPH_APQ=on`); off by default. */
  apq: boolean;
  /** Operation names the metrics label as themselves, besides the ones tokengraph ships. */
  metricsOperations: string[];
  /** Absent: no cross-request cache. */
  cache?: CacheConfig;
  crafterProfile?: SourceConfig;
  astra?: SourceConfig;
  netbird?: SourceConfig;
  games?: SourceConfig;
}

export interface AccessConfig {
  /**
   * `keys`: every `/graphql` request needs one of the keys; `open`: no key (demo mode, or
   * `TOKENGRAPH_AUTH=none`, whose warning `why` explains).
   */
  mode: 'keys' | 'open';
  why: 'keys' | 'demo' | 'none';
  /** SHA-256 digests of the accepted keys; the keys themselves are not kept. */
  keyDigests: Buffer[];
}

/** Every operation limit, each with its variable and default (README, "Security"). */
export interface Limits {
  /** Largest request body, bytes (413 above). */
  maxBodyBytes: number;
  /** Largest query document, UTF-8 bytes. */
  maxQueryBytes: number;
  /** Deepest field nesting of an operation. */
  maxDepth: number;
  /** Most aliases in an operation. */
  maxAliases: number;
  /** Most root fields in an operation. */
  maxRootFields: number;
  /** Most lexer tokens in a document. */
  maxTokens: number;
  /** Most directives in an operation. */
  maxDirectives: number;
  /** Highest graphql-armor cost of an operation. */
  maxCost: number;
  /** Longest `tokens(refs:)` and `nodes(ids:)` list. */
  maxListLength: number;
  /** Most `_entities` representations (Federation) in one request. */
  maxEntities: number;
  /** Longest time a client may take to send a request's headers, ms (then its connection is cut). */
  headersTimeoutMs: number;
  /** Longest time a client may take to send a whole request, headers and body, ms. */
  requestTimeoutMs: number;
  /** How long an idle keep-alive connection is kept, ms. */
  keepAliveTimeoutMs: number;
  /** Most client connections open at once; more are closed as they arrive. */
  maxConnections: number;
  /** Bytes held by parsed documents (Apollo's document store), and by APQ's query texts when on. */
  documentCacheBytes: number;
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
  limits: {
    maxBodyBytes: 1024 * 1024,
    maxQueryBytes: 20 * 1024,
    maxDepth: 12,
    maxAliases: 30,
    maxRootFields: 30,
    maxTokens: 2000,
    maxDirectives: 10,
    maxCost: 5000,
    maxListLength: 100,
    maxEntities: 500,
    headersTimeoutMs: 10_000,
    requestTimeoutMs: 30_000,
    keepAliveTimeoutMs: 5_000,
    maxConnections: 1024,
    documentCacheBytes: 16 * 1024 * 1024,
  } satisfies Limits,
  cacheTtlMs: 30_000,
  cacheMaxEntries: 10_000,
  cacheMaxBytes: 64 * 1024 * 1024,
} as const;

/** The variable of each limit, with its bounds. */
export const LIMIT_VARIABLES: Record<keyof Limits, [string, number, number]> = {
  maxBodyBytes: ['TOKENGRAPH_MAX_BODY_BYTES', 1024, 1024 ** 3],
  maxQueryBytes: ['TOKENGRAPH_MAX_QUERY_BYTES', 64, 1024 ** 2 * 16],
  maxDepth: ['TOKENGRAPH_MAX_DEPTH', 1, 1000],
  maxAliases: ['TOKENGRAPH_MAX_ALIASES', 0, 100_000],
  maxRootFields: ['TOKENGRAPH_MAX_ROOT_FIELDS', 1, 100_000],
  maxTokens: ['TOKENGRAPH_MAX_TOKENS', 10, 10_000_000],
  maxDirectives: ['TOKENGRAPH_MAX_DIRECTIVES', 0, 100_000],
  maxCost: ['TOKENGRAPH_MAX_COST', 1, 100_000_000],
  maxListLength: ['TOKENGRAPH_MAX_LIST_LENGTH', 1, 100_000],
  maxEntities: ['TOKENGRAPH_MAX_ENTITIES', 100, 100_000],
  headersTimeoutMs: ['TOKENGRAPH_HEADERS_TIMEOUT_MS', 100, 600_000],
  requestTimeoutMs: ['TOKENGRAPH_REQUEST_TIMEOUT_MS', 100, 3_600_000],
  keepAliveTimeoutMs: ['TOKENGRAPH_KEEP_ALIVE_TIMEOUT_MS', 100, 600_000],
  maxConnections: ['TOKENGRAPH_MAX_CONNECTIONS', 1, 1_000_000],
  documentCacheBytes: ['TOKENGRAPH_DOCUMENT_CACHE_BYTES', 1024, 1024 ** 3],
};

/** Shortest access key accepted: a guessable key is no key. */
export const MIN_API_KEY_LENGTH = 16;

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
    access: { mode: 'open', why: 'demo', keyDigests: [] },
    limits: readLimits(env),
    introspection: boolean(env, 'TOKENGRAPH_INTROSPECTION', demo),
    corsOrigins: readCorsOrigins(env),
    apq: onOff(env, 'TOKENGRAPH_APQ', false),
    metricsOperations: readOperationNames(env),
    cache: readCache(env),
  };
  const authNone = readAuthMode(env) === 'none';
  for (const name of upstreams) {
    const source = readSource(env, name, authNone);
    if (source) config[name] = source;
  }
  config.access = readAccess(env, demo, authNone);
  return config;
}

function readAuthMode(env: NodeJS.ProcessEnv): 'keys' | 'none' {
  const raw = env.TOKENGRAPH_AUTH;
  if (raw === undefined || raw === '' || raw === 'keys') return 'keys';
  if (raw === 'none') return 'none';
  throw new ConfigError(`TOKENGRAPH_AUTH must be "keys" or "none", got "${raw}"`);
}

/** Only digests are kept: the keys go no further than this function. */
function readAccess(env: NodeJS.ProcessEnv, demo: boolean, authNone: boolean): AccessConfig {
  const keys = (env.TOKENGRAPH_API_KEYS ?? '').split(',').map((key) => key.trim()).filter(Boolean);
  if (authNone) {
    if (keys.length > 0) throw new ConfigError('TOKENGRAPH_API_KEYS must not be set when TOKENGRAPH_AUTH=none: choose one');
    return { mode: 'open', why: 'none', keyDigests: [] };
  }
  keys.forEach((key, index) => {
    // Say which key is wrong by position, never by value.
    if (!/^[\x21-\x7e]+$/.test(key)) throw new ConfigError(`TOKENGRAPH_API_KEYS: key ${index + 1} must be printable ASCII without spaces`);
    if (key.length < MIN_API_KEY_LENGTH) throw new ConfigError(`TOKENGRAPH_API_KEYS: key ${index + 1} must be at least ${MIN_API_KEY_LENGTH} characters`);
  });
  if (keys.length > 0) return { mode: 'keys', why: 'keys', keyDigests: keys.map(digestApiKey) };
  if (demo) return { mode: 'open', why: 'demo', keyDigests: [] };
  throw new ConfigError('TOKENGRAPH_API_KEYS must be set outside demo mode (or set TOKENGRAPH_AUTH=none to serve without keys)');
}

/** SHA-256 of an access key: what is kept and compared, always 32 bytes. */
export function digestApiKey(key: string): Buffer {
  return createHash('sha256').update(key, 'utf8').digest();
}

function readLimits(env: NodeJS.ProcessEnv): Limits {
  const limits = { ...DEFAULTS.limits };
  for (const key of Object.keys(LIMIT_VARIABLES) as Array<keyof Limits>) {
    const [variable, min, max] = LIMIT_VARIABLES[key];
    limits[key] = integer(env, variable, DEFAULTS.limits[key], min, max);
  }
  // Node refuses a headers timeout longer than the whole request's.
  if (limits.headersTimeoutMs > limits.requestTimeoutMs) {
    throw new ConfigError(`TOKENGRAPH_HEADERS_TIMEOUT_MS (${limits.headersTimeoutMs}) must not be longer than TOKENGRAPH_REQUEST_TIMEOUT_MS (${limits.requestTimeoutMs})`);
  }
  return limits;
}

function readCorsOrigins(env: NodeJS.ProcessEnv): string[] {
  const origins = (env.TOKENGRAPH_CORS_ORIGINS ?? '').split(',').map((origin) => origin.trim()).filter(Boolean);
  return origins.map((origin) => {
    let url: URL | undefined;
    try {
      url = new URL(origin);
    } catch {
      // reported below
    }
    if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || url.origin !== origin.replace(/\/$/, '')) {
      throw new ConfigError(`TOKENGRAPH_CORS_ORIGINS must list origins such as https://app.example.com (scheme, host, port; no path or "*"), got "${origin}"`);
    }
    return url.origin;
  });
}

function boolean(env: NodeJS.ProcessEnv, variable: string, fallback: boolean): boolean {
  const raw = env[variable];
  if (raw === undefined || raw === '') return fallback;
  if (raw === 'true') return true;
  if (raw === 'false') return false;
  throw new ConfigError(`${variable} must be "true" or "false", got "${raw}"`);
}

const GRAPHQL_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

function readOperationNames(env: NodeJS.ProcessEnv): string[] {
  const names = (env.TOKENGRAPH_METRICS_OPERATIONS ?? '').split(',').map((name) => name.trim()).filter(Boolean);
  const bad = names.find((name) => !GRAPHQL_NAME.test(name));
  if (bad !== undefined) throw new ConfigError(`TOKENGRAPH_METRICS_OPERATIONS must list GraphQL operation names, got "${bad}"`);
  return names;
}

function onOff(env: NodeJS.ProcessEnv, variable: string, fallback: boolean): boolean {
  const raw = env[variable];
  if (raw === undefined || raw === '') return fallback;
  if (raw === 'on') return true;
  if (raw === 'off') return false;
  throw new ConfigError(`${variable} must be "on" or "off", got "${raw}"`);
}

/** An HTTP header name (RFC 9110 token). */
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

function readSource(env: NodeJS.ProcessEnv, name: UpstreamName, authNone: boolean): SourceConfig | undefined {
  const vars = UPSTREAM_VARIABLES[name];
  const raw = env[vars.url];
  if (!raw) return undefined;
  const baseUrl = parseBaseUrl(raw, vars.url);
  const forwardHeader = readForwardHeader(env, vars.prefix, authNone);
  const credential = env[vars.credential];
  if (forwardHeader && credential) {
    throw new ConfigError(`${vars.credential} must not be set when ${vars.prefix}_FORWARD_HEADER is set: forwarded calls never fall back to it`);
  }
  if (!forwardHeader && !credential) throw new ConfigError(`${vars.credential} must be set when ${vars.url} is set`);
  return {
    baseUrl,
    ...(credential ? { credential } : { forwardHeader }),
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

function readForwardHeader(env: NodeJS.ProcessEnv, prefix: string, authNone: boolean): string | undefined {
  const variable = `${prefix}_FORWARD_HEADER`;
  const raw = env[variable]?.trim();
  if (!raw) return undefined;
  if (!HEADER_NAME.test(raw)) throw new ConfigError(`${variable} must be an HTTP header name such as x-netbird-token, got "${raw}"`);
  const header = raw.toLowerCase();
  if (header === 'authorization' && !authNone) {
    throw new ConfigError(`${variable} must not be "authorization" while tokengraph's own keys use it (only with TOKENGRAPH_AUTH=none)`);
  }
  return header;
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
