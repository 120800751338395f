/**
 * Imitates NetApp Astra Control's "Retrieve a token" (seed 002):
 * `GET /accounts/{account_id}/core/v1/users/{user_id}/tokens/{token_id}` with
 * `Authorization: Bearer <token>`. Success is the vendor type `application/astra-token+json`;
 * every error is an RFC 7807 problem (`application/problem+json`) whose `status` is a string and
 * which carries a fresh `correlationID`, as the real API does.
 */
import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import { DEMO_CREDENTIALS, demoData, type DemoAstraEntry } from './demoData.js';
import {
  authorization,
  jsonAnswer,
  matchRoute,
  startFakeUpstream,
  type Answer,
  type FakeUpstream,
  type InFlightMeter,
} from './fakeUpstream.js';

export interface AstraUpstreamOptions {
  port?: number;
  prefix?: string;
  meter?: InFlightMeter;
  /** The one valid bearer token. Default `DEMO_CREDENTIALS.astra`. */
  credential?: string;
  /** Default: `demoData(new Date()).astra`. */
  data?: DemoAstraEntry[];
}

const PROBLEM_TYPE = 'application/problem+json';
const TOKEN_TYPE = 'application/astra-token+json';

/** Problem type numbers per status (the real API numbers its problem documents). */
const PROBLEM_NUMBERS: Record<number, number> = { 400: 5, 401: 3, 403: 11, 404: 1, 409: 10, 429: 12, 500: 0, 503: 14 };

function problem(status: number, title: string, detail: string): Answer {
  return jsonAnswer(
    status,
    {
      type: `https://astra.netapp.io/problems/${PROBLEM_NUMBERS[status] ?? status}`,
      title,
      detail,
      status: String(status),
      correlationID: randomUUID(),
      ...(status === 400 ? { invalidParams: [{ name: 'token_id', reason: 'Invalid value' }] } : {}),
    },
    PROBLEM_TYPE,
  );
}

function errorBody(status: number): { body: string; contentType: string } {
  const title = STATUS_CODES[status] ?? 'Error';
  return problem(status, title, `The request failed: ${title.toLowerCase()}.`);
}

export function startAstraUpstream(options: AstraUpstreamOptions = {}): Promise<FakeUpstream> {
  const data = options.data ?? demoData(new Date()).astra;
  const credential = options.credential ?? DEMO_CREDENTIALS.astra;
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

      const params = matchRoute('/accounts/:accountId/core/v1/users/:userId/tokens/:tokenId', path);
      if (!params) return problem(404, 'Resource not found', 'The requested resource does not exist.');
      const entry = data.find(
        (e) => e.accountId === params.accountId && e.token.userID === params.userId && e.token.id === params.tokenId,
      );
      if (!entry) return problem(404, 'Resource not found', 'The token was not found.');
      return jsonAnswer(200, entry.token, TOKEN_TYPE);
    },
  });
}
