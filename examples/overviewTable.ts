/**
 * `npm run example`: the overview page's table in a terminal: the whole inventory, soonest
 * expiry first (every page of it, walked by src/cli/inventoryPages.ts as `npm run expiring`
 * walks it), then its gaps, from the same typed operation (web/operations/tokenOverview.graphql,
 * typed by graphql-codegen's client preset) and the same row logic (web/tokenRows.ts).
 *
 *   npm run example                          start demo tokengraph in this process, print its inventory
 *   TOKENGRAPH_URL=http://127.0.0.1:4000/graphql TOKENGRAPH_API_KEY=… npm run example -- NETBIRD/bob/nb-demo-3
 *
 * Arguments are watch-list entries, written as in the page's URL (`SOURCE/id/…`): tokens to show
 * beside the inventory, marked `(watched)`, as the page's watch list does.
 */
import { inventoryPages } from '../src/cli/inventoryPages.js';
import { readConfig } from '../src/config/readConfig.js';
import { startDemoUpstreams, withDemoUpstreams } from '../src/demo/startDemoUpstreams.js';
import type { TokenRef } from '../src/generated/client/graphql.js';
import { createLogger } from '../src/observability/createLogger.js';
import { createTokengraph } from '../src/http/createTokengraph.js';
import { failureText, formatDate, gapText, overview, stateText, statusText, type TokenRow } from '../web/tokenRows.js';
import { refFromParam, SOURCE_LABELS } from '../web/watchList.js';

const COLUMNS: [string, (row: TokenRow) => string][] = [
  ['SOURCE', (row) => SOURCE_LABELS[row.source]],
  ['NAME', (row) => (row.watchIndex === undefined ? row.name : `${row.name} (watched)`)],
  ['OWNER', (row) => row.owner ?? '—'],
  ['CREATED', (row) => formatDate(row.createdAt)],
  ['LAST USED', (row) => formatDate(row.lastUsedAt)],
  ['EXPIRES', (row) => formatDate(row.expiresAt)],
  ['STATUS', (row) => statusText(row)],
];

/** The table as text: a header, a rule and one padded line per row, `!` marking expired or soon-expiring rows. */
export function renderTable(rows: readonly TokenRow[]): string {
  const cells = rows.map((row) => COLUMNS.map(([, cell]) => cell(row)));
  const widths = COLUMNS.map(([title], i) => Math.max(title.length, ...cells.map((line) => line[i]!.length)));
  const line = (values: string[]) => values.map((value, i) => value.padEnd(widths[i]!)).join('  ').trimEnd();
  return [
    `  ${line(COLUMNS.map(([title]) => title))}`,
    `  ${line(widths.map((w) => '─'.repeat(w)))}`,
    ...rows.map((row, i) => `${row.expiry === 'expired' || row.expiry === 'soon' ? '!' : ' '} ${line(cells[i]!)}`),
  ].join('\n');
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const watch: TokenRef[] = args.map((arg) => {
    const ref = refFromParam(arg);
    if (!ref) throw new Error(`not a token reference: ${JSON.stringify(arg)} (write it as SOURCE/id, e.g. NETBIRD/alice/nb-demo-1)`);
    return ref;
  });

  let url = process.env.TOKENGRAPH_URL;
  let stop = async () => {};
  if (!url) {
    // No server named: run demo tokengraph right here, as `npm start` would.
    const demo = await startDemoUpstreams();
    const tokengraph = await createTokengraph(withDemoUpstreams({ ...readConfig({}), port: 0 }, demo), createLogger('silent'));
    url = await tokengraph.listen();
    stop = async () => {
      await tokengraph.close();
      await demo.close();
    };
    process.stdout.write(`demo mode: tokengraph at ${url}\n\n`);
  }
  try {
    // Every page of the inventory; the watched tokens come with the first.
    const apiKey = process.env.TOKENGRAPH_API_KEY;
    const answers = await inventoryPages(url, { watch, ...(apiKey && { apiKey }) });
    const shown = overview(answers, watch, new Date());
    process.stdout.write(`${renderTable(shown.rows)}\n\n${stateText(shown)}\n`);
    for (const gap of shown.inventory?.gaps ?? []) process.stdout.write(`${gapText(gap)}\n`);
    for (const failure of shown.failures) process.stdout.write(`${failureText(failure)}\n`);
    for (const message of shown.otherErrors) process.stdout.write(`${message}\n`);
  } finally {
    await stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`example: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
