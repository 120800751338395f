/**
 * Starts every fake upstream together on ephemeral loopback ports, seeded with the demo data and
 * demo credentials: what `npm start` talks to when no `*_URL` is set, and a ready-made set of
 * fixtures for tests.
 */
import { DEFAULTS, type Config, type UpstreamConfig } from '../config/readConfig.js';
import { UPSTREAM_NAMES, type TokenKey, type UpstreamName } from '../sources.js';
import { startAstraUpstream } from './astraUpstream.js';
import { CRAFTER_PROFILE_PREFIX, startCrafterProfileUpstream } from './crafterProfileUpstream.js';
import { DEMO_ASTRA_ACCOUNTS, DEMO_CREDENTIALS, DEMO_WATCH, demoData, type DemoData } from './demoData.js';
import { InFlightMeter, type FakeUpstream } from './fakeUpstream.js';
import { startGamesUpstream } from './gamesUpstream.js';
import { startNetbirdUpstream } from './netbirdUpstream.js';

/** A fake upstream plus the base URL tokengraph should be configured with (its `*_URL`). */
export type DemoUpstream = FakeUpstream & { readonly baseUrl: string };

export type DemoUpstreams = Record<UpstreamName, DemoUpstream> & {
  /** Shared by all of them. */
  meter: InFlightMeter;
  close(): Promise<void>;
};

/** How each upstream's fake starts, and the path prefix of its base URL. */
const FAKES: Record<UpstreamName, { start(meter: InFlightMeter, data: DemoData, options: DemoUpstreamsOptions): Promise<FakeUpstream>; prefix?: string }> = {
  crafterProfile: { start: (meter, data, options) => startCrafterProfileUpstream({ meter, data: data.crafterProfile, ticketMaxAgeMs: options.crafterTicketMaxAgeMs }), prefix: CRAFTER_PROFILE_PREFIX },
  astra: { start: (meter, data, options) => startAstraUpstream({ meter, data: data.astra, users: data.astraUsers, pageSize: options.astraPageSize }) },
  netbird: { start: (meter, data, options) => startNetbirdUpstream({ meter, data: data.netbird, users: data.netbirdUsers, rateLimit: options.netbirdRateLimit }) },
  games: { start: (meter, data) => startGamesUpstream({ meter, data: data.games }) },
};

export interface DemoUpstreamsOptions {
  meter?: InFlightMeter;
  /** What the data is dated from. Default: now. */
  now?: Date;
  /** Default: `demoData(now)`. */
  data?: DemoData;
  /** Most items in one page of an Astra list. Default 25. */
  astraPageSize?: number;
  /** How long a Crafter ticket may stay idle before Crafter drops it. Default Crafter's 900 s. */
  crafterTicketMaxAgeMs?: number;
  /** NetBird's API rate limiting; default off, as NetBird's. */
  netbirdRateLimit?: { burst: number; perMinute: number };
}

export async function startDemoUpstreams(options: DemoUpstreamsOptions = {}): Promise<DemoUpstreams> {
  const meter = options.meter ?? new InFlightMeter();
  const data = options.data ?? demoData(options.now ?? new Date());
  const started = await Promise.allSettled(UPSTREAM_NAMES.map((name) => FAKES[name].start(meter, data, options)));
  const servers = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  const close = async () => {
    await Promise.all(servers.map((s) => s.close()));
  };
  const failed = started.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) {
    await close();
    throw failed.reason;
  }
  const upstreams = Object.fromEntries(
    UPSTREAM_NAMES.map((name, i) => [name, Object.assign(servers[i]!, { baseUrl: `${servers[i]!.url}${FAKES[name].prefix ?? ''}` })]),
  ) as Record<UpstreamName, DemoUpstream>;
  return { ...upstreams, meter, close };
}

/**
 * `config` with every upstream pointed at `demo` and its demo credential: what `npm start` runs
 * in demo mode. Unless the configuration names its own, the inventory lists the demo's Astra
 * accounts and watches the demo tokens that cannot be listed (tickets, game tokens). `settings`
 * overrides the default timeout and resilience of every upstream.
 */
export function withDemoUpstreams(config: Config, demo: DemoUpstreams, settings: Partial<Pick<UpstreamConfig, 'timeoutMs' | 'resilience'>> = {}): Config {
  const upstream = (name: UpstreamName): UpstreamConfig => ({
    baseUrl: new URL(demo[name].baseUrl),
    credential: DEMO_CREDENTIALS[name],
    timeoutMs: DEFAULTS.timeoutMs,
    resilience: DEFAULTS.resilience,
    ...settings,
  });
  const { inventory } = config;
  return {
    ...config,
    upstreams: Object.fromEntries(UPSTREAM_NAMES.map((name) => [name, upstream(name)])),
    inventory: {
      ...inventory,
      watch: inventory.watch.length > 0 ? inventory.watch : (DEMO_WATCH as TokenKey[]),
      astraAccountIds: inventory.astraAccountIds.length > 0 ? inventory.astraAccountIds : [...DEMO_ASTRA_ACCOUNTS],
    },
  };
}
