/**
 * `npm run expiring -- [--within 14d] [--json] [--fail]` (contract §8): the tokens that expire
 * within the window (default 14 days), soonest first, from the inventory of the tokengraph at
 * TOKENGRAPH_URL (with TOKENGRAPH_API_KEY), or, when it is unset, of a demo tokengraph started in
 * this process. A table on stdout (or JSON with --json); what could not be read on stderr.
 * Exit 0; 1 with --fail when any token is listed (for cron and CI pipelines); 2 on an error, with
 * one line saying what went wrong.
 */
import { readConfig } from '../config/readConfig.js';
import { startDemoUpstreams, withDemoUpstreams } from '../demo/startDemoUpstreams.js';
import { createTokengraph } from '../http/createTokengraph.js';
import { createLogger } from '../observability/createLogger.js';
import { EXPIRING_QUERY, formatTable, gapLines, parseArgs, UsageError, windowFilter, type ExpiringReport, type ExpiringToken, type Gap } from './expiringReport.js';

interface Page {
  collectedAt: string;
  gaps: Gap[];
  pageInfo: { hasNextPage: boolean; endCursor: string | null };
  nodes: ExpiringToken[];
}

class ReportError extends Error {}

async function report(url: string, apiKey: string | undefined, withinMs: number, within: string): Promise<ExpiringReport> {
  const now = new Date();
  const filter = windowFilter(now, withinMs);
  const tokens: ExpiringToken[] = [];
  let first: Page | undefined;
  let after: string | null = null;
  do {
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json', ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}) },
      body: JSON.stringify({ query: EXPIRING_QUERY, variables: { filter, after } }),
    }).catch((error: unknown) => {
      throw new ReportError(`tokengraph at ${url} could not be reached (${(error as { cause?: { code?: string } }).cause?.code ?? 'connection failed'})`);
    });
    if (response.status === 401) throw new ReportError(`tokengraph at ${url} answered 401: set TOKENGRAPH_API_KEY to one of its API keys`);
    const answer = (await response.json().catch(() => ({}))) as { data?: { inventory: Page | null } | null; errors?: Array<{ message: string }> };
    const page = answer.data?.inventory;
    if (!page) throw new ReportError(`tokengraph at ${url} answered ${response.status} with no inventory: ${answer.errors?.[0]?.message ?? 'no data'}`);
    first ??= page;
    tokens.push(...page.nodes);
    after = page.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
  } while (after);
  return { within, from: filter.expiresAfter, until: filter.expiresBefore, collectedAt: first?.collectedAt ?? null, tokens, gaps: first?.gaps ?? [] };
}

/** The report from TOKENGRAPH_URL, or from a demo tokengraph in this process. */
async function fromSomewhere(withinMs: number, within: string): Promise<ExpiringReport> {
  const url = process.env.TOKENGRAPH_URL;
  if (url) return report(url, process.env.TOKENGRAPH_API_KEY, withinMs, within);
  const upstreams = await startDemoUpstreams();
  const tokengraph = await createTokengraph(withDemoUpstreams({ ...readConfig({}), port: 0, logLevel: 'silent' }, upstreams), createLogger('silent'));
  try {
    return await report(await tokengraph.listen(), undefined, withinMs, within);
  } finally {
    await tokengraph.close();
    await upstreams.close();
  }
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  const result = await fromSomewhere(args.withinMs, args.within);
  for (const line of gapLines(result.gaps)) process.stderr.write(`${line}\n`);
  process.stdout.write(args.json ? `${JSON.stringify(result, null, 2)}\n` : formatTable(result, new Date()));
  return args.fail && result.tokens.length > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    const known = error instanceof UsageError || error instanceof ReportError;
    process.stderr.write(`tokengraph expiring: ${known ? error.message : `failed: ${error instanceof Error ? error.message : String(error)}`}\n`);
    process.exit(2);
  },
);
