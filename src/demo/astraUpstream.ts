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
 * which carries a fresh `correlationID`, as the real API does.
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

/** Problem type numbers per status (the real API numbers its problem documents). */
const PROBLEM_NUMBERS: Record<number, number> = { 400: 5, 401: 3, 403: 11, 404: 1, 409: 10, 429: 12, 500: 0, 503: 14 };

/** A problem document; a 400 names the parameter it refuses (`invalidParam`). */
function problem(status: number, title: string, detail: string, invalidParam = 'token_id'): Answer {
  return jsonAnswer(
    status,
    {
      type: `https://astra.netapp.io/problems/${PROBLEM_NUMBERS[status] ?? status}`,
      title,
      detail,
      status: String(status),
      correlationID: randomUUID(),
      ...(status === 400 ? { invalidParams: [{ name: invalidParam, reason: 'Invalid value' }] } : {}),
    },
    PROBLEM_TYPE,
  );
}

function errorBody(status: number): { body: string; contentType: string } {
  const title = STATUS_CODES[status] ?? 'Error';
  return problem(status, title, `The request failed: ${title.toLowerCase()}.`);
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
      if (read === undefined) return problem(400, 'Invalid query parameter', 'The continue value is not valid for this collection.', 'continue');
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
      if (given === undefined) return problem(401, 'Missing bearer token', 'The request is missing the required bearer token.');
      if (given !== credential) return problem(401, 'Invalid bearer token', 'The supplied bearer token is not valid.');

      const usersRoute = matchRoute('/accounts/:accountId/core/v1/users', path);
      if (usersRoute) {
        const { accountId } = usersRoute as { accountId: string };
        if (!accountKnown(accountId)) return problem(404, 'Resource not found', 'The account was not found.');
        const items = (usersOf.get(accountId) ?? []).map((u) => u.user);
        return page(call, JSON.stringify(['users', accountId]), items, USERS_TYPE);
      }
      const tokensRoute = matchRoute('/accounts/:accountId/core/v1/users/:userId/tokens', path);
      if (tokensRoute) {
        const { accountId, userId } = tokensRoute as { accountId: string; userId: string };
        if (!accountKnown(accountId)) return problem(404, 'Resource not found', 'The account was not found.');
        if (!userKnown(accountId, userId)) return problem(404, 'Resource not found', 'The user was not found.');
        const items = (tokensOf.get(userKey(accountId, userId)) ?? []).map((e) => e.token);
        return page(call, JSON.stringify(['tokens', accountId, userId]), items, TOKENS_TYPE);
      }

      const params = matchRoute(TOKEN_ROUTE, path);
      if (!params) return problem(404, 'Resource not found', 'The requested resource does not exist.');
      const entry = tokensOf.get(userKey(params.accountId!, params.userId!))?.find((e) => e.token.id === params.tokenId);
      if (!entry) return problem(404, 'Resource not found', 'The token was not found.');
      return jsonAnswer(200, entry.token, TOKEN_TYPE);
    },
    write(call, path) {
      const params = matchRoute(TOKEN_ROUTE, path);
      if (call.method !== 'DELETE' || !params) return undefined;
      const given = authorization(call, 'Bearer');
      if (given === undefined) return problem(401, 'Missing bearer token', 'The request is missing the required bearer token.');
      if (given !== credential) return problem(401, 'Invalid bearer token', 'The supplied bearer token is not valid.');
      const entries = tokensOf.get(userKey(params.accountId!, params.userId!)) ?? [];
      const index = entries.findIndex((e) => e.token.id === params.tokenId);
      if (index < 0) return problem(404, 'Resource not found', 'The token was not found.');
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
