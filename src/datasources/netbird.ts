/**
 * NetBird: `GET /api/users/{userId}/tokens/{tokenId}` with `Authorization: Token <token>`.
 * The personal access token's secret is never returned. Error bodies are
 * `{ "message", "code" }`; the message is passed on, scrubbed like every upstream text.
 *
 * Listing (contract §7): the users (`GET /api/users/current` and `GET /api/users?service_user=true`,
 * or `GET /api/users` with NETBIRD_INVENTORY=all), then `GET /api/users/{userId}/tokens` per distinct
 * user, each a JSON array shaped like the single answers; no paging. NetBird lets an admin list
 * only its own and the service users' tokens: other users answer 403, each one a failed part.
 *
 * Caches: the request's loader, one call per distinct (user, token); the opt-in cross-request
 * cache, bounded by the token's `expiration_date`. Listings are not cached here (the inventory
 * keeps its own snapshot).
 */
import { z } from 'zod';
import { rawDate } from './rawDate.js';
import type { SourceClient, UpstreamApi } from './sourceClient.js';
import type { TokenFields } from './tokenFields.js';
import { readEach, type ListFailure, type TokenLister } from './tokenListing.js';
import type { TokenRevoker } from './tokenRevocation.js';
import type { TokenModelOf, TokenSource } from './tokenSource.js';
import type { CallOptions } from './upstreamClient.js';

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

/** `DELETE /api/users/{userId}/tokens/{tokenId}` revokes a PAT (contract §9): 200 with `{}`. */
export const netbirdRevoker: TokenRevoker<'NETBIRD'> = { method: 'DELETE', path: netbirdTokens.path };

/** A user as NetBird lists them; only the id is read. */
const netbirdUser = z.object({ id: z.string() });
// List schemas are built once: zod compiles a schema on its first parse, and building one per
// call cost about 70 ms of CPU per 3,500-token read (npm run bench:inventory's profile).
const netbirdUsers = z.array(netbirdUser);
/** A user's tokens; a user with none is answered `null` (NetBird fills a nil Go slice, which encoding/json writes as null). */
const netbirdUserTokens = z.array(netbirdPATRecord).nullable();

export const listNetbirdTokens: TokenLister<NetbirdPATModel> = async (client, settings, options) => {
  const failures: ListFailure[] = [];
  const userLists: Array<[scope: string, read: () => Promise<Array<{ id: string }>>]> =
    settings.netbirdUsers === 'all'
      ? [['users', () => client.getRecord({ segments: ['api', 'users'] }, netbirdUsers, options)]]
      : [
          ['current user', () => client.getRecord({ segments: ['api', 'users', 'current'] }, netbirdUser, options).then((user) => [user])],
          ['service users', () => client.getRecord({ segments: ['api', 'users'], query: { service_user: 'true' } }, netbirdUsers, options)],
        ];
  const users = await readEach(client, userLists, ([scope]) => scope, ([, read]) => read(), failures);
  const userIds = [...new Set(users.map((user) => user.id))];
  const tokens = await readEach(client, userIds, (userId) => `user ${userId}`, (userId) => userTokens(client, userId, options), failures);
  return { tokens, failures };
};

function userTokens(client: SourceClient, userId: string, options: CallOptions): Promise<NetbirdPATModel[]> {
  const records = client.getRecord({ segments: ['api', 'users', userId, 'tokens'] }, netbirdUserTokens, options);
  return records.then((list) => (list ?? []).map((record) => ({ source: 'NETBIRD', key: { source: 'NETBIRD', userId, tokenId: record.id }, record })));
}
