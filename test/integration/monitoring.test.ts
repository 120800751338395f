/**
 * Expiry monitoring (contract §8): with TOKENGRAPH_INVENTORY_REFRESH_S the inventory is read in
 * the background and exported at /metrics, one series per token, bounded by
 * TOKENGRAPH_INVENTORY_MAX_SERIES (soonest expiry kept), removed when a token leaves; a refresh
 * never overlaps the last; close() stops it promptly. Off, it costs nothing: no series, no call.
 */
import { describe, expect, it } from 'vitest';
import { readConfig, type InventoryConfig } from '../../src/config/readConfig.js';
import { DEMO_ASTRA_ACCOUNTS, DEMO_CREDENTIALS, DEMO_WATCH, demoData } from '../../src/demo/demoData.js';
import { startDemoUpstreams } from '../../src/demo/startDemoUpstreams.js';
import type { TokenKey } from '../../src/sources.js';
import { startStack, type Stack } from '../harness.js';

const INVENTORY: InventoryConfig = { ...readConfig({}).inventory, watch: DEMO_WATCH as TokenKey[], astraAccountIds: [...DEMO_ASTRA_ACCOUNTS], refreshS: 1 };

async function metrics(stack: Stack): Promise<string> {
  return (await fetch(new URL('/metrics', stack.url), { headers: stack.authorization })).text();
}

const lines = (text: string, name: string) => text.split('\n').filter((line) => line.startsWith(`${name}{`) || line.startsWith(`${name} `));

/** Waits until a refresh after now has been exported (its duration series changes). */
async function nextRefresh(stack: Stack): Promise<string> {
  const before = lines(await metrics(stack), 'tokengraph_inventory_last_success_timestamp_seconds').join('\n');
  for (let i = 0; i < 100; i++) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    const text = await metrics(stack);
    if (lines(text, 'tokengraph_inventory_last_success_timestamp_seconds').join('\n') !== before && lines(text, 'tokengraph_token_expiry_timestamp_seconds').length > 0) return text;
  }
  throw new Error('no refresh was exported within 5 s');
}

describe('the background refresh', () => {
  it('exports every token with an expiry and every last use, by source and shown id, and the inventory by source and status', async () => {
    const stack = await startStack({ config: { inventory: INVENTORY } });
    try {
      const text = await nextRefresh(stack);
      const expiries = lines(text, 'tokengraph_token_expiry_timestamp_seconds');
      expect(expiries).toContainEqual(expect.stringMatching(/^tokengraph_token_expiry_timestamp_seconds\{source="GAME",token_id="game-demo-2",name="Treasure Hunt",owner="player-4711"\} \d+(\.\d+)?$/));
      // Secret ids masked.
      expect(expiries).toContainEqual(expect.stringContaining('source="CRAFTER_ACCESS_TOKEN",token_id="e8f5…8e2d",name="adminconsole"'));
      expect(text).not.toContain('e8f5170c-877b-416f-b70f-4b09772f8e2d');
      // Watched tickets are never read by the refresh (each read extends the session): no series, no call.
      const inventorySeries = text.split('\n').filter((line) => /^tokengraph_(token|inventory)_/.test(line));
      expect(inventorySeries.filter((line) => line.includes('CRAFTER_TICKET'))).toEqual([]);
      expect(text).not.toContain('2e911e0b-ac47-423e-9174-4e8896f1b387');
      expect(stack.calls('crafterProfile').filter((call) => call.path.includes('/ticket/'))).toEqual([]);
      expect(lines(text, 'tokengraph_inventory_tokens')).toContainEqual('tokengraph_inventory_tokens{source="ASTRA",status="NEVER_EXPIRES"} 95');
      expect(lines(text, 'tokengraph_inventory_tokens')).toContainEqual('tokengraph_inventory_tokens{source="CRAFTER_ACCESS_TOKEN",status="NEVER_EXPIRES"} 1');
      expect(lines(text, 'tokengraph_inventory_refresh_interval_seconds')).toEqual(['tokengraph_inventory_refresh_interval_seconds 1']);
      expect(lines(text, 'tokengraph_inventory_series_dropped')).toEqual(['tokengraph_inventory_series_dropped 0']);
      expect(lines(text, 'tokengraph_inventory_last_success_timestamp_seconds').map((line) => /source="(\w+)"/.exec(line)![1]).sort()).toEqual(['ASTRA', 'CRAFTER_ACCESS_TOKEN', 'GAME', 'NETBIRD']);
      expect(lines(text, 'tokengraph_inventory_last_complete_timestamp_seconds').map((line) => /source="(\w+)"/.exec(line)![1]).sort()).toEqual(['ASTRA', 'CRAFTER_ACCESS_TOKEN', 'GAME', 'NETBIRD']);
      expect(lines(text, 'tokengraph_inventory_complete').sort()).toEqual(['ASTRA', 'CRAFTER_ACCESS_TOKEN', 'GAME', 'NETBIRD'].map((source) => `tokengraph_inventory_complete{source="${source}"} 1`));
    } finally {
      await stack.close();
    }
  });

  it("keeps the series of a part it cannot read at their last values, says the source is incomplete, and removes a token only once its part is read without it", async () => {
    const stack = await startStack({ config: { inventory: INVENTORY } });
    const svcCi = (text: string) => lines(text, 'tokengraph_token_expiry_timestamp_seconds').filter((line) => line.includes('owner="svc-ci"'));
    const netbird = (text: string, name: string) => lines(text, name).find((line) => line.includes('{source="NETBIRD"}'));
    try {
      let text = await nextRefresh(stack);
      const before = svcCi(text);
      expect(before).toHaveLength(11);
      const lastComplete = netbird(text, 'tokengraph_inventory_last_complete_timestamp_seconds');
      expect(lastComplete).toBe(netbird(text, 'tokengraph_inventory_last_success_timestamp_seconds')?.replace('last_success', 'last_complete'));
      stack.upstreams.netbird.inject({ fault: { kind: 'status', status: 503 }, match: (call) => call.path === '/api/users/svc-ci/tokens' });
      text = await nextRefresh(stack);
      // Not read is not gone: a failure never resolves an alert.
      expect(svcCi(text)).toEqual(before);
      expect(lines(text, 'tokengraph_inventory_gaps')).toEqual(['tokengraph_inventory_gaps{source="NETBIRD",code="UPSTREAM_UNAVAILABLE"} 1']);
      expect(lines(text, 'tokengraph_inventory_complete')).toContainEqual('tokengraph_inventory_complete{source="NETBIRD"} 0');
      text = await nextRefresh(stack);
      expect(svcCi(text)).toEqual(before);
      // Read (its other users' tokens were), but not whole since the fault: TokenInventoryIncomplete counts from the last complete read.
      expect(netbird(text, 'tokengraph_inventory_last_complete_timestamp_seconds')).toBe(lastComplete);
      expect(netbird(text, 'tokengraph_inventory_last_success_timestamp_seconds')?.replace('last_success', 'last_complete')).not.toBe(lastComplete);
      // Read again, without one of its tokens (revoked upstream): that token's series go, the rest stay.
      stack.upstreams.netbird.clearFaults();
      const gone = /token_id="([^"]+)"/.exec(before[0]!)![1]!;
      const deleted = await fetch(`${stack.upstreams.netbird.baseUrl}/api/users/svc-ci/tokens/${gone}`, { method: 'DELETE', headers: { authorization: `Token ${DEMO_CREDENTIALS.netbird}` } });
      expect(deleted.status).toBe(200);
      text = await nextRefresh(stack);
      expect(svcCi(text)).toHaveLength(10);
      expect(svcCi(text).join('\n')).not.toContain(`token_id="${gone}"`);
      expect(lines(text, 'tokengraph_inventory_gaps')).toEqual([]);
      expect(lines(text, 'tokengraph_inventory_complete')).toContainEqual('tokengraph_inventory_complete{source="NETBIRD"} 1');
      expect(netbird(text, 'tokengraph_inventory_last_complete_timestamp_seconds')).toBe(netbird(text, 'tokengraph_inventory_last_success_timestamp_seconds')?.replace('last_success', 'last_complete'));
    } finally {
      await stack.close();
    }
  });

  it('never carries a revoked token forward: its series go with the revocation and stay gone while its part fails', async () => {
    const admin = 'monitoring-admin-key-0123456789';
    const stack = await startStack({ adminKeys: [admin], config: { inventory: INVENTORY } });
    const svcCi = (text: string) => lines(text, 'tokengraph_token_expiry_timestamp_seconds').filter((line) => line.includes('owner="svc-ci"'));
    try {
      const before = svcCi(await nextRefresh(stack));
      expect(before).toHaveLength(11);
      const revoked = /token_id="([^"]+)"/.exec(before[0]!)![1]!;
      const answer = await stack.query('mutation ($refs: [TokenRef!]!) { revokeTokens(refs: $refs) { outcome } }', { refs: [{ source: 'NETBIRD', userId: 'svc-ci', tokenId: revoked }] });
      expect(answer.body.data?.revokeTokens).toEqual([{ outcome: 'REVOKED' }]);
      // Its part fails from now on: the other tokens are carried at their last values, the revoked one is not.
      stack.upstreams.netbird.inject({ fault: { kind: 'status', status: 503 }, match: (call) => call.path === '/api/users/svc-ci/tokens' });
      await nextRefresh(stack);
      const text = await nextRefresh(stack);
      expect(lines(text, 'tokengraph_inventory_complete')).toContainEqual('tokengraph_inventory_complete{source="NETBIRD"} 0');
      expect(svcCi(text)).toEqual(before.filter((line) => !line.includes(`token_id="${revoked}"`)));
    } finally {
      await stack.close();
    }
  });

  it('counts a source as read when its only gap is INVENTORY_NOT_CONFIGURED, so watching Astra tokens without ASTRA_ACCOUNT_IDS does not make it stale', async () => {
    // Astra watched but not listed, and its one watched token unknown upstream (left out
    // silently): the read finds no Astra token, and its only gap is a setting, not a failure.
    const unknown: TokenKey = { source: 'ASTRA', accountId: DEMO_ASTRA_ACCOUNTS[0]!, userId: 'nobody', tokenId: 'no-such-token' };
    const stack = await startStack({ config: { inventory: { ...INVENTORY, astraAccountIds: [], watch: [...(DEMO_WATCH as TokenKey[]), unknown] } } });
    const value = (text: string, name: string, source: string) => lines(text, name).find((line) => line.includes(`{source="${source}"}`))?.split(' ')[1];
    try {
      await nextRefresh(stack);
      // A second refresh, a period after start-up: a source it did not count as read would still show start-up.
      const text = await nextRefresh(stack);
      expect(lines(text, 'tokengraph_inventory_gaps')).toEqual(['tokengraph_inventory_gaps{source="ASTRA",code="INVENTORY_NOT_CONFIGURED"} 1']);
      // Not complete (contract §8: it has a gap), but read: its last success is this refresh's, as every other source's.
      expect(value(text, 'tokengraph_inventory_complete', 'ASTRA')).toBe('0');
      expect(value(text, 'tokengraph_inventory_last_success_timestamp_seconds', 'ASTRA')).toBe(value(text, 'tokengraph_inventory_last_success_timestamp_seconds', 'NETBIRD'));
      expect(value(text, 'tokengraph_inventory_last_complete_timestamp_seconds', 'ASTRA')).toBe(value(text, 'tokengraph_inventory_last_success_timestamp_seconds', 'NETBIRD'));
    } finally {
      await stack.close();
    }
  });

  it('never reads a watched ticket, so tokengraph does not keep its session alive: it lapses upstream as Crafter lets it', async () => {
    // The demo's ticket was last used a minute ago, past this max age: it must be fresh, or it
    // would lapse whatever tokengraph did.
    const data = demoData(new Date());
    const upstreams = await startDemoUpstreams({ data, crafterTicketMaxAgeMs: 1500 });
    for (const ticket of data.crafterProfile.tickets) ticket.lastRequestTime = Date.now();
    const stack = await startStack({ upstreams, config: { inventory: INVENTORY } });
    const ticketCalls = () => stack.calls('crafterProfile').filter((call) => call.path.includes('/ticket/'));
    const ticket = async () => (await stack.query('query ($id: String!) { crafterTicket(id: $id) { tenant } }', { id: '2e911e0b-ac47-423e-9174-4e8896f1b387' })).body;
    try {
      // There after start-up (this read renews it: its max age counts from here).
      expect(ticketCalls()).toEqual([]);
      expect(await ticket()).toEqual({ data: { crafterTicket: { tenant: 'default' } } });
      const ours = [...ticketCalls()];
      expect(ours).toHaveLength(1);
      await new Promise((resolve) => setTimeout(resolve, 3000));
      // Three refreshes ran meanwhile; had they read the ticket, each would have renewed it.
      expect(ticketCalls()).toEqual(ours);
      expect(await ticket()).toEqual({ data: { crafterTicket: null } });
    } finally {
      await stack.close();
      await upstreams.close();
    }
  });

  it('keeps at most TOKENGRAPH_INVENTORY_MAX_SERIES token series, the soonest-expiring tokens\', and says how many it left out', async () => {
    const stack = await startStack({ config: { inventory: { ...INVENTORY, maxSeries: 5 } } });
    try {
      const text = await nextRefresh(stack);
      const everything = await stack.query('{ inventory(first: 500, orderBy: EXPIRES_AT_ASC) { nodes { source tokenId expiresAt lastUsedAt } } }');
      const nodes = everything.body.data!.inventory.nodes as Array<{ source: string; tokenId: string; expiresAt: string | null; lastUsedAt: string | null }>;
      // Tokens in order, each with its one or two series, until the next would pass 5.
      let series = 0;
      const expected: string[] = [];
      for (const node of nodes) {
        const count = (node.expiresAt ? 1 : 0) + (node.lastUsedAt ? 1 : 0);
        if (series + count > 5) break;
        series += count;
        if (node.expiresAt) expected.push(`${node.source}/${node.tokenId}`);
      }
      const total = nodes.reduce((sum, node) => sum + (node.expiresAt ? 1 : 0) + (node.lastUsedAt ? 1 : 0), 0);
      const kept = lines(text, 'tokengraph_token_expiry_timestamp_seconds').map((line) => /source="(\w+)",token_id="([^"]+)"/.exec(line)!.slice(1).join('/'));
      expect(kept.sort()).toEqual(expected.sort());
      expect(lines(text, 'tokengraph_token_expiry_timestamp_seconds').length + lines(text, 'tokengraph_token_last_used_timestamp_seconds').length).toBe(series);
      expect(series).toBeGreaterThan(0);
      expect(series).toBeLessThanOrEqual(5);
      expect(lines(text, 'tokengraph_inventory_series_dropped')).toEqual([`tokengraph_inventory_series_dropped ${total - series}`]);
    } finally {
      await stack.close();
    }
  });

  it('never overlaps itself, however slow a read', async () => {
    // Slow from the first read on: a read is two NetBird calls in turn (users, then tokens), 1.4 s.
    const upstreams = await startDemoUpstreams();
    upstreams.netbird.latencyMs = 700;
    const stack = await startStack({ upstreams, config: { inventory: { ...INVENTORY, watch: [], astraAccountIds: [] } }, configured: ['netbird'] });
    try {
      await new Promise((resolve) => setTimeout(resolve, 5000));
      const reads = stack.calls('netbird').filter((call) => call.path === '/api/users').map((call) => call.at);
      expect(reads.length).toBeGreaterThanOrEqual(2);
      // The next read starts a period (1 s) after the last ended: 2.4 s apart. On a plain 1 s timer they would be 1 s apart.
      for (let i = 1; i < reads.length; i++) expect(reads[i]! - reads[i - 1]!).toBeGreaterThanOrEqual(1400 + 1000 - 50);
    } finally {
      await stack.close();
      await upstreams.close();
    }
  });

  it('stops at close without waiting for a hanging upstream', async () => {
    // An upstream deadline far past the bound: a close that waited for the read would take seconds.
    const stack = await startStack({ config: { inventory: INVENTORY }, timeoutMs: 10_000 });
    stack.upstreams.astra.inject({ fault: { kind: 'hang' } });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const started = performance.now();
    await stack.close();
    expect(performance.now() - started).toBeLessThan(1500);
  });
});

describe('with the refresh off (the default)', () => {
  it('exports no inventory series and makes no upstream call', async () => {
    const stack = await startStack({ config: { inventory: { ...INVENTORY, refreshS: 0 } } });
    try {
      await new Promise((resolve) => setTimeout(resolve, 1200));
      const text = await metrics(stack);
      // The inventory's own series (the history's tokengraph_token_events_total is another matter).
      expect(text).not.toMatch(/tokengraph_(token_(?!events_total)|inventory_)/);
      expect(text).toMatch(/tokengraph_token_events_total/);
      expect(stack.totalCalls()).toBe(0);
    } finally {
      await stack.close();
    }
  });
});
