/**
 * Findings over real HTTP (contract §11): on every token however it is read, as an inventory filter
 * ("any of") and as counts over the filtered set, every finding listed; thresholds from the settings;
 * the owner's state from NetBird's users list; and the counts at /metrics with the refresh on.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readConfig, type InventoryConfig } from '../../src/config/readConfig.js';
import { DEMO_ASTRA_ACCOUNTS, DEMO_WATCH, demoData } from '../../src/demo/demoData.js';
import { TOKEN_FINDINGS } from '../../src/inventory/findings.js';
import type { TokenKey } from '../../src/sources.js';
import { startStack, type Stack } from '../harness.js';

const NOW = new Date();
const DATA = demoData(NOW);
const INVENTORY: InventoryConfig = { ...readConfig({}).inventory, minRefreshMs: 0, watch: DEMO_WATCH as TokenKey[], astraAccountIds: [...DEMO_ASTRA_ACCOUNTS], netbirdUsers: 'all' };
const QUERY = `query ($filter: TokenFilter) {
  inventory(first: 500, filter: $filter) { totalCount findingCounts { finding count } nodes { source tokenId owner status expiresAt lastUsedAt createdAt findings } }
}`;

interface Node {
  source: string;
  tokenId: string;
  owner: string | null;
  status: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
  createdAt: string | null;
  findings: string[];
}

let stack: Stack;
let all: Node[];
beforeAll(async () => {
  stack = await startStack({ now: NOW, config: { inventory: INVENTORY } });
  const response = await stack.query(QUERY);
  expect(response.body.errors).toBeUndefined();
  all = response.body.data!.inventory.nodes as Node[];
});
afterAll(() => stack.close());

const DAY = 86_400_000;
const has = (finding: string) => all.filter((node) => node.findings.includes(finding));

describe('Token.findings', () => {
  it('names the tokens that never expire: every Astra token and the Crafter master token without expiry', () => {
    expect(has('NEVER_EXPIRES').map((node) => node.source).sort()).toEqual([...DATA.astra.map(() => 'ASTRA'), 'CRAFTER_ACCESS_TOKEN'].sort());
  });

  it('judges each finding from the token, in the enum order', () => {
    for (const node of all) {
      const expires = node.expiresAt === null ? null : Date.parse(node.expiresAt);
      const created = node.createdAt === null ? null : Date.parse(node.createdAt);
      const now = Date.now();
      expect(node.findings.includes('EXPIRED'), node.tokenId).toBe(node.status === 'EXPIRED');
      if (expires !== null && Math.abs(expires - (now + 14 * DAY)) > 60_000) expect(node.findings.includes('EXPIRES_SOON'), node.tokenId).toBe(expires >= now && expires < now + 14 * DAY);
      expect(node.findings.includes('LONG_LIVED'), node.tokenId).toBe(expires !== null && created !== null && expires - created > 365 * DAY);
      // Only NetBird reports last use. UNUSED past TOKENGRAPH_UNUSED_DAYS (90), NEVER_USED 7 days after creation.
      const used = node.lastUsedAt === null ? null : Date.parse(node.lastUsedAt);
      const reportsUse = node.source === 'NETBIRD';
      if (used === null || Math.abs(used - (now - 90 * DAY)) > 60_000) expect(node.findings.includes('UNUSED'), node.tokenId).toBe(reportsUse && used !== null && used < now - 90 * DAY);
      if (created === null || Math.abs(created - (now - 7 * DAY)) > 60_000) expect(node.findings.includes('NEVER_USED'), node.tokenId).toBe(reportsUse && used === null && created !== null && created < now - 7 * DAY);
      expect(node.findings).toEqual(TOKEN_FINDINGS.filter((finding) => node.findings.includes(finding)));
    }
    // Only NetBird reports last use: UNUSED and NEVER_USED are NetBird's alone.
    expect(new Set([...has('UNUSED'), ...has('NEVER_USED')].map((node) => node.source))).toEqual(new Set(['NETBIRD']));
    expect(has('NEVER_USED').length).toBeGreaterThan(0);
    expect(has('UNUSED').length).toBeGreaterThan(0);
  });

  it('MASTER for Crafter master tokens only', () => {
    const masters = DATA.crafterProfile.accessTokens.filter((token) => token.master).map((token) => `${token.id.slice(0, 4)}…${token.id.slice(-4)}`);
    expect(has('MASTER').map((node) => node.tokenId).sort()).toEqual(masters.sort());
  });

  it("OWNER_INACTIVE for the tokens of NetBird users blocked or not active, as NetBird's users list says", () => {
    const inactive = new Set(DATA.netbirdUsers.filter((user) => user.is_blocked || user.status !== 'active').map((user) => user.id));
    const listed = all.filter((node) => node.source === 'NETBIRD');
    expect(has('OWNER_INACTIVE').map((node) => node.tokenId).sort()).toEqual(listed.filter((node) => inactive.has(node.owner!)).map((node) => node.tokenId).sort());
  });

  it('is there on a token read by id too (the owner unknown there: no OWNER_INACTIVE)', async () => {
    const response = await stack.query(`query ($provisioning: String!) {
      provisioning: crafterAccessToken(id: $provisioning) { findings }
      astra: astraToken(accountId: "acme", userId: "ops-admin", tokenId: "astra-demo-1") { findings }
      expired: gameToken(id: "game-demo-1") { findings }
    }`, { provisioning: '0b8e6a4c-1f2d-4e3a-9c5b-7d6e8f9a0b1c' });
    expect(response.body).toEqual({ data: { provisioning: { findings: ['NEVER_EXPIRES', 'MASTER'] }, astra: { findings: ['NEVER_EXPIRES'] }, expired: { findings: ['EXPIRED'] } } });
  });
});

describe('inventory', () => {
  it('filters by findings (any of them), counting each finding over the filtered set, every finding listed', async () => {
    const response = await stack.query(QUERY, { filter: { findings: ['MASTER', 'NEVER_EXPIRES'], sources: ['CRAFTER_ACCESS_TOKEN'] } });
    const { nodes, totalCount, findingCounts } = response.body.data!.inventory as { nodes: Node[]; totalCount: number; findingCounts: Array<{ finding: string; count: number }> };
    const expected = all.filter((node) => node.source === 'CRAFTER_ACCESS_TOKEN' && (node.findings.includes('MASTER') || node.findings.includes('NEVER_EXPIRES')));
    expect(nodes.map((node) => node.tokenId).sort()).toEqual(expected.map((node) => node.tokenId).sort());
    expect(totalCount).toBe(expected.length);
    expect(findingCounts).toEqual(TOKEN_FINDINGS.map((finding) => ({ finding, count: expected.filter((node) => node.findings.includes(finding)).length })));
    expect(findingCounts.find((count) => count.finding === 'UNUSED')).toEqual({ finding: 'UNUSED', count: 0 });
  });

  it('counts over the whole inventory without a filter, whatever the page size', async () => {
    const response = await stack.query('{ inventory(first: 1) { totalCount findingCounts { finding count } } }');
    expect(response.body.data!.inventory.findingCounts).toEqual(TOKEN_FINDINGS.map((finding) => ({ finding, count: has(finding).length })));
  });
});

describe('settings', () => {
  it('TOKENGRAPH_EXPIRES_SOON_DAYS, _MAX_LIFETIME_DAYS and _UNUSED_DAYS set the thresholds', async () => {
    const tuned = await startStack({ now: NOW, configured: ['netbird'], config: { inventory: { ...INVENTORY, findings: { expiresSoonDays: 200, maxLifetimeDays: 30, unusedDays: 1 } } } });
    try {
      const response = await tuned.query('{ netbirdToken(userId: "alice", tokenId: "nb-demo-1") { findings } }');
      // nb-demo-1: expires in 30 days, created 60 days ago, used an hour ago.
      expect(response.body).toEqual({ data: { netbirdToken: { findings: ['EXPIRES_SOON', 'LONG_LIVED'] } } });
    } finally {
      await tuned.close();
    }
  });
});

describe('/metrics', () => {
  it('exports tokengraph_inventory_findings{source,finding}: counts, every finding of every source', async () => {
    const monitored = await startStack({ now: NOW, config: { inventory: { ...INVENTORY, refreshS: 1 } } });
    try {
      let lines: string[] = [];
      for (let i = 0; i < 100 && lines.length === 0; i++) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        const text = await (await fetch(new URL('/metrics', monitored.url))).text();
        lines = text.split('\n').filter((line) => line.startsWith('tokengraph_inventory_findings{'));
      }
      expect(lines).toContainEqual(`tokengraph_inventory_findings{source="ASTRA",finding="NEVER_EXPIRES"} ${DATA.astra.length}`);
      expect(lines).toContainEqual('tokengraph_inventory_findings{source="CRAFTER_ACCESS_TOKEN",finding="MASTER"} 3');
      expect(lines).toContainEqual('tokengraph_inventory_findings{source="GAME",finding="UNUSED"} 0');
      // Four monitored sources (tickets are never read by the refresh), eight findings each: no per-token series.
      expect(lines).toHaveLength(4 * TOKEN_FINDINGS.length);
    } finally {
      await monitored.close();
    }
  });
});
