/**
 * Imitates the NetBird REST API (seed 003 and its users endpoints), with
 * `Authorization: Token <token>`; every answer is `application/json`:
 * - `GET /api/users/{userId}/tokens/{tokenId}`: one PersonalAccessToken (`last_used` absent for a
 *   token never used). Any user's token can be read by id here.
 * - `GET /api/users/{userId}/tokens`: a JSON array of that user's PATs, or `null` when there are
 *   none (NetBird encodes an empty Go slice so). Like NetBird, only the caller's own tokens and,
 *   for an admin or owner, service users' tokens: anyone else's is 403.
 * - `GET /api/users` (optionally `?service_user=true|false`, parsed like Go's ParseBool): a JSON
 *   array of User objects; `GET /api/users/current`: the caller's own User object.
 * - `DELETE /api/users/{userId}/tokens/{tokenId}`: revokes a PAT for real until restart (200 with
 *   `{}`), with the same permissions as listing.
 * Errors are `{"message": ..., "code": <status>}`, with NetBird's messages.
 */
import { STATUS_CODES } from 'node:http';
import { DEMO_CREDENTIALS, DEMO_NETBIRD_CURRENT_USER, demoData, type DemoNetbirdEntry, type DemoNetbirdPAT, type DemoNetbirdUser } from './demoData.js';
import {
  authorization,
  jsonAnswer,
  matchRoute,
  startFakeUpstream,
  type Answer,
  type FakeUpstream,
  type InFlightMeter,
} from './fakeUpstream.js';

export interface NetbirdUpstreamOptions {
  port?: number;
  prefix?: string;
  meter?: InFlightMeter;
  /** The one valid personal access token. Default `DEMO_CREDENTIALS.netbird`. */
  credential?: string;
  /** Default: `demoData(new Date()).netbird`. */
  data?: DemoNetbirdEntry[];
  /** Default: `demoData(new Date()).netbirdUsers`. */
  users?: DemoNetbirdUser[];
  /** The user `credential` belongs to. Default `DEMO_NETBIRD_CURRENT_USER` (alice, an admin). */
  currentUser?: string;
}

const CONTENT_TYPE = 'application/json';

function netbirdError(status: number, message: string): Answer {
  return jsonAnswer(status, { message, code: status }, CONTENT_TYPE);
}

function errorBody(status: number): { body: string; contentType: string } {
  return netbirdError(status, (STATUS_CODES[status] ?? 'error').toLowerCase());
}

/** Go's strconv.ParseBool, which NetBird applies to `service_user`. */
function parseBool(value: string): boolean | undefined {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(value)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(value)) return false;
  return undefined;
}

export function startNetbirdUpstream(options: NetbirdUpstreamOptions = {}): Promise<FakeUpstream> {
  const data = options.data ?? demoData(new Date()).netbird;
  const users = options.users ?? demoData(new Date()).netbirdUsers;
  const credential = options.credential ?? DEMO_CREDENTIALS.netbird;
  const currentUserId = options.currentUser ?? DEMO_NETBIRD_CURRENT_USER;
  // `is_current` depends on who asks, so it is added here rather than kept in the data.
  const userObject = (user: DemoNetbirdUser) => ({ ...user, is_current: user.id === currentUserId });
  // Indexed once, in the data's order: lists of thousands are read once per user.
  const userById = new Map(users.map((u) => [u.id, u]));
  const tokensOf = new Map<string, DemoNetbirdPAT[]>();
  for (const { userId, token } of data) {
    const tokens = tokensOf.get(userId);
    if (tokens) tokens.push(token);
    else tokensOf.set(userId, [token]);
  }
  const isKnownUser = (userId: string) => userById.has(userId) || tokensOf.has(userId);

  /** The caller's own tokens, and an admin's or owner's service users' tokens, as NetBird allows. */
  const mayManage = (userId: string) => {
    const target = userById.get(userId);
    const caller = userById.get(currentUserId);
    return userId === currentUserId || (target?.is_service_user === true && (caller?.role === 'admin' || caller?.role === 'owner'));
  };

  return startFakeUpstream({
    name: 'NetBird',
    port: options.port,
    prefix: options.prefix,
    meter: options.meter,
    errorBody,
    handle(call, path) {
      const given = authorization(call, 'Token');
      if (given === undefined) return netbirdError(401, 'no valid authentication provided');
      if (given !== credential) return netbirdError(401, 'token invalid');

      if (path === '/api/users') {
        const filter = call.query.service_user;
        if (filter === undefined || filter === '') return jsonAnswer(200, users.map(userObject), CONTENT_TYPE);
        const serviceUsers = parseBool(filter);
        if (serviceUsers === undefined) return netbirdError(400, 'invalid service_user query parameter');
        return jsonAnswer(200, users.filter((u) => u.is_service_user === serviceUsers).map(userObject), CONTENT_TYPE);
      }
      if (path === '/api/users/current') {
        const current = userById.get(currentUserId);
        if (!current) return netbirdError(404, `user ${currentUserId} not found`);
        return jsonAnswer(200, userObject(current), CONTENT_TYPE);
      }

      const list = matchRoute('/api/users/:userId/tokens', path);
      if (list) {
        if (!isKnownUser(list.userId!)) return netbirdError(404, `user ${list.userId} not found`);
        if (!mayManage(list.userId!)) return netbirdError(403, 'no permission to get PAT for this user');
        const tokens = tokensOf.get(list.userId!) ?? [];
        // NetBird's handler appends to a nil slice, which Go's encoder writes as `null`.
        return jsonAnswer(200, tokens.length > 0 ? tokens : null, CONTENT_TYPE);
      }

      const params = matchRoute(TOKEN_ROUTE, path);
      if (!params) return netbirdError(404, 'not found');
      if (!isKnownUser(params.userId!)) return netbirdError(404, `user ${params.userId} not found`);
      const token = tokensOf.get(params.userId!)?.find((t) => t.id === params.tokenId);
      if (!token) return netbirdError(404, `PAT with ID ${params.tokenId} not found`);
      return jsonAnswer(200, token, CONTENT_TYPE);
    },
    write(call, path) {
      const params = matchRoute(TOKEN_ROUTE, path);
      if (call.method !== 'DELETE' || !params) return undefined;
      const given = authorization(call, 'Token');
      if (given === undefined) return netbirdError(401, 'no valid authentication provided');
      if (given !== credential) return netbirdError(401, 'token invalid');
      if (!isKnownUser(params.userId!)) return netbirdError(404, `user ${params.userId} not found`);
      if (!mayManage(params.userId!)) return netbirdError(403, 'no permission to delete PAT for this user');
      const tokens = tokensOf.get(params.userId!) ?? [];
      const index = tokens.findIndex((t) => t.id === params.tokenId);
      if (index < 0) return netbirdError(404, `PAT with ID ${params.tokenId} not found`);
      tokens.splice(index, 1);
      return jsonAnswer(200, {}, CONTENT_TYPE);
    },
  });
}

const TOKEN_ROUTE = '/api/users/:userId/tokens/:tokenId';
