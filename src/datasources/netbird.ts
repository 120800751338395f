/**
 * NetBird: `GET /api/users/{userId}/tokens/{tokenId}` with `Authorization: Token <token>`.
 * The personal access token's secret is never returned. Error bodies are
 * `{ "message", "code" }`; the message is passed on, scrubbed like every upstream text.
 *
 * Listing (contract §7): the users (`GET /api/users`, one call), then `GET /api/users/{userId}/tokens`
 * per distinct user listed (the current user and the service users, or every user with
 * NETBIRD_INVENTORY=all), each a JSON array shaped like the single answers, or `null`; no paging.
 * NetBird lets an admin list only its own and the service users' tokens: other users answer 403,
 * each one a failed part whose message says what NetBird allows.
 *
 * Caches: the request's loader, one call per distinct (user, token); the opt-in cross-request
 * cache, bounded by the token's `expiration_date`. Listings are not cached here (the inventory
 * keeps its own snapshot).
 */
import { z } from 'zod';
import { rawDate } from './rawDate.js';
import type { NotFoundAnswer, SourceClient, UpstreamApi } from './sourceClient.js';
import type { TokenFields } from './tokenFields.js';
import { TokengraphError, upstreamError, type UpstreamInfo } from '../shared/errors.js';
import { partId, readEach, type TokenLister } from './tokenListing.js';
import type { TokenRevoker } from './tokenRevocation.js';
import type { TokenModelOf, TokenSource } from './tokenSource.js';
import type { CallOptions } from './upstreamClient.js';

export const netbirdApi: UpstreamApi = {
  accept: 'application/json',
  authorize: (credential) => ({ headers: { authorization: `Token ${credential}` } }),
  errorInfo: (body, scrub) => ({ detail: scrub(body.message) }),
  // Since 0.59.13 NetBird answers a well-formed PAT it does not know (revoked, say) with 404
  // `invalid token: pat: <hash> not found` (auth_middleware.go): tokengraph's credential refused, not a token gone.
  refusesCredential: (status, body) => status === 404 && typeof body.message === 'string' && body.message.startsWith('invalid token'),
};

/**
 * NetBird's own not-found, a 404 written by util.WriteError: `{"message": "pat: <id> not found",
 * "code": 404}` (or the user's). gorilla/mux's plain-text `404 page not found` (a path no route
 * matches: a wrong NETBIRD_URL) is not; nor is `invalid token` (SourceClient.isNotFound).
 */
const netbirdNotFound: NotFoundAnswer = (response, body) =>
  response.status === 404 && (body as { code?: unknown }).code === 404 && typeof (body as { message?: unknown }).message === 'string';

export const netbirdPATRecord = z.object({
  id: z.string(),
  name: z.string(),
  expiration_date: rawDate,
  created_by: z.string(),
  created_at: rawDate,
  last_used: rawDate,
});
export type NetbirdPATRecord = z.output<typeof netbirdPATRecord>;
/** A listed token's owner, as NetBird's users list said (absent for a token read by id). */
export interface NetbirdOwner {
  blocked: boolean;
  /** `active`, `invited` or `blocked`; null when NetBird did not say. */
  status: string | null;
}
export type NetbirdPATModel = TokenModelOf<'NETBIRD', NetbirdPATRecord> & { owner?: NetbirdOwner };

/**
 * Go's zero `time.Time`, which a NetBird server writes for a date it never stored (a `last_used` of a
 * row written before 0.36.0): no date, not the year 1. Not for `expiration_date`: NetBird writes a
 * NULL expiry as the zero time too (pat_handler.go, `pat.GetExpirationDate()`), and its auth
 * middleware refuses such a PAT as expired (`time.Now().After(pat.GetExpirationDate())`), so it is
 * read as the year 1 it is: EXPIRED, found and exported as expired, as the cache's bound reads it.
 */
const unset = (value: string | number | null | undefined) => (typeof value === 'string' && value.startsWith('0001-01-01T00:00:00') ? null : value);

/** The owner is the user the token was asked (or listed) for: NetBird's record does not name it. */
export const netbirdFields: TokenFields<NetbirdPATModel> = {
  tokenId: (model) => model.record.id,
  name: (model) => model.record.name,
  owner: (model) => model.key.userId,
  createdBy: (model) => model.record.created_by,
  createdAt: { field: 'created_at', value: (model) => unset(model.record.created_at) },
  expiresAt: { field: 'expiration_date', value: (model) => model.record.expiration_date },
  lastUsedAt: { field: 'last_used', value: (model) => unset(model.record.last_used) },
  ownerInactive: (model) => model.owner !== undefined && (model.owner.blocked || (model.owner.status !== null && model.owner.status !== 'active')),
};

export const netbirdTokens: TokenSource<'NETBIRD', NetbirdPATRecord> = {
  source: 'NETBIRD',
  path: (key) => ['api', 'users', key.userId, 'tokens', key.tokenId],
  record: netbirdPATRecord,
  notFound: netbirdNotFound,
  expiry: (record) => record.expiration_date,
};

/** `DELETE /api/users/{userId}/tokens/{tokenId}` revokes a PAT (contract §9): 200 with `{}`. */
export const netbirdRevoker: TokenRevoker<'NETBIRD'> = { method: 'DELETE', path: netbirdTokens.path, notFound: netbirdNotFound };

/**
 * A user as `GET /api/users` lists them (contract §7, §10): every user of the account but those
 * NetBird marks non-deletable, each with whether it is the caller (`is_current`), a service user,
 * blocked, and its status (`active`, `invited`, `blocked`).
 */
const netbirdUser = z.object({
  id: z.string(),
  is_current: z.boolean().nullish(),
  is_service_user: z.boolean().nullish(),
  is_blocked: z.boolean().nullish(),
  status: z.string().nullish(),
});
type NetbirdUser = z.output<typeof netbirdUser>;
// List schemas are built once: zod compiles a schema on its first parse, and building one per
// call cost about 70 ms of CPU per 3,500-token read (npm run bench:inventory's profile).
const netbirdUsers = z.array(netbirdUser);
/** A user's tokens; a user with none is answered `null` (NetBird fills a nil Go slice, which encoding/json writes as null). */
const netbirdUserTokens = z.array(netbirdPATRecord).nullable();

/** What NetBird lets a credential read of other users' tokens, for the gap of a user it refuses. */
const WHO_MAY_READ =
  "NetBird lets an admin or owner read only their own tokens and service users' tokens, a service user its own, and a regular user of role user none at all (NETBIRD_INVENTORY=service lists exactly what an admin may read)";

/**
 * The users whose tokens are listed: with `service`, the caller (`is_current`) and every service
 * user; with `all`, every user NetBird lists. One `GET /api/users` either way: `GET
 * /api/users/current` is never called, since NetBird refuses it to service users (the usual
 * automation identity) and servers before 0.41.1 lack it.
 */
export const listNetbirdTokens: TokenLister<NetbirdPATModel> = async (context) => {
  const { client, settings, options } = context;
  const users = await readEach(context, [partId('NETBIRD')], () => ({ id: partId('NETBIRD'), scope: 'users' }), () =>
    client.getRecord({ segments: ['api', 'users'] }, netbirdUsers, options),
  );
  const listed = users.filter((user) => settings.netbirdUsers === 'all' || user.is_current === true || user.is_service_user === true);
  // NetBird answers its users from a Go map, in a new order each time: sorted, a gap names the same users every read.
  const distinct = [...new Map(listed.map((user) => [user.id, user])).values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  await readEach(
    context,
    distinct,
    (user) => ({ id: partId('NETBIRD', user.id), scope: `user ${user.id}` }),
    (user) => userTokens(client, user, options),
    (tokens) => tokens,
  );
};

function userTokens(client: SourceClient, user: NetbirdUser, options: CallOptions): Promise<NetbirdPATModel[]> {
  const owner = ownerOf(user);
  const records = client.getRecord({ segments: ['api', 'users', user.id, 'tokens'] }, netbirdUserTokens, options).catch((error: unknown) => {
    throw error instanceof TokengraphError && error.code === 'UPSTREAM_FORBIDDEN' ? explained(error) : error;
  });
  return records.then((list) =>
    (list ?? []).map((record): NetbirdPATModel => ({ source: 'NETBIRD', key: { source: 'NETBIRD', userId: user.id, tokenId: record.id }, record, owner })),
  );
}

/** What the listing says of the token's owner: blocked, or a status other than active, makes it inactive (contract §11). */
function ownerOf(user: NetbirdUser): NetbirdOwner {
  return { blocked: user.is_blocked === true, status: user.status ?? null };
}

/** NetBird's 403 for another user's tokens, with what NetBird allows: the gap then says why. */
function explained(error: TokengraphError): TokengraphError {
  const upstream = error.extensions.upstream as UpstreamInfo;
  return upstreamError('UPSTREAM_FORBIDDEN', upstream, `NETBIRD denied access (403): ${WHO_MAY_READ}`);
}
