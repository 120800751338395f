/**
 * Credentials at rest, in the history's database (contract §12 and "Credentials at rest"), on both
 * engines: a tokengraph reads the whole inventory (the Crafter access-token list, whose ids are
 * credentials, and the watched tickets, session credentials), sees tokens change and go, and
 * revokes an access token and a ticket by their real ids; then every row of every table of its
 * database, and every log line (each event is one), is searched for every configured credential, the admin key, and every real Crafter
 * access-token id and ticket id, in every encoding the other secrets tests search for.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readConfig, type HistoryConfig, type InventoryConfig } from '../../../src/config/readConfig.js';
import { DEMO_ASTRA_ACCOUNTS, DEMO_CREDENTIALS, DEMO_WATCH, demoData } from '../../../src/demo/demoData.js';
import type { Queryable } from '../../../src/history/database.js';
import { createLogger } from '../../../src/observability/createLogger.js';
import type { TokenKey } from '../../../src/sources.js';
import { startStack } from '../../harness.js';
import { startPostgres, type TestPostgres } from '../../postgresServer.js';
import { ENCODINGS } from '../../secretEncodings.js';

const ADMIN_KEY = 'ADMINKEY-atrest-Mn4Bv7Cx1Za9Sd';
const DATA = demoData(new Date());
const TICKETS = DATA.crafterProfile.tickets.map((ticket) => ticket.id);
const ACCESS_TOKENS = DATA.crafterProfile.accessTokens.map((token) => token.id);
const SECRETS = [...Object.values(DEMO_CREDENTIALS), ADMIN_KEY, ...TICKETS, ...ACCESS_TOKENS];
const INVENTORY: InventoryConfig = { ...readConfig({}).inventory, minRefreshMs: 0, watch: DEMO_WATCH as TokenKey[], astraAccountIds: [...DEMO_ASTRA_ACCOUNTS] };

let server: TestPostgres;
let dir: string;
beforeAll(async () => {
  server = await startPostgres();
  dir = mkdtempSync(join(tmpdir(), 'tokengraph-atrest-'));
}, 60_000);
afterAll(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** Every row of every table in the database's public schema, as JSON lines. */
async function dump(db: Queryable): Promise<string[]> {
  const tables = (await db.query<{ name: string }>(`SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public'`)).rows.map((row) => row.name);
  expect(tables.sort()).toEqual(['token_events', 'token_first_seen', 'token_part_states', 'tokengraph_migrations']);
  const rows: string[] = [];
  for (const table of tables) {
    if (!/^[a-z_]+$/.test(table)) throw new Error(`not a table name: ${table}`);
    for (const row of (await db.query(`SELECT * FROM ${table}`)).rows) rows.push(`${table} ${JSON.stringify(row)}`);
  }
  return rows;
}

describe.each(['PGlite', 'PostgreSQL'] as const)('the history on %s', (engine) => {
  it('holds no credential and no real Crafter access-token or ticket id, in any encoding', async () => {
    const history: Partial<HistoryConfig> = engine === 'PGlite' ? { dataDir: join(dir, 'data') } : { databaseUrl: await server.createDatabase('atrest') };
    const lines: string[] = [];
    const logger = createLogger('trace', { destination: { write: (line: string) => void lines.push(line) } });
    const stack = await startStack({ history, adminKeys: [ADMIN_KEY], logger, config: { inventory: INVENTORY } });
    try {
      await stack.tokengraph.history!.opened;
      const refresh = async () => expect((await stack.query(`{ inventory(refresh: true, first: 1) { totalCount } }`)).body.errors).toBeUndefined();
      await refresh();
      // An access token and a ticket revoked by their real ids (REVOKED), then read again (DISAPPEARED).
      const accessToken = DATA.crafterProfile.accessTokens.find((token) => token.id !== DEMO_CREDENTIALS.crafterProfile && token.expiresOn !== null)!;
      const ticket = TICKETS.find((id) => DEMO_WATCH.some((ref) => ref.tokenId === id))!;
      const revoked = await stack.query(
        // Variables: a document that writes a secret id is refused (security/secretLiteralsRule.ts).
        `mutation ($refs: [TokenRef!]!) { revokeTokens(refs: $refs) { outcome } }`,
        { refs: [{ source: 'CRAFTER_ACCESS_TOKEN', tokenId: accessToken.id }, { source: 'CRAFTER_TICKET', tokenId: ticket }] },
        { 'x-request-id': 'atrest-1' },
      );
      expect(revoked.body.data?.revokeTokens).toEqual([{ outcome: 'REVOKED' }, { outcome: 'REVOKED' }]);
      await refresh();
      await stack.tokengraph.history!.recordRead({ collectedAt: 0, tokens: [], parts: [] }, { judgeAbsent: true });

      // The tables, and the log lines (each event is one, for SIEMs).
      const rows = [...(await dump(stack.tokengraph.history!.database()!)), ...lines];
      expect(lines.filter((line) => line.includes('"event":"token"')).length).toBeGreaterThan(100);
      // Not vacuous: the credential-bearing sources are in the tables, as masks and fingerprints.
      const kinds = (source: string) => rows.filter((row) => row.startsWith('token_events') && row.includes(`"source":"${source}"`)).map((row) => JSON.parse(row.slice(row.indexOf(' ') + 1)).kind as string);
      expect(kinds('CRAFTER_ACCESS_TOKEN')).toEqual(expect.arrayContaining(['APPEARED', 'REVOKED', 'DISAPPEARED']));
      expect(kinds('CRAFTER_TICKET')).toEqual(expect.arrayContaining(['APPEARED', 'REVOKED']));
      expect(rows.join('\n')).toContain(`${accessToken.id.slice(0, 4)}…${accessToken.id.slice(-4)}`);
      for (const secret of SECRETS) {
        for (const [name, encode] of Object.entries(ENCODINGS)) expect(rows.filter((row) => row.includes(encode(secret))), `${secret} ${name}`).toEqual([]);
      }
      // Nor inside a global id (base64url of the type and the id), where a ticket's real id would be.
      for (const [type, ids] of [['CrafterTicket', TICKETS], ['CrafterAccessToken', ACCESS_TOKENS]] as const) {
        for (const id of ids) expect(rows.filter((row) => row.includes(Buffer.from(JSON.stringify([type, id])).toString('base64url'))), `${type} ${id} as a global id`).toEqual([]);
      }
    } finally {
      await stack.close();
    }
  }, 60_000);
});
