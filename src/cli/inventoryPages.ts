/**
 * Every page of the inventory from a tokengraph over HTTP, for the tools that run in a terminal
 * (`npm run expiring`, `npm run example`): the overview page's own typed operation
 * (web/operations/tokenOverview.graphql, typed by graphql-codegen's client preset), POSTed with the
 * API key as `Authorization: Bearer <key>`, and again with `after` while the answer says there is a
 * next page. The watched references go with the first page only, as the page sends them.
 *
 * What stops the walk with a `ClientError` (one line, for the terminal): tokengraph not reached, a
 * 401, an answer that is not JSON. An answer without the inventory ends the walk and is returned as
 * it came, errors included: what it means is the caller's to say.
 */
import { TokenOverviewDocument, type TokenFilter, type TokenOverviewQuery, type TokenRef } from '../generated/client/graphql.js';

export class ClientError extends Error {}

export interface InventoryAnswer {
  status: number;
  data?: TokenOverviewQuery | null;
  errors?: Array<{ message: string; path?: Array<string | number>; extensions?: { code?: unknown; upstream?: { source?: unknown } } }>;
}

/**
 * Tokens per page. tokengraph gives up to 500 a page, but counts `first` in an operation's cost:
 * 100 rows of this operation stay well within the default TOKENGRAPH_MAX_COST.
 */
const PAGE_SIZE = 100;

export interface PagesOptions {
  filter?: TokenFilter;
  /** Watched references, answered beside the first page. */
  watch?: TokenRef[];
  apiKey?: string;
}

export async function inventoryPages(url: string, options: PagesOptions): Promise<InventoryAnswer[]> {
  const answers: InventoryAnswer[] = [];
  let after: string | null = null;
  do {
    const variables = { first: PAGE_SIZE, watch: answers.length === 0 ? (options.watch ?? []) : [], ...(options.filter && { filter: options.filter }), ...(after && { after }) };
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/graphql-response+json, application/json', ...(options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {}) },
      body: JSON.stringify({ query: TokenOverviewDocument.toString(), variables }),
    }).catch((error: unknown) => {
      throw new ClientError(`tokengraph at ${url} could not be reached (${(error as { cause?: { code?: string } }).cause?.code ?? 'connection failed'})`);
    });
    if (response.status === 401) throw new ClientError(`tokengraph at ${url} answered 401: set TOKENGRAPH_API_KEY to one of its API keys`);
    const body = (await response.json().catch(() => {
      throw new ClientError(`tokengraph at ${url} answered ${response.status} with no JSON`);
    })) as Omit<InventoryAnswer, 'status'>;
    answers.push({ status: response.status, ...body });
    const page = body.data?.inventory;
    after = page?.pageInfo.hasNextPage ? page.pageInfo.endCursor : null;
  } while (after);
  return answers;
}
