/**
 * Imitates Crafter Profile's REST API (seeds 000 and 001, and what craftercms/profile's own source
 * does: contract §10): `GET {prefix}/api/1/authentication/ticket/{id}` and
 * `GET {prefix}/api/1/access_token/all`, authenticated by the `accessTokenId` query parameter, which
 * must be an unexpired id from its own access-token list. Each fact names where Crafter does it.
 *
 * - The credential (interceptors/AccessTokenCheckingInterceptor.java, mapped by
 *   controllers/rest/ExceptionHandlers.java): a missing, unknown or expired `accessTokenId` is 403
 *   `ACCESS_DENIED`, with the messages of messages/errors.properties; two of them echo the id, so
 *   tokengraph's redaction is tested against them. A token with a null `expiresOn` never expires.
 * - `access_token/all` is the global action READ_TOKEN, which only master tokens have
 *   (AccessTokenServiceImpl.checkIfTokenActionIsAllowed): 403 `ACTION_DENIED` otherwise.
 *   `tenantPermissions` and `allowedActions` may be null, as Crafter stores them.
 * - `GET ticket` (AuthenticationServiceImpl.getTicket): an unknown ticket is 404 `NO_SUCH_TICKET`;
 *   a known one needs MANAGE_TICKETS on its tenant (403 `ACTION_DENIED`; 500 for a credential whose
 *   `tenantPermissions` is null, master or not: TenantPermissionResolver loops over null), then its
 *   `lastRequestTime` is set to now and saved: every read extends the session. A ticket idle longer
 *   than `ticketMaxAgeMs` (crafter.profile.auth.ticket.maxAge, 900 s) is gone; Crafter's sweeper runs
 *   every 30 s, this fake sweeps at every call.
 * - Revocation, for real until restart: `POST …/ticket/{id}/invalidate` (MANAGE_TICKETS on the
 *   ticket's tenant) and `POST …/access_token/{id}/delete` (DELETE_TOKEN: master tokens only) both
 *   answer 200 with no body, even for an id that does not exist (neither checks).
 */
import { STATUS_CODES } from 'node:http';
import { demoData, type DemoCrafterAccessToken, type DemoCrafterProfile, type DemoCrafterTicket } from './demoData.js';
import { jsonAnswer, matchRoute, startFakeUpstream, type Answer, type FakeUpstream, type InFlightMeter, type RecordedCall } from './fakeUpstream.js';

export interface CrafterProfileUpstreamOptions {
  port?: number;
  /** Default `/crafter-profile`. */
  prefix?: string;
  meter?: InFlightMeter;
  /** Ignored: valid credentials are the unexpired ids of `data.accessTokens`. */
  credential?: string;
  /** Default: `demoData(new Date()).crafterProfile`. */
  data?: DemoCrafterProfile;
  /** How long a ticket may stay idle before Crafter drops it, ms. Default 900,000 (Crafter's 900 s). */
  ticketMaxAgeMs?: number;
}

export const CRAFTER_PROFILE_PREFIX = '/crafter-profile';
const CONTENT_TYPE = 'application/json;charset=UTF-8';
/** crafter.profile.auth.ticket.maxAge's default (server-config.properties), in ms. */
export const CRAFTER_TICKET_MAX_AGE_MS = 900_000;

function crafterError(status: number, errorCode: string, message: string): Answer {
  return jsonAnswer(status, { errorCode, message }, CONTENT_TYPE);
}

/** 403 `ACCESS_DENIED`: the `accessTokenId` itself is not accepted (messages/errors.properties). */
const accessDenied = (message: string) => crafterError(403, 'ACCESS_DENIED', message);

/** 403 `ACTION_DENIED` (craftercms/commons security messages): the token lacks a permission. */
function actionDenied(action: string, on?: string): Answer {
  return crafterError(
    403,
    'ACTION_DENIED',
    on === undefined ? `Current subject does not have permission to execute global action "${action}"` : `Current subject does not have permission to execute action "${action}" on ${on}`,
  );
}

function errorBody(status: number, call: RecordedCall): { body: string; contentType: string } {
  switch (status) {
    case 400:
      return crafterError(400, 'INVALID_REQUEST', 'Invalid request');
    case 401:
      // No current Crafter answers 401; before 3.0.1 a missing accessTokenId did.
      return crafterError(401, 'MISSING_ACCESS_TOKEN_ID_PARAM', 'Access token ID param missing from request');
    case 403:
      return actionDenied('READ_TOKEN');
    case 404:
      return tomcatNotFound();
    case 500:
      return { body: '{ "message" : "Internal server error" }', contentType: CONTENT_TYPE };
    default:
      return jsonAnswer(status, { message: STATUS_CODES[status] ?? 'Error' }, CONTENT_TYPE);
  }
}

/**
 * A path no handler serves, inside the webapp or outside it: Tomcat's own error page (DispatcherServlet
 * sends a 404 and Tomcat writes the page; Spring 6.1 and later, which throws NoHandlerFoundException
 * instead, answer it through ExceptionHandlers as `{"errorCode": "OTHER", "message": "No endpoint …"}`).
 * Crafter has no error code for it: only NO_SUCH_TICKET says a ticket does not exist.
 */
function tomcatNotFound(): { body: string; contentType: string } {
  const title = 'HTTP Status 404 – Not Found';
  const body = `<!doctype html><html lang="en"><head><title>${title}</title></head><body><h1>${title}</h1><hr class="line" /><p><b>Type</b> Status Report</p><p><b>Description</b> The origin server did not find a current representation for the target resource or is not willing to disclose that one exists.</p><hr class="line" /><h3>Apache Tomcat/9.0.76</h3></body></html>`;
  return { body, contentType: 'text/html;charset=utf-8' };
}

/** Java's `MM/dd/yyyy`, as the expired-token message writes the date. */
function usDate(epochMs: number): string {
  const d = new Date(epochMs);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(d.getUTCMonth() + 1)}/${two(d.getUTCDate())}/${d.getUTCFullYear()}`;
}

/**
 * The refusal of `action` in `tenant` to `token`, if any (AuthenticationServiceImpl
 * checkIfManageTicketsIsAllowed): the first permission for the tenant or `*` decides
 * (TenantPermissionResolver.getPermission); null `allowedActions` allow nothing
 * (DefaultPermission.isAllowed). Null `tenantPermissions`, as Crafter stores a token created
 * without them, make getPermission's loop throw a NullPointerException, which no ExceptionHandlers
 * entry maps: a 500, whose body is the one seeds 000 and 001 document.
 */
function tenantRefusal(token: DemoCrafterAccessToken, tenant: string, action: string, call: RecordedCall): Answer | undefined {
  if (token.tenantPermissions === null) return { status: 500, ...errorBody(500, call) };
  const permission = token.tenantPermissions.find((p) => p.tenant === tenant || p.tenant === '*');
  const actions = permission?.allowedActions ?? [];
  if (actions.includes('*') || actions.includes(action)) return undefined;
  return actionDenied(action, `tenant "${tenant}"`);
}

export function startCrafterProfileUpstream(options: CrafterProfileUpstreamOptions = {}): Promise<FakeUpstream> {
  const data = options.data ?? demoData(new Date()).crafterProfile;
  const maxAgeMs = options.ticketMaxAgeMs ?? CRAFTER_TICKET_MAX_AGE_MS;

  /** Crafter's ticket cleaner: tickets idle longer than the max age are removed. */
  const sweep = () => {
    const oldest = Date.now() - maxAgeMs;
    for (let i = data.tickets.length - 1; i >= 0; i--) if (data.tickets[i]!.lastRequestTime < oldest) data.tickets.splice(i, 1);
  };
  const ticketById = (id: string): DemoCrafterTicket | undefined => data.tickets.find((t) => t.id === id);

  return startFakeUpstream({
    name: 'Crafter Profile',
    port: options.port,
    prefix: options.prefix ?? CRAFTER_PROFILE_PREFIX,
    meter: options.meter,
    errorBody,
    handle(call, path) {
      sweep();
      const ticketRoute = matchRoute('/api/1/authentication/ticket/:ticketId', path);
      const listRoute = matchRoute('/api/1/access_token/all', path);
      if (!ticketRoute && !listRoute) return { status: 404, ...errorBody(404, call) };

      const caller = callerOf(call);
      if ('status' in caller) return caller;

      if (listRoute) {
        // Reading tokens is the global action READ_TOKEN, which only master tokens have.
        if (!caller.master) return actionDenied('READ_TOKEN');
        return jsonAnswer(200, data.accessTokens, CONTENT_TYPE);
      }
      const ticketId = ticketRoute?.ticketId ?? '';
      const ticket = ticketById(ticketId);
      if (!ticket) return noSuchTicket(ticketId);
      const refused = tenantRefusal(caller, ticket.tenant, 'MANAGE_TICKETS', call);
      if (refused) return refused;
      // getTicket: ticket.setLastRequestTime(new Date()); ticketRepository.save(ticket).
      ticket.lastRequestTime = Date.now();
      return jsonAnswer(200, ticket, CONTENT_TYPE);
    },
    write(call, path) {
      if (call.method !== 'POST') return undefined;
      sweep();
      const invalidate = matchRoute('/api/1/authentication/ticket/:ticketId/invalidate', path);
      const remove = matchRoute('/api/1/access_token/:id/delete', path);
      if (!invalidate && !remove) return undefined;
      const caller = callerOf(call);
      if ('status' in caller) return caller;
      if (invalidate) {
        // invalidateTicket: nothing is checked for a ticket that does not exist; 200 either way.
        const ticket = ticketById(invalidate.ticketId ?? '');
        if (ticket) {
          const refused = tenantRefusal(caller, ticket.tenant, 'MANAGE_TICKETS', call);
          if (refused) return refused;
          data.tickets.splice(data.tickets.indexOf(ticket), 1);
        }
        return { status: 200, body: '', contentType: CONTENT_TYPE };
      }
      // deleteToken: DELETE_TOKEN (master tokens only), then a remove by id, which may remove nothing.
      if (!caller.master) return actionDenied('DELETE_TOKEN', remove!.id);
      const index = data.accessTokens.findIndex((t) => t.id === remove!.id);
      if (index >= 0) data.accessTokens.splice(index, 1);
      return { status: 200, body: '', contentType: CONTENT_TYPE };
    },
  });

  /** The access token a call authenticates with, or the 403 `ACCESS_DENIED` for it. */
  function callerOf(call: RecordedCall): DemoCrafterAccessToken | Answer {
    const accessTokenId = call.query.accessTokenId;
    if (accessTokenId === undefined || accessTokenId === '') return accessDenied('Access token ID param missing from request');
    const caller = data.accessTokens.find((t) => t.id === accessTokenId);
    if (!caller) return accessDenied(`No access token found for ID "${accessTokenId}"`);
    if (caller.expiresOn !== null && caller.expiresOn <= Date.now()) {
      return accessDenied(`Access token "${caller.id}" for application "${caller.application}" expired on ${usDate(caller.expiresOn)}`);
    }
    return caller;
  }
}

/** An unknown ticket: 404 since Crafter Profile 3.0.1 (ExceptionHandlers: NoSuchTicketException). */
function noSuchTicket(ticketId: string): Answer {
  return crafterError(404, 'NO_SUCH_TICKET', `No ticket with ID "${ticketId}" found`);
}
