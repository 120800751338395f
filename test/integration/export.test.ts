/**
 * GET /inventory.csv and /inventory.ndjson over real HTTP (contract §11): the same key as /graphql;
 * the overview page's filter parameters, refused when unknown; every token the inventory holds,
 * soonest expiry first, then one row per gap; RFC 4180 with formulas defused; NDJSON with the same
 * keys; no session credential in the file; streamed (a client that stops reading stops the export).
 */
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readConfig, type InventoryConfig } from '../../src/config/readConfig.js';
import { DEMO_ASTRA_ACCOUNTS, DEMO_WATCH, demoData } from '../../src/demo/demoData.js';
import { startDemoUpstreams } from '../../src/demo/startDemoUpstreams.js';
import { createLogger } from '../../src/observability/createLogger.js';
import type { TokenKey } from '../../src/sources.js';
import { parseCsv } from '../csv.js';
import { startStack, type Stack } from '../harness.js';

const NOW = new Date();
const DATA = demoData(NOW);
const KEY = 'export-key-0123456789abcdef';
const INVENTORY: InventoryConfig = { ...readConfig({}).inventory, minRefreshMs: 0, watch: DEMO_WATCH as TokenKey[], astraAccountIds: [...DEMO_ASTRA_ACCOUNTS] };
const COLUMNS = ['source', 'id', 'tokenId', 'name', 'owner', 'createdBy', 'createdAt', 'expiresAt', 'lastUsedAt', 'status', 'findings'];

interface Row {
  source: string;
  id: string | null;
  tokenId: string;
  name: string | null;
  status: string;
  expiresAt: string | null;
  findings: string[];
}

const logs: Array<Record<string, unknown>> = [];
let stack: Stack;
beforeAll(async () => {
  const logger = createLogger('info', { destination: { write: (line: string) => void logs.push(JSON.parse(line)) } });
  stack = await startStack({ now: NOW, apiKeys: [KEY], logger, config: { inventory: INVENTORY } });
});
afterAll(() => stack.close());

async function get(path: string, headers: Record<string, string> = { authorization: `Bearer ${KEY}` }) {
  const response = await fetch(new URL(path, stack.url), { headers });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

/** The inventory as GraphQL answers it, for the same filter: what an export must hold, in order. */
async function inventory(filter: Record<string, unknown> = {}): Promise<{ nodes: Row[]; gaps: Array<{ source: string; code: string; message: string }> }> {
  const response = await stack.query(
    'query ($filter: TokenFilter) { inventory(first: 500, filter: $filter) { gaps { source code message } nodes { source id tokenId name status expiresAt findings } } }',
    { filter },
  );
  return response.body.data!.inventory;
}

describe('/inventory.csv', () => {
  it('is every token, soonest expiry first, in RFC 4180 with a header row, then the gaps', async () => {
    const answer = await get('/inventory.csv');
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toBe('text/csv; charset=utf-8; header=present');
    expect(answer.headers.get('content-disposition')).toMatch(/^attachment; filename="tokengraph-inventory-\d{4}-\d\d-\d\d\.csv"$/);
    const [header, ...rows] = parseCsv(answer.text);
    expect(header).toEqual(COLUMNS);
    const { nodes } = await inventory();
    expect(rows.map((row) => [row[0], row[2], row[9]])).toEqual(
      nodes.map((node) => [node.source, node.source === 'CRAFTER_TICKET' ? `${node.tokenId.slice(0, 4)}…${node.tokenId.slice(-4)}` : node.tokenId, node.status]),
    );
    const first = rows.find((row) => row[0] === 'CRAFTER_ACCESS_TOKEN' && row[3] === 'provisioning')!;
    expect(first[10]).toBe('NEVER_EXPIRES;MASTER');
  });

  it('quotes what needs quoting and defuses spreadsheet formulas', async () => {
    const tricky = [
      { ...DATA.netbird[0]!.token, id: 'nb-x1', name: '=HYPERLINK("http://evil.example","click")' },
      { ...DATA.netbird[0]!.token, id: 'nb-x2', name: 'deploy, "prod"\r\nline two' },
      { ...DATA.netbird[0]!.token, id: 'nb-x3', name: '+1 -2 @3' },
      { ...DATA.netbird[0]!.token, id: 'nb-x4', name: '\tTabbed' },
      { ...DATA.netbird[0]!.token, id: 'nb-x5', name: '-negative' },
    ];
    stack.upstreams.netbird.inject({ fault: { kind: 'body', body: JSON.stringify(tricky), contentType: 'application/json' }, match: (call) => call.path === '/api/users/svc-ci/tokens' });
    try {
      await stack.query('{ inventory(first: 1, refresh: true) { totalCount } }');
      const rows = parseCsv((await get('/inventory.csv?source=NETBIRD&search=nb-x')).text).slice(1);
      expect(rows.map((row) => row[3]).sort()).toEqual(["'+1 -2 @3", "'-negative", "'=HYPERLINK(\"http://evil.example\",\"click\")", "'\tTabbed", 'deploy, "prod"\r\nline two'].sort());
    } finally {
      stack.upstreams.netbird.clearFaults();
      await stack.query('{ inventory(first: 1, refresh: true) { totalCount } }');
    }
  });

  it("takes the overview page's filters: source, status, finding (repeated: any of), within, search or q", async () => {
    const cases: Array<[string, Record<string, unknown>]> = [
      ['?source=NETBIRD&source=GAME', { sources: ['NETBIRD', 'GAME'] }],
      ['?status=EXPIRED', { status: ['EXPIRED'] }],
      ['?finding=MASTER&finding=NEVER_USED', { findings: ['MASTER', 'NEVER_USED'] }],
      ['?q=backup&watch=GAME%2Fgame-demo-1', { search: 'backup' }],
      ['?search=BACKUP', { search: 'BACKUP' }],
    ];
    for (const [query, filter] of cases) {
      const rows = parseCsv((await get(`/inventory.csv${query}`)).text).slice(1);
      const { nodes } = await inventory(filter);
      expect(rows.map((row) => row[1] || row[2]), query).toEqual(nodes.map((node) => (node.source === 'CRAFTER_TICKET' ? `${node.tokenId.slice(0, 4)}…${node.tokenId.slice(-4)}` : node.id)));
      expect(rows.length, query).toBeGreaterThan(0);
    }
    // `within` is "expires before now + that many days": the same rows as that filter, in order.
    const within = parseCsv((await get('/inventory.csv?within=7')).text).slice(1);
    const expiring = (await inventory({ expiresBefore: new Date(Date.now() + 7 * 86_400_000).toISOString() })).nodes;
    expect(within.length).toBeGreaterThan(0);
    expect(within.map((row) => row[1] || row[2])).toEqual(expiring.map((node) => (node.source === 'CRAFTER_TICKET' ? `${node.tokenId.slice(0, 4)}…${node.tokenId.slice(-4)}` : node.id)));
  });

  it('refuses an unknown value naming it, with no upstream call', async () => {
    stack.reset();
    for (const [query, message] of [
      ['?finding=NEVR_EXPIRES', 'finding must be one of NEVER_EXPIRES, EXPIRED, EXPIRES_SOON, LONG_LIVED, UNUSED, NEVER_USED, MASTER, OWNER_INACTIVE, got "NEVR_EXPIRES"'],
      ['?source=GITHUB', 'source must be one of CRAFTER_TICKET, CRAFTER_ACCESS_TOKEN, ASTRA, NETBIRD, GAME, got "GITHUB"'],
      ['?within=3651', 'within must be a whole number of days from 0 to 3650, got "3651"'],
      [`?search=${'x'.repeat(257)}`, 'search must be at most 256 characters'],
    ]) {
      const answer = await get(`/inventory.csv${query}`);
      expect(answer.status, query).toBe(400);
      expect(JSON.parse(answer.text)).toEqual({ errors: [{ message, extensions: { code: 'BAD_USER_INPUT' } }] });
    }
    expect(stack.totalCalls()).toBe(0);
  });

  it('needs the same key as /graphql', async () => {
    const from = logs.length;
    expect((await get('/inventory.csv', {})).status).toBe(401);
    expect((await get('/inventory.ndjson', { authorization: 'Bearer not-a-key-0000000000' })).status).toBe(401);
    // Each refusal is a warn line naming the path and the reason, never the key (as for /metrics).
    expect(logs.slice(from).filter((line) => line.level === 40)).toEqual([
      expect.objectContaining({ msg: 'API key refused at /inventory.csv', path: '/inventory.csv', reason: 'missing' }),
      expect.objectContaining({ msg: 'API key refused at /inventory.ndjson', path: '/inventory.ndjson', reason: 'invalid' }),
    ]);
    expect(JSON.stringify(logs.slice(from))).not.toContain('not-a-key');
    const post = await fetch(new URL('/inventory.csv', stack.url), { method: 'POST', headers: { authorization: `Bearer ${KEY}` } });
    expect(post.status).toBe(405);
  });

  it('ends with one row per gap: source, status GAP, tokenId its code, name its message', async () => {
    stack.upstreams.netbird.inject({ fault: { kind: 'status', status: 503 }, match: (call) => call.path === '/api/users/svc-ci/tokens' });
    try {
      await stack.query('{ inventory(first: 1, refresh: true) { totalCount } }');
      const rows = parseCsv((await get('/inventory.csv')).text).slice(1);
      expect(rows.at(-1)).toEqual(['NETBIRD', '', 'UPSTREAM_UNAVAILABLE', expect.stringContaining('NETBIRD'), '', '', '', '', '', 'GAP', '']);
    } finally {
      stack.upstreams.netbird.clearFaults();
      await stack.query('{ inventory(first: 1, refresh: true) { totalCount } }');
    }
  });

  it('holds no session credential: a ticket masked, without its global id; access tokens masked', async () => {
    const text = (await get('/inventory.csv')).text;
    for (const ticket of DATA.crafterProfile.tickets) expect(text).not.toContain(ticket.id);
    for (const token of DATA.crafterProfile.accessTokens) expect(text).not.toContain(token.id);
    const tickets = parseCsv(text).filter((row) => row[0] === 'CRAFTER_TICKET');
    expect(tickets.map((row) => [row[1], row[2]])).toEqual(DATA.crafterProfile.tickets.map((ticket) => ['', `${ticket.id.slice(0, 4)}…${ticket.id.slice(-4)}`]));
  });
});

describe('/inventory.ndjson', () => {
  it('is one object a line with the same keys, findings an array, empty values null; gaps likewise', async () => {
    const mark = logs.length;
    const answer = await get('/inventory.ndjson?source=ASTRA&source=GAME');
    expect(answer.headers.get('content-type')).toBe('application/x-ndjson; charset=utf-8');
    expect(answer.text.endsWith('\n')).toBe(true);
    const rows = answer.text.trimEnd().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    const { nodes } = await inventory({ sources: ['ASTRA', 'GAME'] });
    expect(rows).toHaveLength(nodes.length);
    for (const row of rows) expect(Object.keys(row)).toEqual(COLUMNS);
    expect(rows.map((row) => row.id)).toEqual(nodes.map((node) => node.id));
    expect(rows[0]).toMatchObject({ source: 'GAME', findings: expect.any(Array), lastUsedAt: null });
    expect(rows.find((row) => row.source === 'ASTRA')).toMatchObject({ expiresAt: null, status: 'NEVER_EXPIRES', findings: ['NEVER_EXPIRES'] });
    // Written whole: one info line that says so, with every row counted.
    expect(logs.slice(mark).filter((line) => String(line.msg).startsWith('inventory export'))).toEqual([
      expect.objectContaining({ level: 30, msg: 'inventory exported', format: 'ndjson', rows: rows.length, complete: true }),
    ]);
  });
});

describe('streaming', () => {
  it('writes rows as the client reads them: a client that stops after the first chunk stops the export of 50,000 tokens', async () => {
    const data = demoData(NOW);
    const template = data.netbird.find((entry) => entry.userId === 'svc-backup')!.token;
    for (let i = 0; i < 50_000; i++) data.netbird.push({ userId: 'svc-backup', token: { ...template, id: `nb-bulk-${i}`, name: `bulk ${i}` } });
    const upstreams = await startDemoUpstreams({ now: NOW, data });
    const big = await startStack({ upstreams, configured: ['netbird'], apiKeys: [KEY], logger: createLogger('info', { destination: { write: (line: string) => void logs.push(JSON.parse(line)) } }), limits: { maxUpstreamBodyBytes: 64 * 1024 * 1024 }, config: { inventory: INVENTORY } });
    try {
      await big.query('{ inventory(first: 1) { totalCount } }');
      const url = new URL('/inventory.ndjson', big.url);
      // `logs` holds the earlier tests' lines too: only this export's count.
      const mark = logs.length;
    const firstChunk = await new Promise<string>((resolve, reject) => {
      const req = request(url, { headers: { authorization: `Bearer ${KEY}` } }, (res) => {
        expect(res.headers['transfer-encoding']).toBe('chunked');
        res.once('data', (chunk: Buffer) => {
          resolve(chunk.toString('utf8'));
          req.destroy();
        });
      });
      req.once('error', reject);
      req.end();
    });
      expect(firstChunk.split('\n')[0]).toMatch(/^\{"source":"NETBIRD"/);
      const exportedLines = () => logs.slice(mark).filter((line) => String(line.msg).startsWith('inventory export'));
      // Logged once the export stops; then a moment more, in which no second line may come.
      for (let i = 0; i < 100 && exportedLines().length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 50));
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(exportedLines()).toHaveLength(1);
      const exported = exportedLines()[0]!;
      // Never logged as an export done: it says it was cut short.
      expect(exported).toMatchObject({ level: 40, msg: 'inventory export cut short: the client left before its end', format: 'ndjson', complete: false });
      // It stopped where the client did (the kernel's socket buffers took a few MB), not after making every row.
      expect(exported.rows).toBeGreaterThan(0);
      expect(exported.rows).toBeLessThan(25_000);
      // A client leaving is no fault of tokengraph's: nothing logged as an error.
      expect(logs.filter((line) => Number(line.level) >= 50)).toEqual([]);
    } finally {
      await big.close();
      await upstreams.close();
    }
  });

  it('a client that leaves while the inventory is read is no error: nothing logged at error, no answer attempted', async () => {
    const lines: Array<Record<string, unknown>> = [];
    const slow = await startStack({ configured: ['netbird'], apiKeys: [KEY], logger: createLogger('debug', { destination: { write: (line: string) => void lines.push(JSON.parse(line)) } }), config: { inventory: { ...INVENTORY, watch: [] } } });
    try {
      slow.upstreams.netbird.latencyMs = 400;
      await new Promise<void>((resolve) => {
        const req = request(new URL('/inventory.csv', slow.url), { headers: { authorization: `Bearer ${KEY}` } });
        req.once('error', () => resolve());
        req.end();
        setTimeout(() => req.destroy(), 100);
      });
      // The read goes on (it serves the next request); the export stops waiting for it at once.
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(lines.filter((line) => Number(line.level) >= 50)).toEqual([]);
      expect(lines.filter((line) => String(line.msg).startsWith('inventory export'))).toEqual([]);
      expect(lines).toContainEqual(expect.objectContaining({ level: 20, msg: 'the client went away before its export was written' }));
    } finally {
      await slow.close();
    }
  });
});
