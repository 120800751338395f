/**
 * Imitates NetApp Astra Control's token and user endpoints (seed 002 and the users collection),
 * with `Authorization: Bearer <token>`:
 * - `GET /accounts/{account_id}/core/v1/users/{user_id}/tokens/{token_id}`: one token, as the
 *   vendor type `application/astra-token+json`.
 * - `GET /accounts/{account_id}/core/v1/users` (`application/astra-users+json`) and
 *   `GET /accounts/{account_id}/core/v1/users/{user_id}/tokens` (`application/astra-tokens+json`):
 *   `{"items": [...], "metadata": {...}}`, at most `pageSize` items a page. While more follow,
 *   `metadata.continue` is an opaque standard-base64 string (with `+`, `/` and `=`: contract §10)
 *   to send back, URL-encoded, as `?continue=`; the last page's metadata has no `continue` at all
 *   (`{}`), as Astra answers a short list. Tokens are `version` "1.0", the one the API documents.
 * - `DELETE /accounts/{account_id}/core/v1/users/{user_id}/tokens/{token_id}`: revokes the token
 *   for real until restart, answering 204 with no body.
 * Every error is an RFC 7807 problem (`application/problem+json`) whose `status` is a string and
 * which carries a fresh `correlationID`, as the real API does; its type, title and detail are those
 * reference/astra.json fixes for it (`PROBLEMS` below).
 */
import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import { DEMO_CREDENTIALS, demoData, type DemoAstraEntry, type DemoAstraUserEntry } from './demoData.js';
import {
  authorization,
  jsonAnswer,
  matchRoute,
  startFakeUpstream,
  type Answer,
  type FakeUpstream,
  type InFlightMeter,
  type RecordedCall,
} from './fakeUpstream.js';

export interface AstraUpstreamOptions {
  port?: number;
  prefix?: string;
  meter?: InFlightMeter;
  /** The one valid bearer token. Default `DEMO_CREDENTIALS.astra`. */
  credential?: string;
  /** Default: `demoData(new Date()).astra`. */
  data?: DemoAstraEntry[];
  /** Default: `demoData(new Date()).astraUsers`. */
  users?: DemoAstraUserEntry[];
  /** Most items in one page of a list. Default 25. */
  pageSize?: number;
}

const PROBLEM_TYPE = 'application/problem+json';
const TOKEN_TYPE = 'application/astra-token+json';
const TOKENS_TYPE = 'application/astra-tokens+json';
const USERS_TYPE = 'application/astra-users+json';

/**
 * The problem documents this fake answers, as NetAppDocs/astra-automation reference/astra.json
 * defines them (components/schemas/astra_problem_detail_<n>: type, title, detail and status are
 * each one fixed value there). Its token and user routes answer 401 with problem 3 (no bearer
 * token) or 4 (a bearer token it does not accept), a GET's 404 with problem 2 (astra.json lists no
 * other for any GET of these routes), a DELETE's 404 with problem 1, a 400 with problem 5.
 */
const PROBLEMS = {
  1: [404, 'Resource not found', "The resource specified in the request URI wasn't found."],
  2: [404, 'Collection not found', "The collection specified in the request URI wasn't found."],
  3: [401, 'Missing bearer token', 'The request is missing the required bearer token.'],
  4: [401, 'Invalid bearer token', "The bearer token provided is invalid, revoked, or doesn't exist."],
  5: [400, 'Invalid query parameters', 'The supplied query parameters are invalid.'],
  10: [409, 'JSON resource conflict', 'The request body JSON contains a field that conflicts with an idempotent value.'],
  11: [403, 'Operation not permitted', "The requested operation isn't permitted."],
  24: [503, 'Service unavailable', 'The service is unavailable.'],
  34: [500, 'Internal server error', 'The server was unable to process this request.'],
  40: [502, 'Communication failed', "Communication wasn't made with downstream services."],
} as const satisfies Record<number, readonly [number, string, string]>;
type ProblemNumber = keyof typeof PROBLEMS;

/** The problem an injected status answers with, where astra.json has one for it (401 and 404 depend on the call). */
const PROBLEM_FOR_STATUS: Record<number, ProblemNumber> = { 400: 5, 403: 11, 409: 10, 500: 34, 502: 40, 503: 24 };

/** Problem `number` of astra.json with a fresh `correlationID`; a 400 names the parameter it refuses (`invalidParams`). */
function problem(number: ProblemNumber, invalidParam = 'token_id'): Answer {
  const [status, title, detail] = PROBLEMS[number];
  return jsonAnswer(
    status,
    {
      type: `https://astra.netapp.io/problems/${number}`,
      title,
      detail,
      status: String(status),
      correlationID: randomUUID(),
      ...(status === 400 ? { invalidParams: [{ name: invalidParam, reason: 'Invalid value' }] } : {}),
    },
    PROBLEM_TYPE,
  );
}

/** A 404 as astra.json documents it for the call's method: problem 2 for a GET, 1 for a DELETE. */
const notFound = (call: RecordedCall) => problem(call.method === 'GET' ? 2 : 1);

function errorBody(status: number, call: RecordedCall): { body: string; contentType: string } {
  if (status === 404) return notFound(call);
  const number = status === 401 ? (call.headers.authorization ? 4 : 3) : PROBLEM_FOR_STATUS[status];
  if (number !== undefined) return problem(number);
  // A status astra.json defines no problem for (429, say): RFC 7807's about:blank, titled with its phrase.
  const title = STATUS_CODES[status] ?? 'Error';
  return jsonAnswer(status, { type: 'about:blank', title, detail: `The request failed: ${title.toLowerCase()}.`, status: String(status), correlationID: randomUUID() }, PROBLEM_TYPE);
}

/**
 * Bytes before a `continue`'s JSON whose standard base64 is `+/+/`: Astra's `continue` is opaque
 * standard base64 (the API spec's `type_base64_data`), so it holds `+`, `/` and `=`, which a
 * client must URL-encode. One sent unencoded reaches the fake with its `+` read as a space and is
 * refused, as it would be by Astra.
 */
const CONTINUE_MARK = Buffer.from([0xfb, 0xff, 0xbf]);

/**
 * The `continue` of a list page: standard base64 of where the next page starts, bound to the list
 * it came from, so that a client which builds one itself or carries one over to another list is
 * refused rather than served a plausible page. Padded so that it ends in `=`.
 */
function continueToken(list: string, offset: number): string {
  let json = JSON.stringify({ v: 1, list, offset });
  while ((CONTINUE_MARK.length + Buffer.byteLength(json)) % 3 !== 1) json += ' ';
  return Buffer.concat([CONTINUE_MARK, Buffer.from(json)]).toString('base64');
}

/** The offset in a `continue` made by `continueToken` for `list`; undefined if it is not one. */
function readContinue(value: string, list: string): number | undefined {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(value)) return undefined;
  const bytes = Buffer.from(value, 'base64');
  if (!bytes.subarray(0, CONTINUE_MARK.length).equals(CONTINUE_MARK)) return undefined;
  try {
    const parsed: unknown = JSON.parse(bytes.subarray(CONTINUE_MARK.length).toString('utf8'));
    const { v, list: from, offset } = (parsed ?? {}) as Record<string, unknown>;
    if (v === 1 && from === list && Number.isSafeInteger(offset) && (offset as number) > 0) return offset as number;
  } catch {
    // not a continue of ours: refused below
  }
  return undefined;
}

export async function startAstraUpstream(options: AstraUpstreamOptions = {}): Promise<FakeUpstream> {
  const data = options.data ?? demoData(new Date()).astra;
  const users = options.users ?? demoData(new Date()).astraUsers;
  const credential = options.credential ?? DEMO_CREDENTIALS.astra;
  const pageSize = options.pageSize ?? 25;
  if (!Number.isSafeInteger(pageSize) || pageSize < 1) throw new Error(`Astra fake: pageSize must be a positive integer, got ${pageSize}`);

  // Indexed once, in the data's order: lists of thousands are read once per user.
  const usersOf = groupBy(users, (u) => u.accountId);
  const tokensOf = groupBy(data, (e) => userKey(e.accountId, e.token.userID));
  const accounts = new Set([...usersOf.keys(), ...data.map((e) => e.accountId)]);
  const knownUsers = new Set([...users.map((u) => userKey(u.accountId, u.user.id)), ...tokensOf.keys()]);
  const accountKnown = (accountId: string) => accounts.has(accountId);
  const userKnown = (accountId: string, userId: string) => knownUsers.has(userKey(accountId, userId));

  /** One page of `items`, the whole of the list named `list`. */
  const page = (call: RecordedCall, list: string, items: unknown[], contentType: string): Answer => {
    let offset = 0;
    const given = call.query.continue;
    if (given) {
      const read = readContinue(given, list);
      if (read === undefined) return problem(5, 'continue');
      offset = read;
    }
    const next = offset + pageSize;
    const metadata = next < items.length ? { continue: continueToken(list, next) } : {};
    return jsonAnswer(200, { items: items.slice(offset, next), metadata }, contentType);
  };

  return startFakeUpstream({
    name: 'Astra Control',
    port: options.port,
    prefix: options.prefix,
    meter: options.meter,
    errorBody,
    handle(call, path) {
      const given = authorization(call, 'Bearer');
      if (given === undefined) return problem(3);
      if (given !== credential) return problem(4);

      const usersRoute = matchRoute('/accounts/:accountId/core/v1/users', path);
      if (usersRoute) {
        const { accountId } = usersRoute as { accountId: string };
        if (!accountKnown(accountId)) return notFound(call);
        const items = (usersOf.get(accountId) ?? []).map((u) => u.user);
        return page(call, JSON.stringify(['users', accountId]), items, USERS_TYPE);
      }
      const tokensRoute = matchRoute('/accounts/:accountId/core/v1/users/:userId/tokens', path);
      if (tokensRoute) {
        const { accountId, userId } = tokensRoute as { accountId: string; userId: string };
        if (!accountKnown(accountId)) return notFound(call);
        if (!userKnown(accountId, userId)) return notFound(call);
        const items = (tokensOf.get(userKey(accountId, userId)) ?? []).map((e) => e.token);
        return page(call, JSON.stringify(['tokens', accountId, userId]), items, TOKENS_TYPE);
      }

      const params = matchRoute(TOKEN_ROUTE, path);
      if (!params) return notFound(call);
      const entry = tokensOf.get(userKey(params.accountId!, params.userId!))?.find((e) => e.token.id === params.tokenId);
      if (!entry) return notFound(call);
      return jsonAnswer(200, entry.token, TOKEN_TYPE);
    },
    write(call, path) {
      const params = matchRoute(TOKEN_ROUTE, path);
      if (call.method !== 'DELETE' || !params) return undefined;
      const given = authorization(call, 'Bearer');
      if (given === undefined) return problem(3);
      if (given !== credential) return problem(4);
      const entries = tokensOf.get(userKey(params.accountId!, params.userId!)) ?? [];
      const index = entries.findIndex((e) => e.token.id === params.tokenId);
      if (index < 0) return notFound(call);
      entries.splice(index, 1);
      return { status: 204, body: '', contentType: TOKEN_TYPE };
    },
  });
}

const TOKEN_ROUTE = '/accounts/:accountId/core/v1/users/:userId/tokens/:tokenId';

const userKey = (accountId: string, userId: string) => `${accountId}\u0000${userId}`;

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const group = groups.get(key(item));
    if (group) group.push(item);
    else groups.set(key(item), [item]);
  }
  return groups;
}
