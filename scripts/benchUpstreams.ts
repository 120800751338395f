/**
 * `npm run bench`'s upstreams: the four demo upstreams, seeded with the bench data, each
 * answering after `BENCH_LATENCY_MS` (default 20). Reports the calls they received in total.
 */
import { startDemoUpstreams } from '../src/demo/startDemoUpstreams.js';
import { send, serveStats } from './benchChild.js';
import { benchData } from './benchWorkloads.js';

const latencyMs = Number(process.env.BENCH_LATENCY_MS ?? 20);
const upstreams = await startDemoUpstreams({ data: benchData(new Date()) });
const all = [upstreams.crafterProfile, upstreams.astra, upstreams.netbird, upstreams.games];
for (const upstream of all) upstream.latencyMs = latencyMs;
// The call logs are for tests; under load only the counters matter, so keep memory flat.
setInterval(() => {
  for (const upstream of all) upstream.calls.length = 0;
}, 1000).unref();

serveStats(undefined, upstreams.close, () => all.reduce((sum, u) => sum + u.callCount, 0));
send({
  type: 'ready',
  url: '',
  extra: {
    CRAFTER_PROFILE_URL: upstreams.crafterProfile.baseUrl,
    ASTRA_URL: upstreams.astra.baseUrl,
    NETBIRD_URL: upstreams.netbird.baseUrl,
    GAMES_URL: upstreams.games.baseUrl,
  },
});
