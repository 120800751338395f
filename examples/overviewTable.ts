/**
 * `npm run example`: the overview page's table in a terminal, from the same typed operation
 * (web/operations/tokenOverview.graphql, typed by graphql-codegen's client preset) and the
 * same row logic (web/tokenRows.ts).
 *
 *   npm run example                          start demo tokengraph in this process, print its tokens
 *   TOKENGRAPH_URL=http://127.0.0.1:4000/graphql TOKENGRAPH_API_KEY=… npm run example -- NETBIRD/alice/nb-demo-1
 *
 * Arguments are watch-list entries, written as in the page's URL (`SOURCE/id/…`).
 */
import { readConfig } from '../src/config/readConfig.js';
import { DEMO_REFS, startDemoUpstreams, withDemoUpstreams } from '../src/demo/startDemoUpstreams.js';
import { TokenOverviewDocument, type TokenOverviewQuery, type TokenOverviewQueryVariables, type TokenRef } from '../src/generated/client/graphql.js';
import type { TypedDocumentString } from '../src/generated/client/graphql.js';
import { createLogger } from '../src/observability/createLogger.js';
import { createTokengraph } from '../src/http/createTokengraph.js';
import { formatDate, overview, statusText, type OverviewAnswer, type TokenRow } from '../web/tokenRows.js';
import { refFromParam, SOURCE_LABELS } from '../web/watchList.js';

/** POSTs a typed document; the answer's `data` has the operation's own type. */
async function execute<R, V>(url: string, document: TypedDocumentString<R, V>, variables: V, apiKey?: string): Promise<{ data?: R | null; errors?: OverviewAnswer['errors'] }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/graphql-response+json, application/json',
      ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}),
    },
    body: JSON.stringify({ query: document.toString(), variables }),
  });
  if (response.status === 401) throw new Error('tokengraph answered 401: set TOKENGRAPH_API_KEY to one of its keys');
  return (await response.json()) as { data?: R | null; errors?: OverviewAnswer['errors'] };
}

const COLUMNS: [string, (row: TokenRow) => string][] = [
  ['SOURCE', (row) => SOURCE_LABELS[row.source]],
  ['NAME', (row) => row.name],
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
    if (watch.length === 0) watch.push(...DEMO_REFS.filter((ref) => ref.source !== 'CRAFTER_ACCESS_TOKEN'));
    process.stdout.write(`demo mode: tokengraph at ${url}\n\n`);
  }
  try {
    const variables: TokenOverviewQueryVariables = { watch };
    const answer: { data?: TokenOverviewQuery | null; errors?: OverviewAnswer['errors'] } = await execute(url, TokenOverviewDocument, variables, process.env.TOKENGRAPH_API_KEY);
    const shown = overview(answer, watch, new Date());
    process.stdout.write(`${renderTable(shown.rows)}\n`);
    for (const failure of shown.failures) {
      process.stdout.write(`\n${failure.label} is failing (${failure.codes.join(', ')}): its tokens could not be read; the others are shown.`);
    }
    for (const message of shown.otherErrors) process.stdout.write(`\n${message}`);
    process.stdout.write('\n');
  } finally {
    await stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`example: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
