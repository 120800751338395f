/**
 * NetBird: `GET /api/users/{userId}/tokens/{tokenId}` with `Authorization: Token <token>`.
 * The personal access token's secret is never returned. Error bodies are
 * `{ "message", "code" }`; the message is passed on, scrubbed like every upstream text.
 *
 * Caches: the request's loader, one call per distinct (user, token); the opt-in cross-request
 * cache, bounded by the token's `expiration_date`.
 */
import { z } from 'zod';
import { rawDate } from './rawDate.js';
import type { UpstreamApi } from './sourceClient.js';
import type { TokenFields } from './tokenFields.js';
import type { TokenModelOf, TokenSource } from './tokenSource.js';

export const netbirdApi: UpstreamApi = {
  accept: 'application/json',
  authorize: (credential) => ({ headers: { authorization: `Token ${credential}` } }),
  errorInfo: (body, scrub) => ({ detail: scrub(body.message) }),
};

export const netbirdPATRecord = z.object({
  id: z.string(),
  name: z.string(),
  expiration_date: rawDate,
  created_by: z.string(),
  created_at: rawDate,
  last_used: rawDate,
});
export type NetbirdPATRecord = z.output<typeof netbirdPATRecord>;
export type NetbirdPATModel = TokenModelOf<'NETBIRD', NetbirdPATRecord>;

/** The owner is the user the token was asked (or listed) for: NetBird's record does not name it. */
export const netbirdFields: TokenFields<NetbirdPATModel> = {
  tokenId: (model) => model.record.id,
  name: (model) => model.record.name,
  owner: (model) => model.key.userId,
  createdBy: (model) => model.record.created_by,
  createdAt: { field: 'created_at', value: (model) => model.record.created_at },
  expiresAt: { field: 'expiration_date', value: (model) => model.record.expiration_date },
  lastUsedAt: { field: 'last_used', value: (model) => model.record.last_used },
};

export const netbirdTokens: TokenSource<'NETBIRD', NetbirdPATRecord> = {
  source: 'NETBIRD',
  path: (key) => ['api', 'users', key.userId, 'tokens', key.tokenId],
  record: netbirdPATRecord,
  expiry: (record) => record.expiration_date,
};
