/**
 * Crafter Profile: two sources behind one base URL and one credential, the `accessTokenId`
 * query parameter.
 *
 * - `GET /api/1/authentication/ticket/{ticketId}` → one ticket, read like any other token
 *   source. Unknown tickets come back as 404 or as `{"errorCode": "NO_SUCH_TICKET"}` with
 *   whatever status: both are `null`.
 * - `GET /api/1/access_token/all` → every access token. There is no by-id endpoint, so every
 *   access-token lookup of a request is served from one list call: this source keeps its own
 *   code (`createAccessTokenIndex`).
 *
 * Error bodies are `{ "errorCode"?, "message" }`; the message can echo an access-token id (a
 * credential), so it is scrubbed before a client sees it.
 *
 * Caches, both per request: the ticket loader (one call per distinct ticket id) and the
 * access-token index (one `access_token/all` call per request, however many lookups). Across
 * requests, when on: each source's cross-request cache; the list's entries are bounded by the
 * earliest future `expiresOn` in it.
 */
import { z } from 'zod';
import { earliestFutureExpiry } from '../cache/sourceCache.js';
import { fingerprintSecretId } from '../security/secretIds.js';
import { rawDate } from './rawDate.js';
import type { SourceClient, UpstreamApi } from './sourceClient.js';
import type { TokenModelOf, TokenSource } from './tokenSource.js';
import type { CallOptions, UpstreamResponse } from './upstreamClient.js';
import { decodeRecord, isSuccess } from './upstreamResponse.js';

const ACCESS_TOKEN_LIST = ['api', '1', 'access_token', 'all'];
/** Crafter's error codes: `NO_SUCH_TICKET`, `INVALID_ACCESS_TOKEN_ID`, … */
const ERROR_CODE = /^[A-Z][A-Z0-9_]{0,63}$/;

export const crafterProfileApi: UpstreamApi = {
  accept: 'application/json',
  authorize: (accessTokenId) => ({ query: { accessTokenId } }),
  // An `errorCode` that is not a code is dropped; the message is scrubbed.
  errorInfo: (body, scrub) => ({
    errorCode: typeof body.errorCode === 'string' && ERROR_CODE.test(body.errorCode) ? body.errorCode : undefined,
    detail: scrub(body.message),
  }),
};

export const crafterTicketRecord = z.object({
  id: z.string(),
  tenant: z.string(),
  profileId: z.string(),
  lastRequestTime: rawDate,
});
export type CrafterTicketRecord = z.output<typeof crafterTicketRecord>;
export type CrafterTicketModel = TokenModelOf<'CRAFTER_TICKET', CrafterTicketRecord>;

export const crafterTickets: TokenSource<'CRAFTER_TICKET', CrafterTicketRecord> = {
  source: 'CRAFTER_TICKET',
  path: (key) => ['api', '1', 'authentication', 'ticket', key.tokenId],
  record: crafterTicketRecord,
  notFound: (body) => body !== null && typeof body === 'object' && (body as { errorCode?: unknown }).errorCode === 'NO_SUCH_TICKET',
};

export const crafterAccessTokenRecord = z.object({
  id: z.string(),
  application: z.string().nullish(),
  master: z.boolean(),
  tenantPermissions: z.array(z.object({ tenant: z.string(), allowedActions: z.array(z.string()) })),
  expiresOn: rawDate,
});
export type CrafterAccessTokenRecord = z.output<typeof crafterAccessTokenRecord>;
const crafterAccessTokenList = z.array(crafterAccessTokenRecord);

/** The parent of `CrafterAccessToken` resolvers. `record.id` is a secret: never output it. */
export interface CrafterAccessTokenModel {
  source: 'CRAFTER_ACCESS_TOKEN';
  fingerprint: string;
  record: CrafterAccessTokenRecord;
}

/** Every access token, from one `access_token/all` call (or the cross-request cache). */
export function readAccessTokens(client: SourceClient, options: CallOptions): Promise<CrafterAccessTokenRecord[]> {
  const read = (response: UpstreamResponse) => {
    // A 404 here means the endpoint is missing (a wrong base URL), not an empty list.
    if (!isSuccess(response.status)) throw client.statusError(response, options);
    return decodeRecord(response, 'CRAFTER_ACCESS_TOKEN', crafterAccessTokenList);
  };
  return client.get(ACCESS_TOKEN_LIST, read, options, { expiresAt: (records) => earliestFutureExpiry(records.map((record) => record.expiresOn)) });
}

export interface AccessTokenIndex {
  /** Every access token, in the upstream's order. */
  all(): Promise<CrafterAccessTokenModel[]>;
  byId(id: string): Promise<CrafterAccessTokenModel | null>;
  byFingerprint(fingerprint: string): Promise<CrafterAccessTokenModel | null>;
}

/** The request's access tokens: the list is read once, at the first lookup, and indexed. */
export function createAccessTokenIndex(client: SourceClient, options: CallOptions): AccessTokenIndex {
  /** Lookups that waited for the list call: its "batch size". */
  let lookups = 0;
  let list: Promise<Indexed> | undefined;
  const indexed = () => {
    lookups += 1;
    return (list ??= readAccessTokens(client, options).then((records): Indexed => {
      options.telemetry?.batch('CRAFTER_ACCESS_TOKEN', lookups);
      const models = records.map(accessTokenModel);
      return { models, byId: new Map(models.map((m) => [m.record.id, m])) };
    }));
  };
  return {
    all: async () => (await indexed()).models,
    byId: async (id) => (await indexed()).byId.get(id) ?? null,
    byFingerprint: async (fingerprint) => {
      const index = await indexed();
      // Hashing every listed id is only needed for a lookup by global id.
      index.byFingerprint ??= new Map(index.models.map((m) => [m.fingerprint, m]));
      return index.byFingerprint.get(fingerprint) ?? null;
    },
  };
}

interface Indexed {
  models: CrafterAccessTokenModel[];
  byId: Map<string, CrafterAccessTokenModel>;
  /** Made by the first lookup by fingerprint. */
  byFingerprint?: Map<string, CrafterAccessTokenModel>;
}

/**
 * The model of one listed access token. Its fingerprint (a SHA-256) is computed when first
 * read, by the `id` field or a lookup by global id, not for every token of every list.
 */
function accessTokenModel(record: CrafterAccessTokenRecord): CrafterAccessTokenModel {
  let fingerprint: string | undefined;
  return {
    source: 'CRAFTER_ACCESS_TOKEN',
    record,
    get fingerprint() {
      return (fingerprint ??= fingerprintSecretId(record.id));
    },
  };
}
