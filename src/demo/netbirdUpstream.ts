/**
 * Imitates NetBird's management REST API (seed 003, its users endpoints, and what its source does:
 * contract §10), with `Authorization: Token <pat>` (or `Bearer nbp_…`); every answer is
 * `application/json`. Each fact names where netbirdio/netbird does it.
 *
 * - `GET /api/users`: the caller's account's users as User objects, with `is_current`,
 *   `pending_approval` and `last_login` (Go's zero time for one who never logged in), in a new
 *   order at every call (NetBird answers them from a Go map), except those marked non-deletable
 *   (handlers/users/users_handler.go getAllUsers skips `NonDeletable`; NetBird sets that mark from
 *   an external identity provider's answer, so without one such users are listed: this fake is a
 *   NetBird with one). A credential of role `user` that is not a service user sees only itself
 *   (user.go GetUsersFromAccount). `?service_user=` is Go's ParseBool; a bad value is 422 (status
 *   InvalidArgument), checked inside the loop over users as NetBird does.
 * - `GET /api/users/current`: the caller, but 403 `permission denied` for a service user
 *   (user.go GetCurrentUserInfo; the route exists since 0.41.1).
 * - `GET /api/users/{userId}/tokens` (list), `GET …/tokens/{tokenId}` and `DELETE …/tokens/{tokenId}`
 *   (user.go GetAllPATs, GetPAT, DeletePAT), checked in NetBird's order: the caller's permission
 *   (a role `user` that is not a service user: 403 `permission denied`; a service user may always
 *   read, but deletes only with admin power); the target user (404 `user: <id> not found`; in
 *   another account, 403 `permission denied`); then another user's tokens only for an admin or owner
 *   and only of a service user (403 `admin role required to perform this action`); then the token
 *   (404 `pat: <id> not found`). A user with no tokens is `null` (a nil Go slice); DELETE answers
 *   200 `{}`. Expired PATs are listed like the others.
 * - Credentials: a missing one is 401 `no valid authentication provided`; one whose length, prefix
 *   or checksum is wrong (netbirdPats.ts), or expired, 401 `token invalid`; a well-formed PAT nobody
 *   has, or one deleted through `DELETE …/tokens/{tokenId}` (a credential's own `patId` included),
 *   is 404 `invalid token: pat: <hash> not found` (auth_middleware.go, since 0.59.13): a 404 that is
 *   not about the resource asked for. Every call made with a PAT marks that
 *   PAT used (`last_used`, to the nanosecond).
 * - Rate limiting (middleware/rate_limiter.go, off unless NB_API_RATE_LIMITING_ENABLED): a token
 *   bucket per PAT (kept by its hash, idle ones dropped: netbirdRateLimiter.ts), `burst` and then
 *   `perMinute` a minute (NetBird's defaults 500 and 6), charged before the credential is checked,
 *   except for a `terraform` User-Agent; over it, 429 `{"message":"too many requests","code":429}`
 *   with no `Retry-After`.
 *
 * Answers are `application/json; charset=UTF-8`, each ending in a newline (Go's json.Encoder).
 * Errors are `{"message", "code"}` with the message lower-cased whole, echoed ids included (shared
 * util.WriteError); a path no route matches is gorilla/mux's plain-text `404 page not found`.
 *
 * Checked against a NetBird management server built from source (v0.77.1, ee253fed): the same
 * statuses for 83 requests, the error bodies byte for byte.
 */
import { STATUS_CODES } from 'node:http';
import { DEMO_NETBIRD_CREDENTIALS, demoData, type DemoNetbirdEntry, type DemoNetbirdPAT, type DemoNetbirdUser } from './demoData.js';
import { matchRoute, startFakeUpstream, type Answer, type FakeUpstream, type InFlightMeter, type RecordedCall } from './fakeUpstream.js';
import { hashedPat, isWellFormedPat } from './netbirdPats.js';
import { createPatRateLimiter, type PatRateLimit } from './netbirdRateLimiter.js';

export interface NetbirdUpstreamOptions {
  port?: number;
  prefix?: string;
  meter?: InFlightMeter;
  /** The valid PATs and whose they are. Default `DEMO_NETBIRD_CREDENTIALS` (alice, an admin; svc-ci, a service user; bob, a user). */
  credentials?: Readonly<Record<string, NetbirdCredential>>;
  /** Default: `demoData(new Date()).netbird`. */
  data?: DemoNetbirdEntry[];
  /** Default: `demoData(new Date()).netbirdUsers`. */
  users?: DemoNetbirdUser[];
  /** NetBird's API rate limiting (NB_API_RATE_LIMITING_*); default off, as NetBird's. */
  rateLimit?: PatRateLimit;
}

/** A PAT the fake accepts: the user it belongs to, and its own id among that user's tokens, if it is listed. */
export interface NetbirdCredential {
  userId: string;
  patId?: string;
}

const CONTENT_TYPE = 'application/json; charset=UTF-8';
/** Go's zero time, as NetBird writes a `last_login` that never happened. */
const GO_ZERO_TIME = '0001-01-01T00:00:00Z';

/** An answer as NetBird's util.WriteJSONObject writes it: JSON and a newline. */
function netbirdAnswer(status: number, value: unknown): Answer {
  return { status, body: `${JSON.stringify(value)}\n`, contentType: CONTENT_TYPE };
}

/** NetBird's error body; its message lower-cased whole (util.WriteError), ids included. */
function netbirdError(status: number, message: string): Answer {
  return netbirdAnswer(status, { message: message.toLowerCase(), code: status });
}

/**
 * A time as Go writes `time.Now().UTC()` in JSON: nine fraction digits, trailing zeros cut. The
 * clock is read once, so seconds and milliseconds are of one moment (hrtime adds digits below the
 * millisecond only). Exported for its test.
 */
export function goNow(): string {
  const now = Date.now();
  const nanos = `${String(now % 1000).padStart(3, '0')}${String(Number(process.hrtime.bigint() % 1_000_000n)).padStart(6, '0')}`.replace(/0+$/, '');
  return `${new Date(now).toISOString().slice(0, 19)}${nanos ? `.${nanos}` : ''}Z`;
}

/** gorilla/mux's answer for a path no route matches (http.NotFound): no JSON, no auth checked. */
const NO_ROUTE: Answer = { status: 404, body: '404 page not found\n', contentType: 'text/plain; charset=utf-8' };

function errorBody(status: number): { body: string; contentType: string } {
  // A 404 of NetBird's own names what is not found (`pat: <id> not found`); a bare one is a path no route matches.
  return status === 404 ? NO_ROUTE : netbirdError(status, STATUS_CODES[status] ?? 'error');
}

/** Go's strconv.ParseBool, which NetBird applies to `service_user`. */
function parseBool(value: string): boolean | undefined {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(value)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(value)) return false;
  return undefined;
}

const permissionDenied = () => netbirdError(403, 'permission denied');

export function startNetbirdUpstream(options: NetbirdUpstreamOptions = {}): Promise<FakeUpstream> {
  const data = options.data ?? demoData(new Date()).netbird;
  const users = options.users ?? demoData(new Date()).netbirdUsers;
  const credentials = options.credentials ?? DEMO_NETBIRD_CREDENTIALS;
  // Indexed once, in the data's order: lists of thousands are read once per user.
  const userById = new Map(users.map((u) => [u.id, u]));
  const tokensOf = new Map<string, DemoNetbirdPAT[]>();
  for (const { userId, token } of data) {
    const tokens = tokensOf.get(userId);
    if (tokens) tokens.push(token);
    else tokensOf.set(userId, [token]);
  }
  const limiter = options.rateLimit && createPatRateLimiter(options.rateLimit);
  /** Lists of users answered so far: each starts where the last left off, as a Go map's order changes. */
  let userLists = 0;

  /** Whether NetBird's limiter lets this call through (rate_limiter.go: a bucket per PAT). */
  const allowed = (call: RecordedCall, pat: string | undefined): boolean => {
    if (!limiter || pat === undefined || /terraform/i.test(call.headers['user-agent'] ?? '')) return true;
    return limiter.allow(pat);
  };

  /** The caller, or the answer refusing it (rate limit, then authentication: auth_middleware.go's order). */
  const callerOf = (call: RecordedCall): DemoNetbirdUser | Answer => {
    const pat = patOf(call);
    if (!allowed(call, pat)) return netbirdError(429, 'too many requests');
    if (pat === undefined) return netbirdError(401, 'no valid authentication provided');
    const known = credentials[pat];
    const own = known?.patId === undefined ? undefined : tokensOf.get(known.userId)?.find((t) => t.id === known.patId);
    // A PAT nobody has, or one deleted since (DELETE …/tokens/{id}: sql_store.go DeletePAT removes
    // its row): manager.go extractPATFromToken → GetPATByHashedToken finds no row.
    if (!known || (known.patId !== undefined && !own)) {
      if (!isWellFormedPat(pat)) return netbirdError(401, 'token invalid');
      return netbirdError(404, `invalid token: pat: ${hashedPat(pat)} not found`);
    }
    const user = userById.get(known.userId);
    if (!user) return netbirdError(401, 'token invalid');
    if (own) {
      if (Date.parse(own.expiration_date) <= Date.now()) return netbirdError(401, 'token invalid');
      // checkPATFromRequest → MarkPATUsed: every call made with a PAT marks it used.
      own.last_used = goNow();
    }
    return user;
  };

  const hasAdminPower = (user: DemoNetbirdUser) => user.role === 'admin' || user.role === 'owner';

  /** NetBird's checks before it touches another user's tokens (user.go GetAllPATs / GetPAT / DeletePAT). */
  const mayTouchTokensOf = (caller: DemoNetbirdUser, targetId: string, operation: 'read' | 'delete'): Answer | undefined => {
    // permissions/manager.go: a service user may always read; role `user` has no grant on PATs.
    const permitted = hasAdminPower(caller) || (operation === 'read' && caller.is_service_user);
    if (!permitted) return permissionDenied();
    const target = userById.get(targetId);
    if (!target) return netbirdError(404, `user: ${targetId} not found`);
    if ((target.account ?? 'main') !== (caller.account ?? 'main')) return permissionDenied();
    if (caller.id !== target.id && !(hasAdminPower(caller) && target.is_service_user)) return netbirdError(403, 'admin role required to perform this action');
    return undefined;
  };

  return startFakeUpstream({
    name: 'NetBird',
    port: options.port,
    prefix: options.prefix,
    meter: options.meter,
    errorBody,
    handle(call, path) {
      const caller = callerOf(call);
      if ('contentType' in caller) return caller;
      const userObject = (user: DemoNetbirdUser) => ({ last_login: GO_ZERO_TIME, ...publicUser(user), is_current: user.id === caller.id, pending_approval: false });

      if (path === '/api/users') {
        // GetUsersFromAccount: users:read (admin, owner, any service user) lists the account; anyone else only itself.
        const visible = hasAdminPower(caller) || caller.is_service_user ? inAnotherOrder(users.filter((u) => (u.account ?? 'main') === (caller.account ?? 'main')), userLists++) : [caller];
        const filter = call.query.service_user;
        const listed: unknown[] = [];
        for (const user of visible) {
          if (user.non_deletable) continue;
          if (filter === undefined || filter === '') {
            listed.push(userObject(user));
            continue;
          }
          const serviceUsers = parseBool(filter);
          if (serviceUsers === undefined) return netbirdError(422, 'invalid service_user query parameter');
          if (user.is_service_user === serviceUsers) listed.push(userObject(user));
        }
        return netbirdAnswer(200, listed);
      }
      if (path === '/api/users/current') {
        if (caller.is_service_user) return permissionDenied();
        return netbirdAnswer(200, userObject(caller));
      }

      const list = matchRoute('/api/users/:userId/tokens', path);
      if (list) {
        const refused = mayTouchTokensOf(caller, list.userId!, 'read');
        if (refused) return refused;
        const tokens = tokensOf.get(list.userId!) ?? [];
        // pat_handler.go getAllTokens appends to a nil slice, which Go's encoder writes as `null`.
        return netbirdAnswer(200, tokens.length > 0 ? tokens : null);
      }

      const params = matchRoute(TOKEN_ROUTE, path);
      if (!params) return NO_ROUTE;
      const refused = mayTouchTokensOf(caller, params.userId!, 'read');
      if (refused) return refused;
      const token = tokensOf.get(params.userId!)?.find((t) => t.id === params.tokenId);
      if (!token) return netbirdError(404, `pat: ${params.tokenId} not found`);
      return netbirdAnswer(200, token);
    },
    write(call, path) {
      const params = matchRoute(TOKEN_ROUTE, path);
      if (call.method !== 'DELETE' || !params) return undefined;
      const caller = callerOf(call);
      if ('contentType' in caller) return caller;
      const refused = mayTouchTokensOf(caller, params.userId!, 'delete');
      if (refused) return refused;
      const tokens = tokensOf.get(params.userId!) ?? [];
      const index = tokens.findIndex((t) => t.id === params.tokenId);
      if (index < 0) return netbirdError(404, `pat: ${params.tokenId} not found`);
      tokens.splice(index, 1);
      return netbirdAnswer(200, {});
    },
  });
}

const TOKEN_ROUTE = '/api/users/:userId/tokens/:tokenId';

/** The PAT of `Authorization: Token <pat>`, or of `Bearer nbp_…` (NetBird takes a PAT either way). */
function patOf(call: RecordedCall): string | undefined {
  const match = /^(\S+)\s+(\S+)$/.exec(call.headers.authorization ?? '');
  if (!match) return undefined;
  const scheme = match[1]!.toLowerCase();
  if (scheme === 'token') return match[2];
  if (scheme === 'bearer' && match[2]!.startsWith('nbp_')) return match[2];
  return undefined;
}

/** `items` starting at a place that moves with `turn`: a new order at each call, and every item once. */
function inAnotherOrder<T>(items: readonly T[], turn: number): T[] {
  if (items.length === 0) return [];
  const start = (turn * 7) % items.length;
  return [...items.slice(start), ...items.slice(0, start)];
}

/** A user as the API shows it: without what is the fake's own bookkeeping. */
function publicUser(user: DemoNetbirdUser): Omit<DemoNetbirdUser, 'account' | 'non_deletable'> {
  const { account: _account, non_deletable: _nonDeletable, ...shown } = user;
  return shown;
}
