import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, readConfig } from '../../../src/config/readConfig.js';

describe('readConfig', () => {
  it('is demo mode with defaults when no *_URL is set', () => {
    const config = readConfig({});
    expect(config).toMatchObject({ demo: true, port: 4000, host: '127.0.0.1', limits: { maxUpstreamBodyBytes: 1048576 } });
    expect(config.upstreams.netbird).toBeUndefined();
  });

  it('reads one configured source and leaves demo mode', () => {
    const config = readConfig({ TOKENGRAPH_AUTH: 'none', NETBIRD_URL: 'https://netbird.example/prefix/', NETBIRD_TOKEN: 'secret', NETBIRD_TIMEOUT_MS: '2500', PORT: '8080' });
    expect(config.demo).toBe(false);
    expect(config.port).toBe(8080);
    expect(config.upstreams.netbird).toMatchObject({ credential: 'secret', timeoutMs: 2500 });
    expect(config.upstreams.netbird?.baseUrl.href).toBe('https://netbird.example/prefix/');
    expect(config.upstreams.astra).toBeUndefined();
  });

  it('defaults each source timeout to 10 s', () => {
    expect(readConfig({ TOKENGRAPH_AUTH: 'none', GAMES_URL: 'http://g', GAMES_TOKEN: 't' }).upstreams.games?.timeoutMs).toBe(10_000);
  });

  it('reads per-upstream resilience settings and the global deadlines', () => {
    const config = readConfig({
      TOKENGRAPH_AUTH: 'none',
      ASTRA_URL: 'http://a',
      ASTRA_API_TOKEN: 't',
      ASTRA_RETRIES: '0',
      ASTRA_BREAKER_THRESHOLD: '3',
      ASTRA_BREAKER_HALF_OPEN_MS: '500',
      ASTRA_MAX_CONCURRENCY: '4',
      ASTRA_MAX_QUEUE: '0',
      ASTRA_RETRY_BASE_DELAY_MS: '50',
      ASTRA_RETRY_MAX_DELAY_MS: '400',
      REQUEST_DEADLINE_MS: '3000',
      UPSTREAM_BODY_TIMEOUT_MS: '700',
      SHUTDOWN_GRACE_MS: '0',
    });
    expect(config.upstreams.astra?.resilience).toEqual({
      retries: 0,
      breakerThreshold: 3,
      breakerHalfOpenMs: 500,
      maxConcurrency: 4,
      maxQueue: 0,
      retryBaseDelayMs: 50,
      retryMaxDelayMs: 400,
    });
    expect(config).toMatchObject({ limits: { requestDeadlineMs: 3000, upstreamBodyTimeoutMs: 700 }, shutdownGraceMs: 0 });
  });

  it('defaults resilience to 2 retries, a breaker at 5 failures, 32 concurrent calls', () => {
    expect(readConfig({ TOKENGRAPH_AUTH: 'none', GAMES_URL: 'http://g', GAMES_TOKEN: 't' }).upstreams.games?.resilience).toMatchObject({ retries: 2, breakerThreshold: 5, maxConcurrency: 32, maxQueue: 128 });
  });

  it.each([
    [{ NETBIRD_URL: 'http://n', NETBIRD_TOKEN: 't', NETBIRD_RETRIES: '11' }, 'NETBIRD_RETRIES must be between 0 and 10, got 11'],
    [{ NETBIRD_URL: 'http://n', NETBIRD_TOKEN: 't', NETBIRD_MAX_CONCURRENCY: '0' }, 'NETBIRD_MAX_CONCURRENCY must be between 1 and 10000, got 0'],
    [{ REQUEST_DEADLINE_MS: 'soon' }, 'REQUEST_DEADLINE_MS must be a whole number, got "soon"'],
    [{ PORT: 'eighty' }, 'PORT must be a whole number, got "eighty"'],
    [{ PORT: '70000' }, 'PORT must be between 0 and 65535, got 70000'],
    [{ ASTRA_URL: 'not a url', ASTRA_API_TOKEN: 't' }, 'ASTRA_URL is not a URL: expected something like http://host:8080/prefix'],
    [{ ASTRA_URL: 'ftp://astra', ASTRA_API_TOKEN: 't' }, 'ASTRA_URL must be an http:// or https:// URL'],
    [{ ASTRA_URL: 'http://astra?x=1', ASTRA_API_TOKEN: 't' }, 'ASTRA_URL must not contain a query string or fragment'],
    [{ ASTRA_URL: 'http://user:pw@astra', ASTRA_API_TOKEN: 't' }, 'ASTRA_URL must not contain a user name or password'],
    [{ ASTRA_URL: 'http://astra' }, 'ASTRA_API_TOKEN must be set when ASTRA_URL is set'],
    [{ NETBIRD_URL: 'http://n', NETBIRD_TOKEN: 't', NETBIRD_TIMEOUT_MS: '0' }, 'NETBIRD_TIMEOUT_MS must be between 1 and 600000, got 0'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent'],
  ])('refuses %j with one line naming the variable', (env, message) => {
    expect(() => readConfig(env)).toThrowError(new ConfigError(message));
  });

  it('never puts a credential in an error', () => {
    try {
      readConfig({ CRAFTER_PROFILE_URL: 'http://c', CRAFTER_PROFILE_ACCESS_TOKEN_ID: 'sekrit', CRAFTER_PROFILE_TIMEOUT_MS: 'x' });
      expect.unreachable();
    } catch (error) {
      expect(String(error)).not.toContain('sekrit');
    }
  });
});

describe('readConfig: the cross-request cache', () => {
  it('is off by default, with a 30 s TTL per source ready for when it is turned on', () => {
    const config = readConfig({ NETBIRD_URL: 'http://n', NETBIRD_TOKEN: 't', TOKENGRAPH_AUTH: 'none' });
    expect(config.cache).toEqual({ mode: 'off', maxEntries: 10_000, maxBytes: 64 * 1024 * 1024 });
    expect(config.upstreams.netbird?.cacheTtlMs).toBe(30_000);
  });

  it('reads the mode, the LRU bounds and per-upstream TTLs', () => {
    const config = readConfig({
      TOKENGRAPH_AUTH: 'none',
      TOKENGRAPH_CACHE: 'memory',
      TOKENGRAPH_CACHE_MAX_ENTRIES: '500',
      TOKENGRAPH_CACHE_MAX_BYTES: '1048576',
      GAMES_URL: 'http://g',
      GAMES_TOKEN: 't',
      GAMES_CACHE_TTL_MS: '0',
      CRAFTER_PROFILE_URL: 'http://c',
      CRAFTER_PROFILE_ACCESS_TOKEN_ID: 'c',
      CRAFTER_PROFILE_CACHE_TTL_MS: '5000',
    });
    expect(config.cache).toEqual({ mode: 'memory', maxEntries: 500, maxBytes: 1048576 });
    expect(config.upstreams.games?.cacheTtlMs).toBe(0);
    expect(config.upstreams.crafterProfile?.cacheTtlMs).toBe(5000);
  });

  it('uses Redis when REDIS_URL is set, unless TOKENGRAPH_CACHE says otherwise', () => {
    expect(readConfig({ REDIS_URL: 'redis://r:6379/0' }).cache).toMatchObject({ mode: 'redis', redisUrl: 'redis://r:6379/0' });
    expect(readConfig({ REDIS_URL: 'redis://r:6379/0', TOKENGRAPH_CACHE: 'off' }).cache?.mode).toBe('off');
  });

  it.each([
    [{ TOKENGRAPH_CACHE: 'yes' }, 'TOKENGRAPH_CACHE must be off, memory or redis'],
    [{ TOKENGRAPH_CACHE: 'redis' }, 'REDIS_URL must be set when TOKENGRAPH_CACHE is redis'],
    [{ REDIS_URL: 'http://r' }, 'REDIS_URL must be a redis:// or rediss:// URL'],
    [{ REDIS_URL: 'nope' }, 'REDIS_URL is not a URL: expected something like redis://host:6379/0'],
    [{ TOKENGRAPH_CACHE_MAX_ENTRIES: '0' }, 'TOKENGRAPH_CACHE_MAX_ENTRIES must be between 1 and 100000000, got 0'],
  ])('refuses %j with one line naming the variable', (env, message) => {
    expect(() => readConfig(env)).toThrowError(new ConfigError(message));
  });

  it('never puts a Redis password in an error', () => {
    expect(() => readConfig({ REDIS_URL: 'http://:hunter2@r' })).toThrowError(/^(?!.*hunter2)/);
  });
});

describe('upstream rate budgets (<PREFIX>_RATE_LIMIT, contract §10)', () => {
  const upstream = { NETBIRD_URL: 'http://netbird.example', NETBIRD_TOKEN: 'nbp_x', TOKENGRAPH_AUTH: 'none' };

  it('are off unless set, and read as burst and per minute', () => {
    expect(readConfig(upstream).upstreams.netbird?.rateLimit).toBeUndefined();
    expect(readConfig({ ...upstream, NETBIRD_RATE_LIMIT: ' 500, 6 ' }).upstreams.netbird?.rateLimit).toEqual({ burst: 500, perMinute: 6 });
  });

  it.each(['500', '500,', ',6', '0,6', '500,0', '1.5,6', '500,6,1', 'lots,6', '1000001,6'])('refuses %j with one line naming the variable', (value) => {
    expect(() => readConfig({ ...upstream, NETBIRD_RATE_LIMIT: value })).toThrowError(
      new ConfigError(`NETBIRD_RATE_LIMIT must be "<burst>,<per minute>", two whole numbers from 1 to 1000000 (for example 500,6), got "${value.trim()}"`),
    );
  });
});

describe('the inventory', () => {
  it('has its defaults: a minute per snapshot, a refresh on request at most every 10 s, nothing watched, NetBird service users, no Astra account', () => {
    expect(readConfig({}).inventory).toEqual({
      ttlMs: 60_000,
      minRefreshMs: 10_000,
      watch: [],
      netbirdUsers: 'service',
      astraAccountIds: [],
      refreshS: 0,
      maxSeries: 10_000,
      findings: { expiresSoonDays: 14, maxLifetimeDays: 365, unusedDays: 90 },
    });
  });

  it('reads its settings', () => {
    const inventory = readConfig({
      TOKENGRAPH_INVENTORY_TTL_MS: '0',
      TOKENGRAPH_INVENTORY_MIN_REFRESH_MS: '2500',
      NETBIRD_INVENTORY: 'all',
      ASTRA_ACCOUNT_IDS: ' acme, globex ,acme',
      TOKENGRAPH_INVENTORY_REFRESH_S: '30',
      TOKENGRAPH_INVENTORY_MAX_SERIES: '500',
      TOKENGRAPH_EXPIRES_SOON_DAYS: '30',
      TOKENGRAPH_MAX_LIFETIME_DAYS: '90',
      TOKENGRAPH_UNUSED_DAYS: '45',
    }).inventory;
    expect(inventory).toMatchObject({
      ttlMs: 0,
      minRefreshMs: 2500,
      netbirdUsers: 'all',
      astraAccountIds: ['acme', 'globex'],
      refreshS: 30,
      maxSeries: 500,
      findings: { expiresSoonDays: 30, maxLifetimeDays: 90, unusedDays: 45 },
    });
  });

  it('reads watched references from TOKENGRAPH_WATCH and TOKENGRAPH_WATCH_FILE, parts percent-encoded, each once', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tokengraph-watch-'));
    const file = join(dir, 'watch.txt');
    writeFileSync(file, '# tickets and game tokens\nCRAFTER_TICKET/2e911e0b-ac47-423e-9174-4e8896f1b387\n\nGAME/game%2Fdemo  # a slash in the id\nNETBIRD/alice/nb-demo-1\n');
    const { watch } = readConfig({ TOKENGRAPH_WATCH: 'NETBIRD/alice/nb-demo-1, ASTRA/acme/ops-admin/astra-demo-1', TOKENGRAPH_WATCH_FILE: file }).inventory;
    expect(watch).toEqual([
      { source: 'NETBIRD', tokenId: 'nb-demo-1', userId: 'alice' },
      { source: 'ASTRA', tokenId: 'astra-demo-1', accountId: 'acme', userId: 'ops-admin' },
      { source: 'CRAFTER_TICKET', tokenId: '2e911e0b-ac47-423e-9174-4e8896f1b387' },
      { source: 'GAME', tokenId: 'game/demo' },
    ]);
  });

  it.each([
    [{ TOKENGRAPH_WATCH: 'GAME/game-1,NOPE/x' }, 'TOKENGRAPH_WATCH entry 2 is not a reference such as NETBIRD/<user>/<token>, ASTRA/<account>/<user>/<token>, CRAFTER_TICKET/<id> or GAME/<id> (parts percent-encoded)'],
    [{ TOKENGRAPH_WATCH: 'NETBIRD/nb-demo-1' }, 'TOKENGRAPH_WATCH entry 1 is not a reference such as NETBIRD/<user>/<token>, ASTRA/<account>/<user>/<token>, CRAFTER_TICKET/<id> or GAME/<id> (parts percent-encoded)'],
    [{ TOKENGRAPH_WATCH: 'GAME/%E0%A4%A' }, 'TOKENGRAPH_WATCH entry 1 is not a reference such as NETBIRD/<user>/<token>, ASTRA/<account>/<user>/<token>, CRAFTER_TICKET/<id> or GAME/<id> (parts percent-encoded)'],
    [{ TOKENGRAPH_WATCH: 'CRAFTER_TICKET/..' }, 'TOKENGRAPH_WATCH entry 1 (CRAFTER_TICKET): tokenId must not be "." or ".."'],
    [{ TOKENGRAPH_WATCH_FILE: '/nonexistent/watch.txt' }, 'TOKENGRAPH_WATCH_FILE cannot be read: ENOENT (/nonexistent/watch.txt)'],
    [{ NETBIRD_INVENTORY: 'everyone' }, 'NETBIRD_INVENTORY must be "service" or "all", got "everyone"'],
    [{ ASTRA_ACCOUNT_IDS: 'acme,..' }, 'ASTRA_ACCOUNT_IDS: account 2 must not be "." or ".."'],
    [{ TOKENGRAPH_INVENTORY_TTL_MS: '-1' }, 'TOKENGRAPH_INVENTORY_TTL_MS must be a whole number, got "-1"'],
    [{ TOKENGRAPH_INVENTORY_MIN_REFRESH_MS: '86400001' }, 'TOKENGRAPH_INVENTORY_MIN_REFRESH_MS must be between 0 and 86400000, got 86400001'],
    [{ TOKENGRAPH_EXPIRES_SOON_DAYS: '0' }, 'TOKENGRAPH_EXPIRES_SOON_DAYS must be between 1 and 3650, got 0'],
    [{ TOKENGRAPH_MAX_LIFETIME_DAYS: '36501' }, 'TOKENGRAPH_MAX_LIFETIME_DAYS must be between 1 and 36500, got 36501'],
    [{ TOKENGRAPH_UNUSED_DAYS: 'ninety' }, 'TOKENGRAPH_UNUSED_DAYS must be a whole number, got "ninety"'],
  ])('refuses %j with one line naming it', (env, message) => {
    expect(() => readConfig(env)).toThrowError(new ConfigError(message));
  });

  it('never names a watched ticket by its id when refusing it', () => {
    const ticket = 'f00dfeed-secret-ticket-0123456789';
    expect(() => readConfig({ TOKENGRAPH_WATCH: `CRAFTER_TICKET/${ticket}\u0001` })).toThrowError(expect.objectContaining({ message: expect.not.stringContaining(ticket) }));
  });
});

describe('the history (contract §12)', () => {
  const outside = { TOKENGRAPH_AUTH: 'none', GAMES_URL: 'http://g', GAMES_TOKEN: 't' };

  it('is PGlite in ./data outside demo mode, in memory in demo mode, kept 400 days', () => {
    expect(readConfig(outside).history).toEqual({ dataDir: './data', days: 400 });
    expect(readConfig({}).history).toEqual({ days: 400 });
    expect(readConfig({ TOKENGRAPH_DATA_DIR: '/var/lib/tokengraph' }).history).toEqual({ dataDir: '/var/lib/tokengraph', days: 400 });
  });

  it('is a PostgreSQL server with DATABASE_URL, and reads TOKENGRAPH_HISTORY_DAYS', () => {
    const databaseUrl = 'postgres://tokengraph:s3cret@db.example:5432/tokengraph';
    expect(readConfig({ ...outside, DATABASE_URL: databaseUrl, TOKENGRAPH_HISTORY_DAYS: '30' }).history).toEqual({ databaseUrl, days: 30 });
    expect(readConfig({ DATABASE_URL: 'postgresql://db/tokengraph' }).history).toEqual({ databaseUrl: 'postgresql://db/tokengraph', days: 400 });
  });

  it.each([
    [{ DATABASE_URL: 'mysql://root:hunter2@db/tokengraph' }, 'DATABASE_URL must be a URL such as postgres://user:password@host:5432/tokengraph'],
    [{ DATABASE_URL: 'not a url hunter2' }, 'DATABASE_URL must be a URL such as postgres://user:password@host:5432/tokengraph'],
    [{ DATABASE_URL: 'postgres://u:hunter2@db/x', TOKENGRAPH_DATA_DIR: './data' }, 'TOKENGRAPH_DATA_DIR must not be set together with DATABASE_URL: the history is either on that server or embedded in that directory'],
    [{ TOKENGRAPH_HISTORY_DAYS: '0' }, 'TOKENGRAPH_HISTORY_DAYS must be between 1 and 36500, got 0'],
    [{ TOKENGRAPH_HISTORY_DAYS: '1y' }, 'TOKENGRAPH_HISTORY_DAYS must be a whole number, got "1y"'],
  ])('refuses %j with one line, never showing a password', (env, message) => {
    expect(() => readConfig(env)).toThrowError(new ConfigError(message));
  });
});
