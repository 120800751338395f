/**
 * Upstream rate budgets (contract §10, `<PREFIX>_RATE_LIMIT=<burst>,<per minute>`) over real HTTP,
 * against a NetBird fake with its API rate limiting on (a token bucket per PAT, 429 with no
 * Retry-After, as netbirdio/netbird's rate_limiter.go): tokengraph never sends more than its budget,
 * waits for a token only within its deadline and otherwise fails without sending, reads what fits
 * of an inventory and reports the rest as gaps, pauses after a 429, and exports what is left.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { readConfig } from '../../src/config/readConfig.js';
import { DEMO_CREDENTIALS, DEMO_NETBIRD_SERVICE_CREDENTIAL } from '../../src/demo/demoData.js';
import type { RecordedCall } from '../../src/demo/fakeUpstream.js';
import { startDemoUpstreams } from '../../src/demo/startDemoUpstreams.js';
import { errorAt, startStack, type Stack, type StackOptions } from '../harness.js';

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((close) => close()));
});

/** A stack whose NetBird limits its API like NetBird does (`upstreamLimit`), tokengraph under `options`. */
async function limited(upstreamLimit: { burst: number; perMinute: number } | undefined, options: StackOptions): Promise<Stack> {
  const upstreams = await startDemoUpstreams({ netbirdRateLimit: upstreamLimit });
  const stack = await startStack({ upstreams, configured: ['netbird'], ...options });
  cleanups.push(async () => {
    await stack.close();
    await upstreams.close();
  });
  return stack;
}

const tokens = (ids: string[]) => `{ ${ids.map((id, i) => `t${i}: netbirdToken(userId: "alice", tokenId: "${id}") { name }`).join(' ')} }`;
const statuses = (calls: RecordedCall[]) => calls.length;

/** Whether `calls` ever exceed a bucket of `burst` refilled at `perMinute`: the most in any stretch from the first. */
function withinBudget(calls: RecordedCall[], burst: number, perMinute: number): boolean {
  const first = calls[0]?.at ?? 0;
  return calls.every((call, i) => i + 1 <= burst + Math.floor(((call.at - first + 50) * perMinute) / 60_000));
}

async function metric(stack: Stack, name: string): Promise<string[]> {
  const text = await (await fetch(new URL('/metrics', stack.url))).text();
  return text.split('\n').filter((line) => line.startsWith(`${name}{`));
}

describe('a budget tokengraph keeps', () => {
  it('an inventory read that cannot fit in it reads what fits (waiting within its deadline) and reports the rest as gaps, never answered 429', async () => {
    const inventory = { ...readConfig({}).inventory, watch: [], minRefreshMs: 0 };
    // 4 calls at once, then one a second; a read may take 2.5 s.
    const stack = await limited({ burst: 4, perMinute: 60 }, { rateLimits: { netbird: { burst: 4, perMinute: 60 } }, limits: { inventoryDeadlineMs: 2500 }, config: { inventory } });
    const response = await stack.query('{ inventory(first: 500, refresh: true) { totalCount gaps { source code count message } } }');
    const calls = stack.calls('netbird');
    // The users list and three token lists at once, two more as the budget refills within 2.5 s; the other 5 never sent.
    expect(statuses(calls)).toBe(6);
    expect(withinBudget(calls, 4, 60)).toBe(true);
    expect(calls.map((call) => call.path).filter((path) => path === '/api/users')).toHaveLength(1);
    expect(response.body.data?.inventory.gaps).toEqual([{ source: 'NETBIRD', code: 'UPSTREAM_UNAVAILABLE', count: 5, message: expect.stringContaining('rate budget exhausted') }]);
    expect(response.body.data?.inventory.totalCount).toBeGreaterThan(0);
  });

  it('a call waits for the next token when it comes before the request\'s deadline', async () => {
    const stack = await limited(undefined, { rateLimits: { netbird: { burst: 1, perMinute: 60 } }, limits: { requestDeadlineMs: 5000 } });
    const response = await stack.query(tokens(['nb-demo-1', 'nb-demo-2']));
    expect(response.body.errors).toBeUndefined();
    const [first, second] = stack.calls('netbird');
    // One token a second: the second call is sent no sooner than one refill interval (1000 ms) after
    // the first (tokengraph adds a 50 ms margin for the clocks, so the wait is about 1050 ms).
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(1000);
  });

  it('a call whose token would come after the request\'s deadline fails at once, unsent, and the others are answered', async () => {
    const stack = await limited({ burst: 2, perMinute: 6 }, { rateLimits: { netbird: { burst: 2, perMinute: 6 } }, limits: { requestDeadlineMs: 3000 } });
    const started = Date.now();
    const response = await stack.query(tokens(['nb-demo-1', 'nb-demo-2', 'nb-demo-4']));
    expect(Date.now() - started).toBeLessThan(1500);
    expect(stack.calls('netbird')).toHaveLength(2);
    const refused = (response.body.errors ?? []).map((error) => error.extensions);
    expect(refused).toEqual([{ code: 'UPSTREAM_UNAVAILABLE', upstream: { source: 'NETBIRD' } }]);
    expect(response.body.errors![0]!.message).toBe('NETBIRD: rate budget exhausted: no call of 6 a minute (NETBIRD_RATE_LIMIT) is free before the deadline');
    expect(Object.values(response.body.data!).filter((token) => token !== null)).toHaveLength(2);
  });

  it('is exported as tokengraph_upstream_rate_budget{upstream}, what its own credential has left', async () => {
    const stack = await limited(undefined, { rateLimits: { netbird: { burst: 5, perMinute: 6 } } });
    expect(await metric(stack, 'tokengraph_upstream_rate_budget')).toEqual(['tokengraph_upstream_rate_budget{upstream="netbird"} 5']);
    await stack.query(tokens(['nb-demo-1', 'nb-demo-2']));
    expect(await metric(stack, 'tokengraph_upstream_rate_budget')).toEqual(['tokengraph_upstream_rate_budget{upstream="netbird"} 3']);
  });
});

describe('a budget of forwarded credentials (no credential of tokengraph\'s own)', () => {
  it('is exported as the least any caller has left, and /metrics still answers after two callers', async () => {
    const stack = await limited(undefined, { rateLimits: { netbird: { burst: 5, perMinute: 6 } }, forwardHeaders: { netbird: 'x-netbird-token' } });
    await stack.query(tokens(['nb-demo-1', 'nb-demo-2']), undefined, { 'x-netbird-token': DEMO_CREDENTIALS.netbird });
    await stack.query(tokens(['nb-tokengraph-svc']).replace('alice', 'svc-ci'), undefined, { 'x-netbird-token': DEMO_NETBIRD_SERVICE_CREDENTIAL });
    expect(stack.calls('netbird')).toHaveLength(3);
    expect(await metric(stack, 'tokengraph_upstream_rate_budget')).toEqual(['tokengraph_upstream_rate_budget{upstream="netbird"} 3']);
  });
});

describe('a 429 while a call waits for its token', () => {
  it('ends the wait: the call is not sent during the pause either', async () => {
    // One call at once, then one a second; the first is answered 429 with a pause of 3 s while the second waits.
    const stack = await limited(undefined, { rateLimits: { netbird: { burst: 1, perMinute: 60 } }, limits: { requestDeadlineMs: 5000 } });
    stack.upstreams.netbird.inject({ fault: { kind: 'status', status: 429, headers: { 'retry-after': '3' } }, times: 1 });
    const response = await stack.query(tokens(['nb-demo-1', 'nb-demo-2']));
    const [throttled, ...during] = stack.calls('netbird');
    expect(during.filter((call) => call.at < throttled!.at + 3000)).toEqual([]);
    expect(errorAt(response, 't1')?.message).toMatch(/^NETBIRD: rate budget exhausted: NetBird answered 429 Too Many Requests/);
  });
});

describe('a 429 without Retry-After (NetBird sends none)', () => {
  it('pauses that upstream for that credential for a refill interval: the calls after it fail at once, unsent, and are not retried', async () => {
    // NetBird allows 2 calls; tokengraph has no budget of its own and would retry a read twice.
    const stack = await limited({ burst: 2, perMinute: 6 }, { resilience: { retries: 2, retryBaseDelayMs: 5, retryMaxDelayMs: 10 } });
    expect((await stack.query(tokens(['nb-demo-1', 'nb-demo-2']))).body.errors).toBeUndefined();
    const overloaded = await stack.query(tokens(['nb-demo-4']));
    expect(errorAt(overloaded, 't0')?.extensions).toEqual({ code: 'UPSTREAM_UNAVAILABLE', upstream: { source: 'NETBIRD', status: 429, detail: 'too many requests' } });
    // One 429, not retried: retrying now would only be refused again.
    expect(stack.calls('netbird')).toHaveLength(3);
    const paused = await stack.query(tokens(['nb-demo-1']));
    expect(errorAt(paused, 't0')?.message).toMatch(/^NETBIRD: rate budget exhausted: NetBird answered 429 Too Many Requests, so tokengraph sends it nothing with this credential for (9|10) s$/);
    expect(stack.calls('netbird')).toHaveLength(3);
  });

  it('with a budget, shows it spent until the pause is over', async () => {
    const stack = await limited({ burst: 1, perMinute: 6 }, { rateLimits: { netbird: { burst: 50, perMinute: 6 } } });
    await stack.query(tokens(['nb-demo-1']));
    await stack.query(tokens(['nb-demo-2']));
    expect(stack.calls('netbird').map((call) => call.path)).toHaveLength(2);
    expect(await metric(stack, 'tokengraph_upstream_rate_budget')).toEqual(['tokengraph_upstream_rate_budget{upstream="netbird"} 0']);
  });
});
