/**
 * Reads tokengraph's configuration from the environment, once, at start-up. Anything
 * wrong stops start-up with one line naming the variable (contract §2); nothing here ever
 * prints a credential's value. Each upstream's variables come from its row in src/sources.ts.
 */
import { readFileSync } from 'node:fs';
import { ALLOWED_HOSTS_VARIABLE, allowedHostEntry } from '../security/allowedHosts.js';
import { digestApiKey } from '../security/apiKeys.js';
import { assertIdentifier } from '../security/identifiers.js';
import { keyFromRef } from '../security/tokenRefs.js';
import { DEFAULT_LIMITS, FIXED_LIMITS, LIMIT_VARIABLES, type Limits } from '../security/limits.js';
import { parseRefText, refText, UPSTREAMS, UPSTREAM_NAMES, type TokenKey, type UpstreamName } from '../sources.js';

/** An upstream's rate budget: `burst` calls at once, then `perMinute` a minute (datasources/rateBudget.ts). */
export interface RateLimit {
  burst: number;
  perMinute: number;
}

export type { Limits };

export interface UpstreamConfig {
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
  /** `<PREFIX>_RATE_LIMIT=<burst>,<per minute>`: the upstream's rate budget per credential (datasources/rateBudget.ts); none: no budget. */
  rateLimit?: RateLimit;
}

/** The resilience policies of one source (datasources/sourceGuard.ts applies them). */
export interface ResilienceSettings {
  /** Retries after the first attempt. */
  retries: number;
  /** First backoff ceiling, ms; doubles per retry up to `retryMaxDelayMs`. */
  retryBaseDelayMs: number;
  retryMaxDelayMs: number;
  /** Consecutive failed attempts that open the circuit. */
  breakerThreshold: number;
  /** How long the circuit stays open before a probe, ms. */
  breakerHalfOpenMs: number;
  /** Concurrent calls to the source. */
  maxConcurrency: number;
  /** Calls waiting for a slot; more are refused at once. */
  maxQueue: number;
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
  /** How long SIGTERM waits for in-flight requests before closing their connections, in ms. */
  shutdownGraceMs: number;
  /** Who may call `/graphql`. */
  access: AccessConfig;
  /** `keys`: `/metrics` needs an API key like `/graphql` (when keys are configured); `none`: it is open. */
  metricsAuth: 'keys' | 'none';
  /** Every configurable limit (security/limits.ts). */
  limits: Limits;
  /** Introspection and "Did you mean" suggestions; default on in demo mode only. */
  introspection: boolean;
  /** Origins allowed by CORS; empty: no CORS headers at all. */
  corsOrigins: string[];
  /**
   * Host names answered without a key besides localhost and IP addresses (TOKENGRAPH_ALLOWED_HOSTS,
   * lower case; a leading `.` also allows every name under it): the DNS-rebinding check.
   */
  allowedHosts: string[];
  /** Automatic persisted queries (`TOKENGRAPH_APQ=on`); off by default. */
  apq: boolean;
  /** Operation names the metrics label as themselves, besides the ones tokengraph ships. */
  metricsOperations: string[];
  /** Absent: no cross-request cache. */
  cache?: CacheConfig;
  /** The upstreams whose base URL is set; a source of any other answers `SOURCE_NOT_CONFIGURED`. */
  upstreams: Partial<Record<UpstreamName, UpstreamConfig>>;
  /** What the inventory lists and watches, and how long a snapshot is kept. */
  inventory: InventoryConfig;
  /** Where the history is kept and for how long (contract §12); absent: no history (tests that do not need one). */
  history?: HistoryConfig;
}

/** The history (contract §12): a PostgreSQL server, or PGlite in a directory or in memory. */
export interface HistoryConfig {
  /** DATABASE_URL: a PostgreSQL server shared by replicas; may carry a password, so never log it. */
  databaseUrl?: string;
  /** TOKENGRAPH_DATA_DIR: PGlite's data directory (default ./data; in demo mode, memory unless set). */
  dataDir?: string;
  /** TOKENGRAPH_HISTORY_DAYS: events older than this many days are deleted. */
  days: number;
}

/** The inventory (contract §7). */
export interface InventoryConfig {
  /** A snapshot is read at most once per this many ms per set of credentials; 0: every time. */
  ttlMs: number;
  /** Tokens watched by reference (TOKENGRAPH_WATCH, TOKENGRAPH_WATCH_FILE), distinct, in order. */
  watch: TokenKey[];
  /** NETBIRD_INVENTORY: `service` (the current user and the service users) or `all`. */
  netbirdUsers: 'service' | 'all';
  /** ASTRA_ACCOUNT_IDS: the Astra accounts listed; none: Astra is not listed (a gap says so). */
  astraAccountIds: string[];
  /** TOKENGRAPH_INVENTORY_REFRESH_S: a background refresh every this many seconds, for the metrics; 0: off. */
  refreshS: number;
  /** TOKENGRAPH_INVENTORY_MIN_REFRESH_MS: `refresh: true` reads anew at most once per this many ms per credential set. */
  minRefreshMs: number;
  /** TOKENGRAPH_INVENTORY_MAX_SERIES: most token series (expiry, last use) at /metrics (soonest expiry kept). */
  maxSeries: number;
  /** The thresholds of the findings (contract §11), in days. */
  findings: FindingSettings;
}

/** TOKENGRAPH_EXPIRES_SOON_DAYS, TOKENGRAPH_MAX_LIFETIME_DAYS, TOKENGRAPH_UNUSED_DAYS (contract §11). */
export interface FindingSettings {
  expiresSoonDays: number;
  maxLifetimeDays: number;
  unusedDays: number;
}

export interface AccessConfig {
  /**
   * `keys`: every `/graphql` request needs one of the keys; `open`: no key (demo mode, or
   * `TOKENGRAPH_AUTH=none`, whose warning `why` explains).
   */
  mode: 'keys' | 'open';
  why: 'keys' | 'demo' | 'none';
  /** SHA-256 digests of the keys that may read (TOKENGRAPH_API_KEYS); the keys themselves are not kept. */
  keyDigests: Buffer[];
  /** Digests of the keys that may also revoke (TOKENGRAPH_ADMIN_API_KEYS). */
  adminKeyDigests: Buffer[];
  /** Who may run mutations: `admins` (an admin key), or `anyone` (demo mode without admin keys). */
  mutations: 'admins' | 'anyone';
}

export const DEFAULT_RESILIENCE: Readonly<ResilienceSettings> = {
  retries: 2,
  retryBaseDelayMs: 100,
  retryMaxDelayMs: 2000,
  breakerThreshold: 5,
  breakerHalfOpenMs: 10_000,
  maxConcurrency: 32,
  maxQueue: 128,
};

export const DEFAULTS = {
  port: 4000,
  host: '127.0.0.1',
  logLevel: 'info',
  timeoutMs: 10_000,
  shutdownGraceMs: 10_000,
  resilience: DEFAULT_RESILIENCE,
  limits: DEFAULT_LIMITS,
  cacheTtlMs: 30_000,
  cacheMaxEntries: 10_000,
  cacheMaxBytes: 64 * 1024 * 1024,
  inventoryTtlMs: 60_000,
  inventoryMinRefreshMs: 10_000,
  findings: { expiresSoonDays: 14, maxLifetimeDays: 365, unusedDays: 90 },
  inventoryMaxSeries: 10_000,
  dataDir: './data',
  historyDays: 400,
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

/** The variable holding an upstream's base URL. */
const urlVariable = (upstream: UpstreamName) => `${UPSTREAMS[upstream].prefix}_URL`;

export function readConfig(env: NodeJS.ProcessEnv): Config {
  const demo = UPSTREAM_NAMES.every((name) => !env[urlVariable(name)]);
  const logLevel = env.LOG_LEVEL || DEFAULTS.logLevel;
  if (!LOG_LEVELS.includes(logLevel)) throw new ConfigError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}`);
  const config: Config = {
    port: integer(env, 'PORT', DEFAULTS.port, 0, 65535),
    host: env.HOST || DEFAULTS.host,
    logLevel,
    demo,
    shutdownGraceMs: integer(env, 'SHUTDOWN_GRACE_MS', DEFAULTS.shutdownGraceMs, 0, 3_600_000),
    access: { mode: 'open', why: 'demo', keyDigests: [], adminKeyDigests: [], mutations: 'anyone' },
    metricsAuth: choice(env, 'TOKENGRAPH_METRICS_AUTH', ['keys', 'none'], 'keys'),
    limits: readLimits(env),
    introspection: choice(env, 'TOKENGRAPH_INTROSPECTION', ['true', 'false'], demo ? 'true' : 'false') === 'true',
    corsOrigins: readCorsOrigins(env),
    allowedHosts: readAllowedHosts(env),
    apq: choice(env, 'TOKENGRAPH_APQ', ['on', 'off'], 'off') === 'on',
    metricsOperations: readOperationNames(env),
    cache: readCache(env),
    upstreams: {},
    inventory: readInventory(env),
    history: readHistory(env, demo),
  };
  const authNone = choice(env, 'TOKENGRAPH_AUTH', ['keys', 'none'], 'keys') === 'none';
  for (const name of UPSTREAM_NAMES) {
    const upstream = readUpstream(env, name, authNone);
    if (upstream) config.upstreams[name] = upstream;
  }
  config.access = readAccess(env, demo, authNone);
  return config;
}

function readInventory(env: NodeJS.ProcessEnv): InventoryConfig {
  const netbirdUsers = choice(env, 'NETBIRD_INVENTORY', ['service', 'all'], 'service');
  const astraAccountIds = list(env.ASTRA_ACCOUNT_IDS).map((id, i) => {
    try {
      return assertIdentifier('account id', id);
    } catch (error) {
      throw new ConfigError(`ASTRA_ACCOUNT_IDS: account ${i + 1} ${error instanceof Error ? error.message.replace(/^account id /, '') : 'is not an identifier'}`);
    }
  });
  return {
    ttlMs: integer(env, 'TOKENGRAPH_INVENTORY_TTL_MS', DEFAULTS.inventoryTtlMs, 0, 86_400_000),
    watch: readWatch(env),
    netbirdUsers,
    astraAccountIds: [...new Set(astraAccountIds)],
    refreshS: integer(env, 'TOKENGRAPH_INVENTORY_REFRESH_S', 0, 0, 86_400),
    minRefreshMs: integer(env, 'TOKENGRAPH_INVENTORY_MIN_REFRESH_MS', DEFAULTS.inventoryMinRefreshMs, 0, 86_400_000),
    maxSeries: integer(env, 'TOKENGRAPH_INVENTORY_MAX_SERIES', DEFAULTS.inventoryMaxSeries, 1, 1_000_000),
    findings: {
      expiresSoonDays: integer(env, 'TOKENGRAPH_EXPIRES_SOON_DAYS', DEFAULTS.findings.expiresSoonDays, 1, 3650),
      maxLifetimeDays: integer(env, 'TOKENGRAPH_MAX_LIFETIME_DAYS', DEFAULTS.findings.maxLifetimeDays, 1, 36_500),
      unusedDays: integer(env, 'TOKENGRAPH_UNUSED_DAYS', DEFAULTS.findings.unusedDays, 1, 3650),
    },
  };
}

function readHistory(env: NodeJS.ProcessEnv, demo: boolean): HistoryConfig {
  const days = integer(env, 'TOKENGRAPH_HISTORY_DAYS', DEFAULTS.historyDays, 1, 36_500);
  const databaseUrl = env.DATABASE_URL || undefined;
  const dataDir = env.TOKENGRAPH_DATA_DIR?.trim() || undefined;
  if (databaseUrl) {
    let url: URL | undefined;
    try {
      url = new URL(databaseUrl);
    } catch {
      // reported below, without the value: it may hold a password
    }
    if (!url || (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') || !url.hostname) {
      throw new ConfigError('DATABASE_URL must be a URL such as postgres://user:password@host:5432/tokengraph');
    }
    if (dataDir) throw new ConfigError('TOKENGRAPH_DATA_DIR must not be set together with DATABASE_URL: the history is either on that server or embedded in that directory');
    return { databaseUrl, days };
  }
  // Demo mode keeps its history in memory, as it keeps its demo data, unless told where.
  const dir = dataDir ?? (demo ? undefined : DEFAULTS.dataDir);
  return dir === undefined ? { days } : { dataDir: dir, days };
}

/**
 * The watched references: TOKENGRAPH_WATCH (comma-separated), then TOKENGRAPH_WATCH_FILE (one a
 * line; blank lines and `#` comments skipped), each `SOURCE/part/part` with parts percent-encoded.
 * A malformed entry stops start-up, named by where it is (never by its id: a ticket id is a
 * credential); duplicates are kept once.
 */
function readWatch(env: NodeJS.ProcessEnv): TokenKey[] {
  const entries = list(env.TOKENGRAPH_WATCH).map((text, i) => ({ text, where: `TOKENGRAPH_WATCH entry ${i + 1}` }));
  const file = env.TOKENGRAPH_WATCH_FILE;
  if (file) {
    let content: string;
    try {
      content = readFileSync(file, 'utf8');
    } catch (error) {
      throw new ConfigError(`TOKENGRAPH_WATCH_FILE cannot be read: ${(error as NodeJS.ErrnoException).code ?? 'error'} (${file})`);
    }
    content.split(/\r?\n/).forEach((line, i) => {
      const text = line.replace(/#.*$/, '').trim();
      if (text) entries.push({ text, where: `TOKENGRAPH_WATCH_FILE line ${i + 1}` });
    });
  }
  if (entries.length > FIXED_LIMITS.watchedRefs) throw new ConfigError(`TOKENGRAPH_WATCH and TOKENGRAPH_WATCH_FILE name ${entries.length} tokens; at most ${FIXED_LIMITS.watchedRefs}`);
  const keys = new Map<string, TokenKey>();
  for (const { text, where } of entries) {
    const parsed = parseRefText(text);
    if (!parsed) throw new ConfigError(`${where} is not a reference such as NETBIRD/<user>/<token>, ASTRA/<account>/<user>/<token>, CRAFTER_TICKET/<id> or GAME/<id> (parts percent-encoded)`);
    try {
      const key = keyFromRef({ source: parsed.source, tokenId: parsed.parts.tokenId ?? '', ...parsed.parts });
      keys.set(refText(key), key);
    } catch (error) {
      throw new ConfigError(`${where} (${parsed.source}): ${error instanceof Error ? error.message : 'not a usable reference'}`);
    }
  }
  return [...keys.values()];
}

function list(raw: string | undefined): string[] {
  return (raw ?? '').split(',').map((item) => item.trim()).filter(Boolean);
}

/** One of two words (`fallback` when unset or empty); anything else stops start-up, naming both. */
function choice<T extends string>(env: NodeJS.ProcessEnv, variable: string, [a, b]: readonly [T, T], fallback: T): T {
  const raw = env[variable];
  if (raw === undefined || raw === '') return fallback;
  if (raw === a || raw === b) return raw as T;
  throw new ConfigError(`${variable} must be "${a}" or "${b}", got "${raw}"`);
}

/** Only digests are kept: the keys go no further than this function. */
function readAccess(env: NodeJS.ProcessEnv, demo: boolean, authNone: boolean): AccessConfig {
  const keys = readKeys(env, 'TOKENGRAPH_API_KEYS');
  const adminKeys = readKeys(env, 'TOKENGRAPH_ADMIN_API_KEYS');
  const adminKeyDigests = adminKeys.map(digestApiKey);
  // In demo mode, without admin keys, anyone may revoke: it revokes demo data, restored at restart.
  const mutations = demo && adminKeys.length === 0 ? 'anyone' : 'admins';
  if (authNone) {
    if (keys.length > 0) throw new ConfigError('TOKENGRAPH_API_KEYS must not be set when TOKENGRAPH_AUTH=none: choose one');
    return { mode: 'open', why: 'none', keyDigests: [], adminKeyDigests, mutations };
  }
  if (keys.length > 0 || adminKeys.length > 0) return { mode: 'keys', why: 'keys', keyDigests: keys.map(digestApiKey), adminKeyDigests, mutations };
  if (demo) return { mode: 'open', why: 'demo', keyDigests: [], adminKeyDigests, mutations };
  throw new ConfigError('TOKENGRAPH_API_KEYS must be set outside demo mode (or set TOKENGRAPH_AUTH=none to serve without keys)');
}

/** A comma-separated list of API keys, each checked; a bad one is named by position, never by value. */
function readKeys(env: NodeJS.ProcessEnv, name: 'TOKENGRAPH_API_KEYS' | 'TOKENGRAPH_ADMIN_API_KEYS'): string[] {
  const keys = list(env[name]);
  keys.forEach((key, index) => {
    if (!/^[\x21-\x7e]+$/.test(key)) throw new ConfigError(`${name}: key ${index + 1} must be printable ASCII without spaces`);
    if (key.length < FIXED_LIMITS.apiKeyLength) throw new ConfigError(`${name}: key ${index + 1} must be at least ${FIXED_LIMITS.apiKeyLength} characters`);
  });
  return keys;
}

function readLimits(env: NodeJS.ProcessEnv): Limits {
  const limits = { ...DEFAULT_LIMITS };
  for (const key of Object.keys(LIMIT_VARIABLES) as Array<keyof Limits>) {
    const [variable, min, max] = LIMIT_VARIABLES[key];
    limits[key] = integer(env, variable, DEFAULT_LIMITS[key], min, max);
  }
  // Node refuses a headers timeout longer than the whole request's.
  if (limits.headersTimeoutMs > limits.requestTimeoutMs) {
    throw new ConfigError(`TOKENGRAPH_HEADERS_TIMEOUT_MS (${limits.headersTimeoutMs}) must not be longer than TOKENGRAPH_REQUEST_TIMEOUT_MS (${limits.requestTimeoutMs})`);
  }
  return limits;
}

function readCorsOrigins(env: NodeJS.ProcessEnv): string[] {
  const origins = list(env.TOKENGRAPH_CORS_ORIGINS);
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

function readAllowedHosts(env: NodeJS.ProcessEnv): string[] {
  const entries = list(env[ALLOWED_HOSTS_VARIABLE]);
  if (entries.length > FIXED_LIMITS.allowedHosts) throw new ConfigError(`${ALLOWED_HOSTS_VARIABLE} lists ${entries.length} names; at most ${FIXED_LIMITS.allowedHosts}`);
  return entries.map((entry) => {
    const host = allowedHostEntry(entry);
    if (host === undefined) {
      throw new ConfigError(
        `${ALLOWED_HOSTS_VARIABLE} must list host names or IP addresses without scheme or port, at most ${FIXED_LIMITS.allowedHostLength} characters each (tokengraph.example.com; .example.com for it and every name under it), got "${entry}"`,
      );
    }
    return host;
  });
}

const GRAPHQL_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

function readOperationNames(env: NodeJS.ProcessEnv): string[] {
  const names = list(env.TOKENGRAPH_METRICS_OPERATIONS);
  const bad = names.find((name) => !GRAPHQL_NAME.test(name));
  if (bad !== undefined) throw new ConfigError(`TOKENGRAPH_METRICS_OPERATIONS must list GraphQL operation names, got "${bad}"`);
  return names;
}

/** An HTTP header name (RFC 9110 token). */
const HEADER_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

function readUpstream(env: NodeJS.ProcessEnv, name: UpstreamName, authNone: boolean): UpstreamConfig | undefined {
  const vars = { ...UPSTREAMS[name], url: urlVariable(name) };
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
    ...optional('rateLimit', readRateLimit(env, `${vars.prefix}_RATE_LIMIT`)),
  };
}

/** `{ [name]: value }`, or nothing when `value` is undefined. */
function optional<K extends string, V>(name: K, value: V | undefined): Partial<Record<K, V>> {
  return value === undefined ? {} : ({ [name]: value } as Record<K, V>);
}

/** `<burst>,<per minute>`, both whole numbers from 1 to 1,000,000 (contract §10); unset: no budget. */
function readRateLimit(env: NodeJS.ProcessEnv, variable: string): RateLimit | undefined {
  const raw = env[variable]?.trim();
  if (!raw) return undefined;
  const match = /^(\d+)\s*,\s*(\d+)$/.exec(raw);
  const [burst, perMinute] = match ? [Number(match[1]), Number(match[2])] : [NaN, NaN];
  if (!(burst >= 1 && burst <= 1_000_000 && perMinute >= 1 && perMinute <= 1_000_000)) {
    throw new ConfigError(`${variable} must be "<burst>,<per minute>", two whole numbers from 1 to 1000000 (for example 500,6), got "${raw}"`);
  }
  return { burst, perMinute };
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
