/**
 * Crafter Profile: two sources behind one base URL and one credential, the `accessTokenId`
 * query parameter.
 *
 * - `GET /api/1/authentication/ticket/{ticketId}` → one ticket, read like any other token
 *   source. Unknown tickets come back as 404 `{"errorCode": "NO_SUCH_TICKET"}` (and before Crafter
 *   Profile 3.0.1 as 200 with an empty body): all are `null`. Crafter sets a ticket's
 *   `lastRequestTime` to the time of every read and saves it (AuthenticationServiceImpl.getTicket),
 *   so reading a ticket extends its session and its last use is never known (contract §10).
 * - `GET /api/1/access_token/all` → every access token. There is no by-id endpoint, so every
 *   access-token lookup of a request is served from one list call: this source keeps its own
 *   code (`createAccessTokenIndex`).
 *
 * Error bodies are `{ "errorCode"?, "message" }`; the message can echo an access-token id (a
 * credential), so it is scrubbed before a client sees it. A missing, unknown or expired
 * `accessTokenId` is 403 `ACCESS_DENIED` (AccessTokenCheckingInterceptor; before 3.0.1, 401
 * `MISSING_ACCESS_TOKEN_ID_PARAM` or 403 `NO_SUCH_ACCESS_TOKEN_ID` / `EXPIRED_ACCESS_TOKEN`):
 * tokengraph's credential not accepted, `UPSTREAM_UNAUTHORIZED`. A 403 `ACTION_DENIED` (a
 * permission the credential lacks) stays `UPSTREAM_FORBIDDEN`.
 *
 * Caches, both per request: the ticket loader (one call per distinct ticket id) and the
 * access-token index (one `access_token/all` call per request, however many lookups). Across
 * requests, when on: each source's cross-request cache; the list is kept with each id replaced by
 * its fingerprint and mask (ids are credentials), and bounded by the earliest future `expiresOn`.
 */
import { z } from 'zod';
import { earliestFutureExpiry } from '../cache/sourceCache.js';
import { fingerprintSecretId, maskSecretId } from '../security/secretIds.js';
import { rawDate } from './rawDate.js';
import type { SourceClient, UpstreamApi } from './sourceClient.js';
import { none, type TokenFields } from './tokenFields.js';
import { partId, readEach, type TokenLister } from './tokenListing.js';
import type { TokenModelOf, TokenSource } from './tokenSource.js';
import type { TokenRevoker } from './tokenRevocation.js';
import type { CallOptions } from './upstreamClient.js';
import { parseJson } from './upstreamResponse.js';

/** The access-token list's resource: also what a revocation forgets from the cross-request cache. */
export const ACCESS_TOKEN_LIST = ['api', '1', 'access_token', 'all'];
/** Crafter's error codes: `NO_SUCH_TICKET`, `ACCESS_DENIED`, … */
const ERROR_CODE = /^[A-Z][A-Z0-9_]{0,63}$/;
/** The codes with which Crafter refuses the `accessTokenId` itself, today's and before 3.0.1's. */
const CREDENTIAL_REFUSED = new Set(['ACCESS_DENIED', 'NO_SUCH_ACCESS_TOKEN_ID', 'EXPIRED_ACCESS_TOKEN', 'MISSING_ACCESS_TOKEN_ID_PARAM']);

export const crafterProfileApi: UpstreamApi = {
  accept: 'application/json',
  authorize: (accessTokenId) => ({ query: { accessTokenId } }),
  // An `errorCode` that is not a code is dropped; the message is scrubbed.
  errorInfo: (body, scrub) => ({
    errorCode: typeof body.errorCode === 'string' && ERROR_CODE.test(body.errorCode) ? body.errorCode : undefined,
    detail: scrub(body.message),
  }),
  refusesCredential: (status, body) => (status === 401 || status === 403) && typeof body.errorCode === 'string' && CREDENTIAL_REFUSED.has(body.errorCode),
};

/**
 * A ticket's record, without its `id` (a session credential: what is kept and cached is keyed by
 * its fingerprint and holds no copy of it), and without its `lastRequestTime`, which is the time
 * of tokengraph's own read (contract §3, §10).
 */
export const crafterTicketRecord = z.object({
  tenant: z.string(),
  profileId: z.string(),
});
export type CrafterTicketRecord = z.output<typeof crafterTicketRecord>;
export type CrafterTicketModel = TokenModelOf<'CRAFTER_TICKET', CrafterTicketRecord>;

/** A ticket is its profile's session: no name and no expiry; live while Crafter returns it; its last use unknown (reading it is a use). */
export const crafterTicketFields: TokenFields<CrafterTicketModel> = {
  tokenId: (model) => model.key.tokenId,
  name: none,
  owner: (model) => model.record.profileId,
  createdBy: none,
  createdAt: null,
  expiresAt: null,
  lastUsedAt: null,
  status: () => 'ACTIVE',
};

export const crafterTickets: TokenSource<'CRAFTER_TICKET', CrafterTicketRecord> = {
  source: 'CRAFTER_TICKET',
  path: (key) => ['api', '1', 'authentication', 'ticket', key.tokenId],
  record: crafterTicketRecord,
  // Before 3.0.1 Crafter answered an unknown ticket with 200 and an empty body.
  parse: (body) => (body.trim() === '' ? null : parseJson(body)),
  // Any other 404 (Tomcat's page for a wrong CRAFTER_PROFILE_URL, Spring's `No endpoint`) is an error.
  notFound: (_, body) => body === null || (typeof body === 'object' && (body as { errorCode?: unknown }).errorCode === 'NO_SUCH_TICKET'),
};

/** `POST /api/1/authentication/ticket/{id}/invalidate` ends a ticket's session (contract §9): 200. */
export const crafterTicketRevoker: TokenRevoker<'CRAFTER_TICKET'> = {
  method: 'POST',
  path: (key) => [...crafterTickets.path(key), 'invalidate'],
  notFound: crafterTickets.notFound,
};

/**
 * `POST /api/1/access_token/{id}/delete` deletes an access token (contract §9): 200; the caller's
 * token must be a master token. It answers 200 for an id it does not have: no answer of it is not-found.
 */
export const crafterAccessTokenRevoker: TokenRevoker<'CRAFTER_ACCESS_TOKEN'> = {
  method: 'POST',
  path: (key) => ['api', '1', 'access_token', key.tokenId, 'delete'],
};

/** `tenantPermissions` and each `allowedActions` may be null (Crafter writes null for a token created without them): read as `[]`. */
const orEmpty = <T extends z.ZodType>(item: T) => z.array(item).nullish().transform((list) => list ?? []);
export const crafterAccessTokenRecord = z.object({
  id: z.string(),
  application: z.string().nullish(),
  master: z.boolean(),
  tenantPermissions: orEmpty(z.object({ tenant: z.string(), allowedActions: orEmpty(z.string()) })),
  expiresOn: rawDate,
});
export type CrafterAccessTokenRecord = z.output<typeof crafterAccessTokenRecord>;
const crafterAccessTokenList = z.array(crafterAccessTokenRecord);

/**
 * A listed access token as tokengraph keeps it, and the parent of `CrafterAccessToken` resolvers:
 * its id is a credential, so it is replaced, as the list is read, by its SHA-256 fingerprint (for
 * global ids and lookups) and its mask (what is shown). Nothing kept, cached or answered holds it.
 */
export interface CrafterAccessTokenModel {
  source: 'CRAFTER_ACCESS_TOKEN';
  fingerprint: string;
  maskedId: string;
  record: Omit<CrafterAccessTokenRecord, 'id'>;
}

/** An access token's name is its application; its id is shown masked; a null `expiresOn` never expires (Crafter's interceptor lets it through forever). */
export const crafterAccessTokenFields: TokenFields<CrafterAccessTokenModel> = {
  tokenId: (model) => model.maskedId,
  name: (model) => model.record.application ?? null,
  owner: none,
  createdBy: none,
  createdAt: null,
  expiresAt: { field: 'expiresOn', value: (model) => model.record.expiresOn },
  lastUsedAt: null,
  status: (model) => (model.record.expiresOn === null || model.record.expiresOn === undefined ? 'NEVER_EXPIRES' : undefined),
  master: (model) => model.record.master,
};

/**
 * Every access token, from one `access_token/all` call (or the cross-request cache, unless
 * `options.bypassCache`), ids already replaced. A 404 is an error here: the endpoint is missing
 * (a wrong base URL), not an empty list.
 */
export function readAccessTokens(client: SourceClient, options: CallOptions): Promise<CrafterAccessTokenModel[]> {
  const expiresAt = (models: CrafterAccessTokenModel[]) => earliestFutureExpiry(models.map((model) => model.record.expiresOn));
  const request = { segments: ACCESS_TOKEN_LIST, cache: { expiresAt } };
  return client.getRecord(request, crafterAccessTokenList, options, (records) => records.map(accessTokenModel));
}

/** The access-token list as a listing (contract §7): one call, read anew (the inventory keeps its own snapshot). */
export const listAccessTokens: TokenLister<CrafterAccessTokenModel> = async (context) => {
  const part = { id: partId('CRAFTER_ACCESS_TOKEN'), scope: 'access-token list' };
  await readEach(context, [part], () => part, () => readAccessTokens(context.client, { ...context.options, bypassCache: true }), (tokens) => tokens);
};

export interface AccessTokenIndex {
  /** Every access token, in the upstream's order. */
  all(): Promise<CrafterAccessTokenModel[]>;
  /** By the real id, as a caller who knows it asks: found by the id's fingerprint. */
  byId(id: string): Promise<CrafterAccessTokenModel | null>;
  byFingerprint(fingerprint: string): Promise<CrafterAccessTokenModel | null>;
}

/** The request's access tokens: the list is read once, at the first lookup, and indexed by fingerprint. */
export function createAccessTokenIndex(client: SourceClient, options: CallOptions): AccessTokenIndex {
  /** Lookups that waited for the list call: its "batch size". */
  let lookups = 0;
  let list: Promise<{ models: CrafterAccessTokenModel[]; byFingerprint: Map<string, CrafterAccessTokenModel> }> | undefined;
  const indexed = () => {
    lookups += 1;
    return (list ??= readAccessTokens(client, options).then((models) => {
      options.telemetry?.batch('CRAFTER_ACCESS_TOKEN', lookups);
      return { models, byFingerprint: new Map(models.map((model) => [model.fingerprint, model])) };
    }));
  };
  const byFingerprint = async (fingerprint: string) => (await indexed()).byFingerprint.get(fingerprint) ?? null;
  return {
    all: async () => (await indexed()).models,
    byId: (id) => byFingerprint(fingerprintSecretId(id)),
    byFingerprint,
  };
}

function accessTokenModel({ id, ...record }: CrafterAccessTokenRecord): CrafterAccessTokenModel {
  return { source: 'CRAFTER_ACCESS_TOKEN', fingerprint: fingerprintSecretId(id), maskedId: maskSecretId(id), record };
}
