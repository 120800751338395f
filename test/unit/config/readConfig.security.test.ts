/** The security settings of readConfig: access keys, forwarding, limits, introspection, CORS. */
import { describe, expect, it } from 'vitest';
import { ConfigError, DEFAULTS, readConfig } from '../../../src/config/readConfig.js';
import { digestApiKey } from '../../../src/security/apiKeys.js';

const NETBIRD = { NETBIRD_URL: 'http://n', NETBIRD_TOKEN: 'static-netbird-token' };
const KEY = 'k3y-0123456789abcdef';

describe('access', () => {
  it('is open in demo mode', () => {
    expect(readConfig({}).access).toEqual({ mode: 'open', why: 'demo', keyDigests: [], adminKeyDigests: [], mutations: 'anyone' });
  });

  it('refuses to start outside demo mode with no keys, naming the variables', () => {
    expect(() => readConfig(NETBIRD)).toThrowError(
      new ConfigError('TOKENGRAPH_API_KEYS must be set outside demo mode (or set TOKENGRAPH_AUTH=none to serve without keys)'),
    );
  });

  it('serves without keys only when TOKENGRAPH_AUTH=none says so', () => {
    expect(readConfig({ ...NETBIRD, TOKENGRAPH_AUTH: 'none' }).access).toEqual({ mode: 'open', why: 'none', keyDigests: [], adminKeyDigests: [], mutations: 'admins' });
  });

  it('keeps only the SHA-256 digests of the keys, trimmed, empty entries dropped', () => {
    const other = 'another-key-with-20ch';
    const config = readConfig({ ...NETBIRD, TOKENGRAPH_API_KEYS: ` ${KEY} ,,${other}` });
    expect(config.access).toEqual({ mode: 'keys', why: 'keys', keyDigests: [digestApiKey(KEY), digestApiKey(other)], adminKeyDigests: [], mutations: 'admins' });
    expect(config.access.keyDigests.every((digest) => digest.length === 32)).toBe(true);
    expect(JSON.stringify(config)).not.toContain(KEY);
  });

  it('keeps admin keys (TOKENGRAPH_ADMIN_API_KEYS) as digests too; they alone are enough to start, and only they may mutate', () => {
    const admin = 'admin-key-0123456789';
    const config = readConfig({ ...NETBIRD, TOKENGRAPH_ADMIN_API_KEYS: admin });
    expect(config.access).toEqual({ mode: 'keys', why: 'keys', keyDigests: [], adminKeyDigests: [digestApiKey(admin)], mutations: 'admins' });
    expect(JSON.stringify(config)).not.toContain(admin);
    // With TOKENGRAPH_AUTH=none reads need no key, but a mutation still needs an admin key.
    expect(readConfig({ ...NETBIRD, TOKENGRAPH_AUTH: 'none', TOKENGRAPH_ADMIN_API_KEYS: admin }).access).toMatchObject({ mode: 'open', mutations: 'admins' });
  });

  it('lets anyone mutate in demo mode without admin keys (it revokes demo data), and only admins once they are set', () => {
    expect(readConfig({ TOKENGRAPH_API_KEYS: KEY }).access.mutations).toBe('anyone');
    expect(readConfig({ TOKENGRAPH_ADMIN_API_KEYS: 'admin-key-0123456789' }).access.mutations).toBe('admins');
  });

  it('requires keys in demo mode too once they are set', () => {
    expect(readConfig({ TOKENGRAPH_API_KEYS: KEY }).access.mode).toBe('keys');
  });

  it.each([
    [{ TOKENGRAPH_AUTH: 'off' }, 'TOKENGRAPH_AUTH must be "keys" or "none", got "off"'],
    [{ TOKENGRAPH_AUTH: 'none', TOKENGRAPH_API_KEYS: KEY }, 'TOKENGRAPH_API_KEYS must not be set when TOKENGRAPH_AUTH=none: choose one'],
    [{ TOKENGRAPH_API_KEYS: `${KEY},short-secret` }, 'TOKENGRAPH_API_KEYS: key 2 must be at least 16 characters'],
    [{ TOKENGRAPH_API_KEYS: 'has a space in the secret' }, 'TOKENGRAPH_API_KEYS: key 1 must be printable ASCII without spaces'],
    [{ TOKENGRAPH_ADMIN_API_KEYS: `${KEY},short-secret` }, 'TOKENGRAPH_ADMIN_API_KEYS: key 2 must be at least 16 characters'],
  ])('refuses %j without echoing a key', (env, message) => {
    expect(() => readConfig(env)).toThrowError(new ConfigError(message));
    try {
      readConfig(env);
    } catch (error) {
      expect(String(error)).not.toMatch(/short-secret|space in the secret|k3y-/);
    }
  });
});

describe('credential forwarding', () => {
  it('is off by default', () => {
    expect(readConfig({ ...NETBIRD, TOKENGRAPH_AUTH: 'none' }).upstreams.netbird).not.toHaveProperty('forwardHeader');
  });

  it('reads <PREFIX>_FORWARD_HEADER lower-cased, and then needs no static credential', () => {
    const config = readConfig({ TOKENGRAPH_API_KEYS: KEY, NETBIRD_URL: 'http://n', NETBIRD_FORWARD_HEADER: 'X-NetBird-Token', CRAFTER_PROFILE_URL: 'http://c', CRAFTER_PROFILE_FORWARD_HEADER: 'x-crafter-id' });
    expect(config.upstreams.netbird).toMatchObject({ forwardHeader: 'x-netbird-token' });
    expect(config.upstreams.netbird?.credential).toBeUndefined();
    expect(config.upstreams.crafterProfile).toMatchObject({ forwardHeader: 'x-crafter-id' });
  });

  it('may forward Authorization only when tokengraph takes no keys', () => {
    expect(readConfig({ TOKENGRAPH_AUTH: 'none', NETBIRD_URL: 'http://n', NETBIRD_FORWARD_HEADER: 'Authorization' }).upstreams.netbird?.forwardHeader).toBe('authorization');
  });

  it.each([
    [{ TOKENGRAPH_API_KEYS: KEY, NETBIRD_URL: 'http://n', NETBIRD_FORWARD_HEADER: 'authorization' }, 'NETBIRD_FORWARD_HEADER must not be "authorization" while tokengraph\'s own keys use it (only with TOKENGRAPH_AUTH=none)'],
    [{ TOKENGRAPH_API_KEYS: KEY, NETBIRD_URL: 'http://n', NETBIRD_FORWARD_HEADER: 'x token' }, 'NETBIRD_FORWARD_HEADER must be an HTTP header name such as x-netbird-token, got "x token"'],
    [{ TOKENGRAPH_API_KEYS: KEY, ...NETBIRD, NETBIRD_FORWARD_HEADER: 'x-netbird-token' }, 'NETBIRD_TOKEN must not be set when NETBIRD_FORWARD_HEADER is set: forwarded calls never fall back to it'],
  ])('refuses %j', (env, message) => {
    expect(() => readConfig(env)).toThrowError(new ConfigError(message));
  });
});

describe('limits', () => {
  it('has the documented defaults', () => {
    expect(readConfig({}).limits).toEqual({
      maxBodyBytes: 1048576,
      maxQueryBytes: 20480,
      maxDepth: 12,
      maxAliases: 30,
      maxRootFields: 30,
      maxTokens: 2000,
      maxDirectives: 10,
      maxCost: 50_000,
      maxListLength: 100,
      maxEntities: 500,
      headersTimeoutMs: 10_000,
      requestTimeoutMs: 30_000,
      keepAliveTimeoutMs: 5_000,
      maxConnections: 1024,
      documentCacheBytes: 16 * 1024 * 1024,
      requestDeadlineMs: 15_000,
      maxUpstreamBodyBytes: 1024 * 1024,
      upstreamBodyTimeoutMs: 5_000,
      inventoryDeadlineMs: 60_000,
    });
    expect(DEFAULTS.limits.maxEntities).toBeGreaterThanOrEqual(100);
  });

  it('reads each from its variable', () => {
    const limits = readConfig({
      TOKENGRAPH_MAX_BODY_BYTES: '2048',
      TOKENGRAPH_MAX_QUERY_BYTES: '1000',
      TOKENGRAPH_MAX_DEPTH: '3',
      TOKENGRAPH_MAX_ALIASES: '4',
      TOKENGRAPH_MAX_ROOT_FIELDS: '5',
      TOKENGRAPH_MAX_TOKENS: '60',
      TOKENGRAPH_MAX_DIRECTIVES: '7',
      TOKENGRAPH_MAX_COST: '80',
      TOKENGRAPH_MAX_LIST_LENGTH: '9',
      TOKENGRAPH_MAX_ENTITIES: '110',
      TOKENGRAPH_HEADERS_TIMEOUT_MS: '2000',
      TOKENGRAPH_REQUEST_TIMEOUT_MS: '4000',
      TOKENGRAPH_KEEP_ALIVE_TIMEOUT_MS: '1000',
      TOKENGRAPH_MAX_CONNECTIONS: '64',
      TOKENGRAPH_DOCUMENT_CACHE_BYTES: '65536',
      REQUEST_DEADLINE_MS: '2500',
      UPSTREAM_MAX_BODY_BYTES: '4096',
      UPSTREAM_BODY_TIMEOUT_MS: '900',
      TOKENGRAPH_INVENTORY_DEADLINE_MS: '30000',
    }).limits;
    expect(limits).toEqual({
      maxBodyBytes: 2048, maxQueryBytes: 1000, maxDepth: 3, maxAliases: 4, maxRootFields: 5, maxTokens: 60, maxDirectives: 7, maxCost: 80, maxListLength: 9, maxEntities: 110,
      headersTimeoutMs: 2000, requestTimeoutMs: 4000, keepAliveTimeoutMs: 1000, maxConnections: 64, documentCacheBytes: 65536,
      requestDeadlineMs: 2500, maxUpstreamBodyBytes: 4096, upstreamBodyTimeoutMs: 900, inventoryDeadlineMs: 30_000,
    });
  });

  it.each([
    [{ TOKENGRAPH_MAX_DEPTH: '0' }, 'TOKENGRAPH_MAX_DEPTH must be between 1 and 1000, got 0'],
    [{ TOKENGRAPH_MAX_LIST_LENGTH: 'lots' }, 'TOKENGRAPH_MAX_LIST_LENGTH must be a whole number, got "lots"'],
    [{ TOKENGRAPH_MAX_ENTITIES: '99' }, 'TOKENGRAPH_MAX_ENTITIES must be between 100 and 100000, got 99'],
    [{ TOKENGRAPH_APQ: 'yes' }, 'TOKENGRAPH_APQ must be "on" or "off", got "yes"'],
    [{ TOKENGRAPH_HEADERS_TIMEOUT_MS: '40000' }, 'TOKENGRAPH_HEADERS_TIMEOUT_MS (40000) must not be longer than TOKENGRAPH_REQUEST_TIMEOUT_MS (30000)'],
  ])('refuses %j', (env, message) => {
    expect(() => readConfig(env)).toThrowError(new ConfigError(message));
  });
});

describe('/metrics access', () => {
  it('needs keys unless TOKENGRAPH_METRICS_AUTH=none', () => {
    expect(readConfig({}).metricsAuth).toBe('keys');
    expect(readConfig({ TOKENGRAPH_METRICS_AUTH: 'none' }).metricsAuth).toBe('none');
    expect(() => readConfig({ TOKENGRAPH_METRICS_AUTH: 'open' })).toThrowError(new ConfigError('TOKENGRAPH_METRICS_AUTH must be "keys" or "none", got "open"'));
  });
});

describe('automatic persisted queries', () => {
  it('are off unless TOKENGRAPH_APQ=on', () => {
    expect(readConfig({}).apq).toBe(false);
    expect(readConfig({ TOKENGRAPH_APQ: 'on' }).apq).toBe(true);
    expect(readConfig({ TOKENGRAPH_APQ: 'off' }).apq).toBe(false);
  });
});

describe('introspection and CORS', () => {
  it('has introspection on in demo mode and off outside it, unless set', () => {
    expect(readConfig({}).introspection).toBe(true);
    expect(readConfig({ ...NETBIRD, TOKENGRAPH_AUTH: 'none' }).introspection).toBe(false);
    expect(readConfig({ ...NETBIRD, TOKENGRAPH_AUTH: 'none', TOKENGRAPH_INTROSPECTION: 'true' }).introspection).toBe(true);
    expect(readConfig({ TOKENGRAPH_INTROSPECTION: 'false' }).introspection).toBe(false);
    expect(() => readConfig({ TOKENGRAPH_INTROSPECTION: 'yes' })).toThrowError(new ConfigError('TOKENGRAPH_INTROSPECTION must be "true" or "false", got "yes"'));
  });

  it('has no CORS origins unless listed, and lists only real origins', () => {
    expect(readConfig({}).corsOrigins).toEqual([]);
    expect(readConfig({ TOKENGRAPH_CORS_ORIGINS: 'https://app.example.com, http://localhost:5173/' }).corsOrigins).toEqual(['https://app.example.com', 'http://localhost:5173']);
    for (const bad of ['*', 'https://app.example.com/path', 'app.example.com', 'ftp://x']) {
      expect(() => readConfig({ TOKENGRAPH_CORS_ORIGINS: bad }), bad).toThrowError(/^TOKENGRAPH_CORS_ORIGINS must list origins/);
    }
  });
});

describe('TOKENGRAPH_ALLOWED_HOSTS', () => {
  it('lists no other host unless set, and takes host names, suffixes and addresses, in lower case', () => {
    expect(readConfig({}).allowedHosts).toEqual([]);
    expect(readConfig({ TOKENGRAPH_ALLOWED_HOSTS: 'TokenGraph.Example.com, .corp.example,10.0.0.5 , [fd00::5]' }).allowedHosts).toEqual([
      'tokengraph.example.com',
      '.corp.example',
      '10.0.0.5',
      '[fd00::5]',
    ]);
  });

  it('stops start-up on an entry that is not a host name or address, naming the variable and the entry', () => {
    for (const bad of ['https://tokengraph.example.com', 'tokengraph.example.com:4000', '*.example.com', '*']) {
      expect(() => readConfig({ TOKENGRAPH_ALLOWED_HOSTS: `localhost,${bad}` }), bad).toThrowError(
        new ConfigError(
          `TOKENGRAPH_ALLOWED_HOSTS must list host names or IP addresses without scheme or port, at most 253 characters each (tokengraph.example.com; .example.com for it and every name under it), got "${bad}"`,
        ),
      );
    }
  });

  it('takes at most 1000 names', () => {
    const names = (n: number) => Array.from({ length: n }, (_, i) => `host-${i}.example`).join(',');
    expect(readConfig({ TOKENGRAPH_ALLOWED_HOSTS: names(1000) }).allowedHosts).toHaveLength(1000);
    expect(() => readConfig({ TOKENGRAPH_ALLOWED_HOSTS: names(1001) })).toThrowError(new ConfigError('TOKENGRAPH_ALLOWED_HOSTS lists 1001 names; at most 1000'));
  });
});
