/**
 * The test kit: real loopback upstreams (the demo servers, with call logs and fault
 * injection) and a real tokengraph over HTTP in front of them. Tests drive the whole
 * pipeline through `query` and count what reached each upstream.
 */
import { createServer, type AddressInfo } from 'node:net';
import { DEFAULTS, readConfig, type Config, type HistoryConfig, type Limits, type RateLimit, type ResilienceSettings, type UpstreamConfig } from '../src/config/readConfig.js';
import { digestApiKey } from '../src/security/apiKeys.js';
import { UPSTREAM_NAMES, type UpstreamName } from '../src/sources.js';
import { DEMO_CREDENTIALS, type DemoData } from '../src/demo/demoData.js';
import { startDemoUpstreams, type DemoUpstreams } from '../src/demo/startDemoUpstreams.js';
import { InFlightMeter } from '../src/demo/fakeUpstream.js';
import { createLogger, type Logger } from '../src/observability/createLogger.js';
import type { ObservabilityOptions } from '../src/observability/createObservability.js';
import { createTokengraph, type Tokengraph, type TokengraphHooks } from '../src/http/createTokengraph.js';

export interface StackOptions {
  /** Which upstreams tokengraph is told about; default all four. */
  configured?: UpstreamName[];
  /** Per-call upstream deadline, in ms. */
  timeoutMs?: number;
  /** Override a credential, for 401 tests. */
  credentials?: Partial<Record<UpstreamName, string>>;
  /** Limits over the defaults (body sizes, deadlines, …). */
  limits?: Partial<Limits>;
  /** The instant the demo data is dated from; default the real now. */
  now?: Date;
  /** The upstreams' data, for a test that looks at what they stored; default `demoData(now)`. */
  data?: DemoData;
  /**
   * Resilience settings of every source. Default: no retries, so each fault is one call, and a
   * breaker that does not open, so tests sharing a stack do not trip each other's circuits.
   */
  resilience?: Partial<ResilienceSettings>;
  /** Another stack's upstreams, to run a second replica against one world; this stack does not close them. */
  upstreams?: DemoUpstreams;
  /** Keys that may also revoke (TOKENGRAPH_ADMIN_API_KEYS); with them every request needs a key. */
  adminKeys?: string[];
  /** Other top-level settings (deadlines, grace period, limits, introspection, CORS). */
  config?: Partial<Config>;
  /**
   * Access keys tokengraph requires (TOKENGRAPH_API_KEYS); `query` sends the first (else the first admin key). Default:
   * none, served as with TOKENGRAPH_AUTH=none.
   */
  apiKeys?: string[];
  /**
   * Credential forwarding: the incoming header of each upstream named here is sent upstream
   * instead of a static credential (which is then not configured).
   */
  forwardHeaders?: Partial<Record<UpstreamName, string>>;
  /** The logger tokengraph writes to; default silent. */
  logger?: Logger;
  /** A tracer, for the tracing tests. */
  observability?: ObservabilityOptions;
  /** Each upstream's rate budget (`<PREFIX>_RATE_LIMIT`); default none. */
  rateLimits?: Partial<Record<UpstreamName, RateLimit>>;
  /**
   * The history's database (PGlite in memory or a directory, or a server's URL). Default: no history,
   * so that a stack that does not test it does not pay PGlite's seconds-long first open.
   */
  history?: Partial<HistoryConfig>;
  /** Parts of tokengraph a test puts in place of its own (the history's open, held back). */
  hooks?: TokengraphHooks;
}

/** A configuration as readConfig gives it for an empty environment, but not in demo mode. */
export function testConfig(overrides: Partial<Config> = {}): Config {
  return {
    ...readConfig({}),
    port: 0,
    logLevel: 'silent',
    demo: false,
    // Outside demo mode: no schema discovery unless a test turns it on.
    introspection: false,
    access: { mode: 'open', why: 'none', keyDigests: [], adminKeyDigests: [], mutations: 'admins' },
    // No history unless a test asks for one (StackOptions.history).
    history: undefined,
    ...overrides,
  };
}

/** One configured upstream with defaults for what the test does not set. */
export function testSource(baseUrl: string, credential: string, overrides: Partial<UpstreamConfig> = {}): UpstreamConfig {
  return { baseUrl: new URL(baseUrl), credential, timeoutMs: 2000, resilience: { ...DEFAULTS.resilience, retries: 0 }, ...overrides };
}

export interface GraphQLResponse<T = Record<string, any>> {
  status: number;
  headers: Headers;
  body: { data?: T | null; errors?: Array<{ message: string; path?: Array<string | number>; extensions?: Record<string, any> }> };
}

export type Stack = Awaited<ReturnType<typeof startStack>>;

export async function startStack(options: StackOptions = {}) {
  const meter = new InFlightMeter();
  const upstreams = options.upstreams ?? (await startDemoUpstreams({ meter, now: options.now, data: options.data }));
  const configured = options.configured ?? UPSTREAM_NAMES;
  const timeoutMs = options.timeoutMs ?? 2000;
  const credentials = { ...DEMO_CREDENTIALS, ...options.credentials };
  const access: Config['access'] | undefined = (options.apiKeys || options.adminKeys) && {
    mode: 'keys',
    why: 'keys',
    keyDigests: (options.apiKeys ?? []).map(digestApiKey),
    adminKeyDigests: (options.adminKeys ?? []).map(digestApiKey),
    mutations: 'admins',
  };
  const config = testConfig({ ...(access && { access }), ...(options.history && { history: { days: DEFAULTS.historyDays, ...options.history } }), ...options.config });
  config.limits = { ...config.limits, ...options.limits };
  const resilience = { ...DEFAULTS.resilience, retries: 0, breakerThreshold: 1000, ...options.resilience };
  for (const name of configured) {
    const forwardHeader = options.forwardHeaders?.[name];
    const rateLimit = options.rateLimits?.[name];
    const settings = { timeoutMs, resilience, ...(rateLimit && { rateLimit }) };
    config.upstreams[name] = forwardHeader
      ? { ...testSource(upstreams[name].baseUrl, '', settings), credential: undefined, forwardHeader }
      : testSource(upstreams[name].baseUrl, credentials[name], settings);
  }
  const tokengraph: Tokengraph = await createTokengraph(config, options.logger ?? createLogger('silent'), [], options.observability, options.hooks);
  const url = await tokengraph.listen();
  const key = options.apiKeys?.[0] ?? options.adminKeys?.[0];
  const authorization: Record<string, string> = key ? { authorization: `Bearer ${key}` } : {};

  /** POSTs `document`; `headers` are added to (or replace) the defaults, the API key included. */
  async function query<T = Record<string, any>>(document: string, variables?: Record<string, unknown>, headers: Record<string, string> = {}): Promise<GraphQLResponse<T>> {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json', ...authorization, ...headers },
      body: JSON.stringify({ query: document, variables }),
    });
    return { status: response.status, headers: response.headers, body: (await response.json()) as GraphQLResponse<T>["body"] };
  }

  /** Every call each upstream received, e.g. `calls('netbird')`. */
  const calls = (name: UpstreamName) => upstreams[name].calls;
  const totalCalls = () => configured.reduce((sum, name) => sum + upstreams[name].calls.length, 0);

  return {
    url,
    /** The headers `query` sends for access (the first API key), to add to hand-made requests. */
    authorization,
    upstreams,
    meter,
    tokengraph,
    query,
    calls,
    totalCalls,
    /** Clears every call log and fault, between tests. */
    reset() {
      for (const name of UPSTREAM_NAMES) upstreams[name].reset();
      meter.reset();
    },
    async close() {
      await tokengraph.close();
      if (!options.upstreams) await upstreams.close();
    },
  };
}

/** A port that was free a moment ago: nothing listens there, so connections are refused. */
export function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/** The error at `path` in a response, if any. */
export function errorAt(response: GraphQLResponse, ...path: Array<string | number>) {
  return response.body.errors?.find((e) => JSON.stringify(e.path) === JSON.stringify(path));
}
