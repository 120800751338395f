/**
 * Imitates Crafter Profile's REST API (seeds 000 and 001): `GET {prefix}/api/1/authentication/ticket/{id}`
 * and `GET {prefix}/api/1/access_token/all`, authenticated by the `accessTokenId` query parameter,
 * which must be an unexpired id from its own access-token list. Like the real server it echoes the
 * id it received in its 401 body, so tokengraph's redaction can be tested against it.
 *
 * Revocation (contract §9), for real until restart: `POST …/ticket/{id}/invalidate` ends a ticket
 * (200), `POST …/access_token/{id}/delete` deletes an access token (200; a master token's call only,
 * 403 otherwise). An unknown ticket is `NO_SUCH_TICKET`, an unknown access token 404.
 */
import { STATUS_CODES } from 'node:http';
import { demoData, type DemoCrafterAccessToken, type DemoCrafterProfile } from './demoData.js';
import {
  jsonAnswer,
  matchRoute,
  startFakeUpstream,
  type Answer,
  type FakeUpstream,
  type InFlightMeter,
  type RecordedCall,
} from './fakeUpstream.js';

export interface CrafterProfileUpstreamOptions {
  port?: number;
  /** Default `/crafter-profile`. */
  prefix?: string;
  meter?: InFlightMeter;
  /** Ignored: valid credentials are the unexpired ids of `data.accessTokens`. */
  credential?: string;
  /** Default: `demoData(new Date()).crafterProfile`. */
  data?: DemoCrafterProfile;
}

export const CRAFTER_PROFILE_PREFIX = '/crafter-profile';
const CONTENT_TYPE = 'application/json;charset=UTF-8';

function crafterError(status: number, errorCode: string, message: string): Answer {
  return jsonAnswer(status, { errorCode, message }, CONTENT_TYPE);
}

/** Echoes the id it received, as the real server does: tokengraph must redact it. */
function noSuchAccessToken(id: string): Answer {
  return crafterError(401, 'INVALID_ACCESS_TOKEN_ID', `No access token found for ID '${id}'`);
}

function errorBody(status: number, call: RecordedCall): { body: string; contentType: string } {
  switch (status) {
    case 400:
      return crafterError(400, 'INVALID_REQUEST', 'Invalid request');
    case 401:
      return noSuchAccessToken(call.query.accessTokenId ?? '');
    case 403:
      return {
        body: '{ "errorCode": "ACTION_DENIED", "message": "Current subject doesnt have permission to execute global action \\"READ_TOKEN\\"" }',
        contentType: CONTENT_TYPE,
      };
    case 404:
      return crafterError(404, 'NOT_FOUND', `No handler found for ${call.method} ${call.path}`);
    case 500:
      return { body: '{ "message" : "Internal server error" }', contentType: CONTENT_TYPE };
    default:
      return jsonAnswer(status, { message: STATUS_CODES[status] ?? 'Error' }, CONTENT_TYPE);
  }
}

function usDate(epochMs: number): string {
  const d = new Date(epochMs);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(d.getUTCMonth() + 1)}/${two(d.getUTCDate())}/${d.getUTCFullYear()}`;
}

export function startCrafterProfileUpstream(options: CrafterProfileUpstreamOptions = {}): Promise<FakeUpstream> {
  const data = options.data ?? demoData(new Date()).crafterProfile;
  return startFakeUpstream({
    name: 'Crafter Profile',
    port: options.port,
    prefix: options.prefix ?? CRAFTER_PROFILE_PREFIX,
    meter: options.meter,
    errorBody,
    handle(call, path) {
      const ticketRoute = matchRoute('/api/1/authentication/ticket/:ticketId', path);
      const listRoute = matchRoute('/api/1/access_token/all', path);
      if (!ticketRoute && !listRoute) return { status: 404, ...errorBody(404, call) };

      const caller = callerOf(call);
      if ('status' in caller) return caller;

      if (listRoute) {
        // Reading tokens is the global action READ_TOKEN, which only master tokens have.
        if (!caller.master) return { status: 403, ...errorBody(403, call) };
        return jsonAnswer(200, data.accessTokens, CONTENT_TYPE);
      }
      const ticketId = ticketRoute?.ticketId ?? '';
      const ticket = data.tickets.find((t) => t.id === ticketId);
      if (!ticket) return noSuchTicket(ticketId);
      return jsonAnswer(200, ticket, CONTENT_TYPE);
    },
    write(call, path) {
      if (call.method !== 'POST') return undefined;
      const invalidate = matchRoute('/api/1/authentication/ticket/:ticketId/invalidate', path);
      const remove = matchRoute('/api/1/access_token/:id/delete', path);
      if (!invalidate && !remove) return undefined;
      const caller = callerOf(call);
      if ('status' in caller) return caller;
      if (invalidate) {
        const index = data.tickets.findIndex((t) => t.id === invalidate.ticketId);
        if (index < 0) return noSuchTicket(invalidate.ticketId ?? '');
        data.tickets.splice(index, 1);
        return { status: 200, body: '', contentType: CONTENT_TYPE };
      }
      // Deleting a token is the global action DELETE_TOKEN, which only master tokens have.
      if (!caller.master) return { status: 403, ...errorBody(403, call) };
      const index = data.accessTokens.findIndex((t) => t.id === remove!.id);
      if (index < 0) return crafterError(404, 'NO_SUCH_ACCESS_TOKEN', 'No access token found for that ID');
      data.accessTokens.splice(index, 1);
      return { status: 200, body: '', contentType: CONTENT_TYPE };
    },
  });

  /** The access token a call authenticates with, or the 401 for it. */
  function callerOf(call: RecordedCall): DemoCrafterAccessToken | Answer {
    const accessTokenId = call.query.accessTokenId ?? '';
    const caller = data.accessTokens.find((t) => t.id === accessTokenId);
    if (!caller) return noSuchAccessToken(accessTokenId);
    if (caller.expiresOn <= Date.now()) {
      return crafterError(401, 'EXPIRED_ACCESS_TOKEN', `Access token '${caller.id}' for application '${caller.application}' expired on ${usDate(caller.expiresOn)}`);
    }
    return caller;
  }
}

function noSuchTicket(ticketId: string): Answer {
  return crafterError(400, 'NO_SUCH_TICKET', `No ticket found for ID '${ticketId}'`);
}
