/**
 * Imitates the NetBird REST API's "Retrieve a Token" (seed 003): `GET /api/users/{userId}/tokens/{tokenId}`
 * with `Authorization: Token <token>`, answering a PersonalAccessToken as `application/json`
 * (`last_used` absent for a token never used) and errors as `{"message": ..., "code": <status>}`.
 */
import { STATUS_CODES } from 'node:http';
import { DEMO_CREDENTIALS, demoData, type DemoNetbirdEntry } from './demoData.js';
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
}

const CONTENT_TYPE = 'application/json';

function netbirdError(status: number, message: string): Answer {
  return jsonAnswer(status, { message, code: status }, CONTENT_TYPE);
}

function errorBody(status: number): { body: string; contentType: string } {
  return netbirdError(status, (STATUS_CODES[status] ?? 'error').toLowerCase());
}

export function startNetbirdUpstream(options: NetbirdUpstreamOptions = {}): Promise<FakeUpstream> {
  const data = options.data ?? demoData(new Date()).netbird;
  const credential = options.credential ?? DEMO_CREDENTIALS.netbird;
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

      const params = matchRoute('/api/users/:userId/tokens/:tokenId', path);
      if (!params) return netbirdError(404, 'not found');
      if (!data.some((e) => e.userId === params.userId)) return netbirdError(404, `user ${params.userId} not found`);
      const entry = data.find((e) => e.userId === params.userId && e.token.id === params.tokenId);
      if (!entry) return netbirdError(404, `PAT with ID ${params.tokenId} not found`);
      return jsonAnswer(200, entry.token, CONTENT_TYPE);
    },
  });
}
