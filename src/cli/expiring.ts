/**
 * `npm run expiring -- [--within 14d] [--json] [--fail]` (contract §8): the tokens already expired,
 * first and marked expired, then those that expire within the window (default 14 days), soonest
 * first, from the inventory of the tokengraph at TOKENGRAPH_URL (with TOKENGRAPH_API_KEY), or, when
 * it is unset, of a demo tokengraph started in this process. A table on stdout (or JSON with
 * --json, the gaps included); what could not be read on stderr.
 * Exit 0; with --fail, 1 when any token is listed (for cron and CI pipelines) and 2 when the
 * inventory has gaps, since a report that could not read a part cannot say nothing expires there;
 * 2 on an error, with one line saying what went wrong.
 */
import { readConfig } from '../config/readConfig.js';
import { startDemoUpstreams, withDemoUpstreams } from '../demo/startDemoUpstreams.js';
import { createTokengraph } from '../http/createTokengraph.js';
import { createLogger } from '../observability/createLogger.js';
import { exitCode, formatTable, gapLines, parseArgs, reportOf, UsageError, windowFilter, windowOf, type ExpiringReport } from './expiringReport.js';
import { ClientError, inventoryPages } from './inventoryPages.js';

async function report(url: string, apiKey: string | undefined, withinMs: number, within: string): Promise<ExpiringReport> {
  const window = windowOf(new Date(), withinMs);
  const answers = await inventoryPages(url, { filter: windowFilter(window), ...(apiKey && { apiKey }) });
  // The walk ends at the first answer without the inventory: only the last can lack it.
  const last = answers.at(-1)!;
  if (!last.data?.inventory) throw new ClientError(`tokengraph at ${url} answered ${last.status} with no inventory: ${last.errors?.[0]?.message ?? 'no data'}`);
  return reportOf(
    answers.map((answer) => answer.data!.inventory!),
    window,
    within,
  );
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
  process.stdout.write(args.json ? `${JSON.stringify(result, null, 2)}\n` : formatTable(result, new Date(result.from)));
  return exitCode(result, args.fail);
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    const known = error instanceof UsageError || error instanceof ClientError;
    process.stderr.write(`tokengraph expiring: ${known ? error.message : `failed: ${error instanceof Error ? error.message : String(error)}`}\n`);
    process.exit(2);
  },
);
