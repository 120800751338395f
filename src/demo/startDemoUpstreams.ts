/**
 * Starts the four fake upstreams together on ephemeral loopback ports, seeded with the demo data
 * and demo credentials: what `npm start` talks to when no `*_URL` is set, and a ready-made set of
 * fixtures for tests.
 */
import { DEFAULTS, type Config, type SourceConfig } from '../config/readConfig.js';
import { startAstraUpstream } from './astraUpstream.js';
import { CRAFTER_PROFILE_PREFIX, startCrafterProfileUpstream } from './crafterProfileUpstream.js';
import { DEMO_CREDENTIALS, demoData, type DemoData } from './demoData.js';
import { InFlightMeter, type FakeUpstream } from './fakeUpstream.js';
import { startGamesUpstream } from './gamesUpstream.js';
import { startNetbirdUpstream } from './netbirdUpstream.js';

export { DEMO_CREDENTIALS, DEMO_REFS, demoData, type DemoData, type DemoTokenRef } from './demoData.js';
export { InFlightMeter, type FakeUpstream, type Fault, type FaultRule, type RecordedCall } from './fakeUpstream.js';

/** A fake upstream plus the base URL tokengraph should be configured with (its `*_URL`). */
export type DemoUpstream = FakeUpstream & { readonly baseUrl: string };

export interface DemoUpstreams {
  crafterProfile: DemoUpstream;
  astra: DemoUpstream;
  netbird: DemoUpstream;
  games: DemoUpstream;
  /** Shared by all four. */
  meter: InFlightMeter;
  close(): Promise<void>;
}

export async function startDemoUpstreams(options: { meter?: InFlightMeter; now?: Date; data?: DemoData } = {}): Promise<DemoUpstreams> {
  const meter = options.meter ?? new InFlightMeter();
  const data = options.data ?? demoData(options.now ?? new Date());
  const started = await Promise.allSettled([
    startCrafterProfileUpstream({ meter, data: data.crafterProfile }),
    startAstraUpstream({ meter, data: data.astra }),
    startNetbirdUpstream({ meter, data: data.netbird }),
    startGamesUpstream({ meter, data: data.games }),
  ]);
  const servers = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  const close = async () => {
    await Promise.all(servers.map((s) => s.close()));
  };
  const failed = started.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failed) {
    await close();
    throw failed.reason;
  }
  const [crafterProfile, astra, netbird, games] = servers as [FakeUpstream, FakeUpstream, FakeUpstream, FakeUpstream];
  return {
    crafterProfile: Object.assign(crafterProfile, { baseUrl: `${crafterProfile.url}${CRAFTER_PROFILE_PREFIX}` }),
    astra: Object.assign(astra, { baseUrl: astra.url }),
    netbird: Object.assign(netbird, { baseUrl: netbird.url }),
    games: Object.assign(games, { baseUrl: games.url }),
    meter,
    close,
  };
}

/**
 * `config` with every source pointed at `demo` and its demo credential: what `npm start` runs
 * in demo mode. `settings` overrides the default timeout and resilience of every source.
 */
export function withDemoUpstreams(config: Config, demo: DemoUpstreams, settings: Partial<Pick<SourceConfig, 'timeoutMs' | 'resilience'>> = {}): Config {
  const source = (baseUrl: string, credential: string): SourceConfig => ({
    baseUrl: new URL(baseUrl),
    credential,
    timeoutMs: DEFAULTS.timeoutMs,
    resilience: DEFAULTS.resilience,
    ...settings,
  });
  return {
    ...config,
    crafterProfile: source(demo.crafterProfile.baseUrl, DEMO_CREDENTIALS.crafterProfileAccessTokenId),
    astra: source(demo.astra.baseUrl, DEMO_CREDENTIALS.astraApiToken),
    netbird: source(demo.netbird.baseUrl, DEMO_CREDENTIALS.netbirdToken),
    games: source(demo.games.baseUrl, DEMO_CREDENTIALS.gamesToken),
  };
}
