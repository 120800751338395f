/**
 * NetApp Astra Control: `GET /accounts/{accountId}/core/v1/users/{userId}/tokens/{tokenId}`
 * with `Authorization: Bearer <token>`. The stored token's secret is never returned by
 * Astra, and the record schema drops it should it ever appear.
 *
 * Error bodies (400, 401, 403, 404) are problem details:
 * `{ type, title, detail, status, correlationID? }` (`status` is a string there); `detail`
 * (or `title`) and `correlationID` are passed on.
 *
 * Caches: the request's loader, one call per distinct (account, user, token); the opt-in
 * cross-request cache (Astra tokens carry no expiry).
 */
import { z } from 'zod';
import { rawDate } from './rawDate.js';
import type { UpstreamApi } from './sourceClient.js';
import type { TokenFields } from './tokenFields.js';
import type { TokenModelOf, TokenSource } from './tokenSource.js';

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

/** Astra tokens have no expiry and record no use. */
export const astraFields: TokenFields<AstraTokenModel> = {
  tokenId: (model) => model.record.id,
  name: (model) => model.record.name,
  owner: (model) => model.record.userID,
  createdBy: (model) => model.record.metadata.createdBy ?? null,
  createdAt: { field: 'metadata.creationTimestamp', value: (model) => model.record.metadata.creationTimestamp },
  expiresAt: null,
  lastUsedAt: null,
};

export const astraTokens: TokenSource<'ASTRA', AstraTokenRecord> = {
  source: 'ASTRA',
  path: (key) => ['accounts', key.accountId, 'core', 'v1', 'users', key.userId, 'tokens', key.tokenId],
  record: astraTokenRecord,
};
