/**
 * NetApp Astra Control: `GET /accounts/{accountId}/core/v1/users/{userId}/tokens/{tokenId}`
 * with `Authorization: Bearer <token>`. The stored token's secret is never returned by
 * Astra, and the record schema drops it should it ever appear.
 *
 * Error bodies (400, 401, 403, 404) are problem details:
 * `{ type, title, detail, status, correlationID? }` (`status` is a string there); `detail`
 * (or `title`) and `correlationID` are passed on.
 *
 * Listing (contract §7), for each account of ASTRA_ACCOUNT_IDS: `GET /accounts/{accountId}/core/v1/users`,
 * then `GET …/users/{userId}/tokens` per user. Both answer `{ items, metadata: { continue? } }`:
 * while `continue` is a non-empty string, the next page is asked for with `?continue=<it>`.
 *
 * Caches: the request's loader, one call per distinct (account, user, token); the opt-in
 * cross-request cache (Astra tokens carry no expiry). Listings are not cached here (the
 * inventory keeps its own snapshot).
 */
import { z } from 'zod';
import { rawDate } from './rawDate.js';
import type { NotFoundAnswer, SourceClient, UpstreamApi } from './sourceClient.js';
import type { TokenFields } from './tokenFields.js';
import { partId, readEach, type TokenLister } from './tokenListing.js';
import type { TokenRevoker } from './tokenRevocation.js';
import type { TokenModelOf, TokenSource } from './tokenSource.js';
import type { CallOptions } from './upstreamClient.js';
import { invalidResponse } from './upstreamResponse.js';

/** Astra's correlation ids are UUIDs; anything id-like is passed on. */
const CORRELATION_ID = /^[\w.:-]{1,128}$/;

export const astraApi: UpstreamApi = {
  accept: 'application/json',
  authorize: (credential) => ({ headers: { authorization: `Bearer ${credential}` } }),
  errorInfo: (body, scrub) => ({
    correlationId: typeof body.correlationID === 'string' && CORRELATION_ID.test(body.correlationID) ? body.correlationID : undefined,
    detail: scrub(body.detail) ?? scrub(body.title),
  }),
};

/**
 * Astra's own not-found: the problems reference/astra.json gives a token's 404, 2 (`Collection not
 * found`, a GET's) and 1 (`Resource not found`, a DELETE's). Any other 404 (a proxy's page, a
 * wrong ASTRA_URL) is not.
 */
const ASTRA_NOT_FOUND = new Set(['https://astra.netapp.io/problems/1', 'https://astra.netapp.io/problems/2']);
const astraNotFound: NotFoundAnswer = (response, body) => response.status === 404 && ASTRA_NOT_FOUND.has((body as { type?: unknown }).type as string);

export const astraTokenRecord = z.object({
  type: z.string(),
  version: z.string(),
  id: z.string(),
  name: z.string(),
  userID: z.string(),
  metadata: z.object({
    labels: z.array(z.object({ name: z.string(), value: z.string() })).nullish(),
    creationTimestamp: rawDate,
    modificationTimestamp: rawDate,
    createdBy: z.string().nullish(),
    modifiedBy: z.string().nullish(),
  }),
});
export type AstraTokenRecord = z.output<typeof astraTokenRecord>;
export type AstraTokenModel = TokenModelOf<'ASTRA', AstraTokenRecord>;

/** Astra API tokens never expire (they are valid until revoked: contract §10) and record no use. */
export const astraFields: TokenFields<AstraTokenModel> = {
  tokenId: (model) => model.record.id,
  name: (model) => model.record.name,
  owner: (model) => model.record.userID,
  createdBy: (model) => model.record.metadata.createdBy ?? null,
  createdAt: { field: 'metadata.creationTimestamp', value: (model) => model.record.metadata.creationTimestamp },
  expiresAt: null,
  lastUsedAt: null,
  status: () => 'NEVER_EXPIRES',
};

export const astraTokens: TokenSource<'ASTRA', AstraTokenRecord> = {
  source: 'ASTRA',
  path: (key) => ['accounts', key.accountId, 'core', 'v1', 'users', key.userId, 'tokens', key.tokenId],
  record: astraTokenRecord,
  notFound: astraNotFound,
};

/** `DELETE /accounts/{accountId}/core/v1/users/{userId}/tokens/{tokenId}` revokes a token (contract §9): 204. */
export const astraRevoker: TokenRevoker<'ASTRA'> = { method: 'DELETE', path: astraTokens.path, notFound: astraNotFound };

/** Most pages read of one list: a `continue` that never ends is the upstream's fault, not a reason to loop. */
const MAX_PAGES = 1000;

/** One page of an Astra list: its items, and where the next one starts. */
const page = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), metadata: z.object({ continue: z.string().nullish() }).nullish() });
// Built once: zod compiles a schema on its first parse (see netbird.ts).
const userPage = page(z.object({ id: z.string() }));
const tokenPage = page(astraTokenRecord);

export const listAstraTokens: TokenLister<AstraTokenModel> = async (context) => {
  const { client, settings, options } = context;
  const users = await readEach(
    context,
    settings.astraAccountIds,
    (accountId) => ({ id: partId('ASTRA', accountId), scope: `account ${accountId}` }),
    async (accountId) => (await pages(client, ['accounts', accountId, 'core', 'v1', 'users'], userPage, options)).map((user) => ({ accountId, userId: user.id })),
  );
  await readEach(
    context,
    users,
    ({ accountId, userId }) => ({ id: partId('ASTRA', accountId, userId), scope: `user ${accountId}/${userId}` }),
    ({ accountId, userId }) => userTokens(client, accountId, userId, options),
    (tokens) => tokens,
  );
};

async function userTokens(client: SourceClient, accountId: string, userId: string, options: CallOptions): Promise<AstraTokenModel[]> {
  const records = await pages(client, ['accounts', accountId, 'core', 'v1', 'users', userId, 'tokens'], tokenPage, options);
  return records.map((record) => ({ source: 'ASTRA', key: { source: 'ASTRA', accountId, userId, tokenId: record.id }, record }));
}

/** Every item of a paged list, following `metadata.continue`. */
async function pages<T>(client: SourceClient, segments: string[], page: z.ZodType<{ items: T[]; metadata?: { continue?: string | null } | null }>, options: CallOptions): Promise<T[]> {
  const items: T[] = [];
  let next: string | undefined;
  for (let read = 0; read < MAX_PAGES; read++) {
    const answer = await client.getRecord({ segments, query: next ? { continue: next } : undefined }, page, options);
    items.push(...answer.items);
    const more = answer.metadata?.continue;
    if (!more) return items;
    if (more === next) throw invalidResponse('ASTRA', 200, 'ASTRA answered the same continue token twice');
    next = more;
  }
  throw invalidResponse('ASTRA', 200, `ASTRA's list did not end within ${MAX_PAGES} pages`);
}
