/**
 * `GET /inventory.csv` and `GET /inventory.ndjson` (contract §11): the whole inventory, filtered by
 * the overview page's URL parameters, soonest expiry first, then its gaps, streamed.
 *
 *   ?source=NETBIRD&status=ACTIVE&finding=NEVER_EXPIRES&within=14&search=backup
 *
 * `source`, `status` and `finding` repeat for "any of"; `within` is "expires within this many days"
 * (0 to 3650, as the page's field); `search` (or the page's own `q`) at most 256 characters. Other
 * parameters (the page's `watch`) are ignored. An unknown value is a 400 naming it: a script that
 * asks for `finding=NEVR_EXPIRES` learns of its typo instead of getting every token.
 *
 * CSV is RFC 4180 (UTF-8, CRLF, quoted where needed, a header row), written by csv-stringify, and a
 * cell that begins with `=`, `+`, `-`, `@`, a tab or a carriage return is prefixed with `'` so that
 * a spreadsheet shows it rather than runs it. NDJSON is one object per line with the same keys
 * (`findings` an array, empty values `null`). Rows are written as they are made, waiting whenever
 * the client reads slower than they come: the first row leaves before the last is made, and memory
 * does not grow with the inventory's size.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { finished } from 'node:stream/promises';
import { stringify } from 'csv-stringify';
import type { FindingSettings } from '../inventory/findings.js';
import { TOKEN_FINDINGS } from '../inventory/findings.js';
import type { Inventory } from '../inventory/createInventory.js';
import { EXPORT_COLUMNS, exportRows, type ExportRow } from '../inventory/exportRows.js';
import type { TokenFilter } from '../inventory/inventoryPage.js';
import type { DataSources } from '../datasources/createDataSources.js';
import { forwardedCredentials } from '../datasources/upstreamCredential.js';
import { FIXED_LIMITS } from '../security/limits.js';
import { SOURCE_NAMES } from '../sources.js';
import { deadlineSignal } from './deadlineSignal.js';
import { ClientGone } from './graphqlRoute.js';
import { sendError } from './responses.js';

export type ExportFormat = 'csv' | 'ndjson';

/** Where each export is served; the overview page links both, its filters as the query string. */
export const EXPORT_PATHS: Readonly<Record<ExportFormat, string>> = { csv: '/inventory.csv', ndjson: '/inventory.ndjson' };

export interface InventoryExportParts {
  inventory: Inventory;
  dataSources: DataSources;
  findings: FindingSettings;
  /** How long the export may wait for the inventory, ms (REQUEST_DEADLINE_MS): then it writes what was read, with gaps. */
  deadlineMs: number;
}

const STATUSES = ['ACTIVE', 'EXPIRED', 'NEVER_EXPIRES', 'UNKNOWN'] as const;
/** The longest "expiring within" the overview page offers, in days. */
const MAX_WITHIN_DAYS = 3650;
const DAY = 86_400_000;
/** A cell a spreadsheet would take for a formula. */
const FORMULA = /^[=+\-@\t\r]/;
/** Rows written to the socket at once: fewer writes, and still a row's worth of memory. */
const ROWS_PER_WRITE = 200;

export class ExportParamError extends Error {}

/** The filter the export's query string names; throws `ExportParamError` for a value it does not know. */
export function exportFilter(params: URLSearchParams, now: number): TokenFilter {
  const filter: TokenFilter = {};
  const sources = known(params, 'source', SOURCE_NAMES);
  const status = known(params, 'status', STATUSES);
  const findings = known(params, 'finding', TOKEN_FINDINGS);
  if (sources.length > 0) filter.sources = sources;
  if (status.length > 0) filter.status = status;
  if (findings.length > 0) filter.findings = findings;
  const within = params.get('within');
  if (within !== null && within !== '') {
    if (!/^\d{1,4}$/.test(within) || Number(within) > MAX_WITHIN_DAYS) throw new ExportParamError(`within must be a whole number of days from 0 to ${MAX_WITHIN_DAYS}, got "${within.slice(0, 20)}"`);
    filter.expiresBefore = new Date(now + Number(within) * DAY).toISOString();
  }
  const search = (params.get('search') ?? params.get('q') ?? '').trim();
  if (search !== '') {
    if ([...search].length > FIXED_LIMITS.inventoryFilterText) throw new ExportParamError(`search must be at most ${FIXED_LIMITS.inventoryFilterText} characters`);
    filter.search = search;
  }
  return filter;
}

function known<T extends string>(params: URLSearchParams, name: string, values: readonly T[]): T[] {
  const given = params.getAll(name);
  const unknown = given.find((value) => !values.includes(value as T));
  if (unknown !== undefined) throw new ExportParamError(`${name} must be one of ${values.join(', ')}, got "${unknown.slice(0, 40)}"`);
  return values.filter((value) => given.includes(value));
}

/** What an export wrote: its rows, and whether the client took them all (`complete`) or left first. */
export interface ExportWritten {
  rows: number;
  complete: boolean;
}

/** Serves one export; resolves to what it wrote (undefined when the request was refused). */
export function createInventoryExport(parts: InventoryExportParts) {
  return async (req: IncomingMessage, res: ServerResponse, params: URLSearchParams, format: ExportFormat): Promise<ExportWritten | undefined> => {
    const now = Date.now();
    let filter: TokenFilter;
    try {
      filter = exportFilter(params, now);
    } catch (error) {
      if (!(error instanceof ExportParamError)) throw error;
      sendError(res, 400, error.message, 'BAD_USER_INPUT');
      return undefined;
    }
    const scope = deadlineSignal(parts.deadlineMs);
    let gone = false;
    res.once('close', () => {
      gone = !res.writableFinished;
      if (gone) scope.abort(new Error('the client closed the connection'));
      scope.clear();
    });
    const credentials = forwardedCredentials(parts.dataSources.forwardHeaders, req.headers);
    const view = await parts.inventory.view({ credentials, signal: scope.signal }).catch((error: unknown) => {
      // The client left while the inventory was read: nobody is left to answer, and it is no fault.
      throw gone ? new ClientGone('the client went away before its export was written') : error;
    });
    const stamp = new Date(now).toISOString().slice(0, 10);
    res.statusCode = 200;
    res.setHeader('content-type', format === 'csv' ? 'text/csv; charset=utf-8; header=present' : 'application/x-ndjson; charset=utf-8');
    res.setHeader('content-disposition', `attachment; filename="tokengraph-inventory-${stamp}.${format}"`);
    res.setHeader('cache-control', 'no-store');
    res.setHeader('x-content-type-options', 'nosniff');
    const rows = exportRows(view, filter, parts.findings, now);
    if (format === 'ndjson') return writeNdjson(res, rows, () => gone);
    return writeCsv(res, rows, () => gone);
  };
}

/** One JSON object per line; written in batches, waiting for the socket when it is full. */
async function writeNdjson(res: ServerResponse, rows: Iterable<ExportRow>, gone: () => boolean): Promise<ExportWritten> {
  let batch = '';
  let count = 0;
  for (const row of rows) {
    batch += `${JSON.stringify(row)}\n`;
    if (++count % ROWS_PER_WRITE !== 0) continue;
    if (gone()) return { rows: count, complete: false };
    if (!res.write(batch)) await drained(res, res);
    batch = '';
  }
  res.end(batch);
  return ended(res, count);
}

/** RFC 4180 through csv-stringify, formulas defused; a header row, then the rows as they come. */
async function writeCsv(res: ServerResponse, rows: Iterable<ExportRow>, gone: () => boolean): Promise<ExportWritten> {
  const csv = stringify({
    header: true,
    columns: [...EXPORT_COLUMNS],
    record_delimiter: 'windows',
    cast: { string: (value) => (FORMULA.test(value) ? `'${value}` : value) },
  });
  csv.pipe(res);
  let count = 0;
  for (const row of rows) {
    if (gone()) {
      csv.destroy();
      return { rows: count, complete: false };
    }
    count += 1;
    if (!csv.write({ ...row, findings: row.findings.join(';') })) await drained(csv, res);
  }
  csv.end();
  return ended(res, count);
}

/**
 * Once the response has ended or closed: complete when all of it was handed to the socket, not
 * when the client left first (then 'finish' never comes, and `finished` settles on the close).
 */
async function ended(res: ServerResponse, rows: number): Promise<ExportWritten> {
  await finished(res).catch(() => {});
  return { rows, complete: res.writableFinished };
}

/** Resolves when `stream` can take more, or when the response closes meanwhile (the client left). */
function drained(stream: NodeJS.EventEmitter, res: ServerResponse): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      stream.off('drain', done);
      res.off('close', done);
      resolve();
    };
    stream.once('drain', done);
    res.once('close', done);
  });
}
