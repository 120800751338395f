/**
 * Crafter Profile: two endpoints behind one base URL and one credential, the
 * `accessTokenId` query parameter.
 *
 * - `GET /api/1/authentication/ticket/{ticketId}` → one ticket. Unknown tickets come back
 *   as 404 or as `{"errorCode": "NO_SUCH_TICKET"}` with whatever status: both are `null`.
 * - `GET /api/1/access_token/all` → every access token. There is no by-id endpoint, so
 *   every access-token lookup of a request is served from one list call.
 *
 * Error bodies are `{ "errorCode"?, "message" }`; the message can echo an access-token
 * id (a credential), so it passes through `safeText` before a client sees it.
 *
 * Caches, both per request: the ticket DataLoader (one call per distinct ticket id) and
 * the access-token list memo (one `access_token/all` call per request, however many
 * lookups). Across requests, when on: the cross-request cache (cache/sourceCache.ts) of
 * each endpoint; the list's entries are bounded by the earliest future `expiresOn` in it.
 */
import { z } from 'zod';
import { cached, earliestFutureExpiry, type SourceCache } from '../cache/sourceCache.js';
import type { SourceName } from '../shared/errors.js';
import { fingerprintSecretId } from '../security/secretIds.js';
import type { UpstreamCredential } from './upstreamCredential.js';
import { distinctCallLoader } from './distinctCallLoader.js';
import type { SourceGuard } from './sourceGuard.js';
import { rawDate } from './rawDate.js';
import { safeText } from '../security/safeText.js';
import type { CallOptions, UpstreamClient, UpstreamResponse } from './upstreamClient.js';
import {
  decodeRecord,
  errorBodyObject,
  isSuccess,
  parseBody,
  statusError,
  validateRecord,
  type ErrorBodyInfo,
} from './upstreamResponse.js';

const ACCESS_TOKEN_LIST = ['api', '1', 'access_token', 'all'];
/** Crafter's error codes: `NO_SUCH_TICKET`, `INVALID_ACCESS_TOKEN_ID`, … */
const ERROR_CODE = /^[A-Z][A-Z0-9_]{0,63}$/;

export const crafterTicketRecord = z.object({
  id: z.string(),
  tenant: z.string(),
  profileId: z.string(),
  lastRequestTime: rawDate,
});
export type CrafterTicketRecord = z.output<typeof crafterTicketRecord>;

export const crafterAccessTokenRecord = z.object({
  id: z.string(),
  application: z.string().nullish(),
  master: z.boolean(),
  tenantPermissions: z.array(z.object({ tenant: z.string(), allowedActions: z.array(z.string()) })),
  expiresOn: rawDate,
});
export type CrafterAccessTokenRecord = z.output<typeof crafterAccessTokenRecord>;
const crafterAccessTokenList = z.array(crafterAccessTokenRecord);

/** The parent of `CrafterTicket` resolvers: the record and the id it was asked by. */
export interface CrafterTicketModel {
  source: 'CRAFTER_TICKET';
  ticketId: string;
  record: CrafterTicketRecord;
}

/** The parent of `CrafterAccessToken` resolvers. `record.id` is a secret: never output it. */
export interface CrafterAccessTokenModel {
  source: 'CRAFTER_ACCESS_TOKEN';
  fingerprint: string;
  record: CrafterAccessTokenRecord;
}

export interface CrafterProfileConfig {
  client: UpstreamClient;
  /** One per endpoint: the ticket and list endpoints fail, and are protected, separately. */
  guards: { ticket: SourceGuard; accessTokens: SourceGuard };
  /** The `accessTokenId`: static, or forwarded from the caller. */
  credential: UpstreamCredential;
  /** The cross-request caches, when on. */
  caches?: { ticket?: SourceCache; accessTokens?: SourceCache };
}

export class CrafterProfileAPI {
  constructor(private readonly config: CrafterProfileConfig) {}

  async getTicket(ticketId: string, options: CallOptions = {}): Promise<CrafterTicketRecord | null> {
    // Throws UNAUTHENTICATED (no call, no cache lookup) when a forwarded credential is missing.
    const call = this.call('CRAFTER_TICKET', options);
    const segments = ['api', '1', 'authentication', 'ticket', ticketId];
    const load = () => this.config.guards.ticket.execute(options, (signal) => this.fetchTicket(segments, call, signal));
    return cached(this.config.caches?.ticket, segments, load, { credential: call.accessTokenId, telemetry: options.telemetry });
  }

  async getAccessTokens(options: CallOptions = {}): Promise<CrafterAccessTokenRecord[]> {
    const call = this.call('CRAFTER_ACCESS_TOKEN', options);
    const load = () => this.config.guards.accessTokens.execute(options, (signal) => this.fetchAccessTokens(call, signal));
    return cached(this.config.caches?.accessTokens, ACCESS_TOKEN_LIST, load, {
      credential: call.accessTokenId,
      telemetry: options.telemetry,
      expiresAt: (records) => earliestFutureExpiry(records.map((record) => record.expiresOn)),
    });
  }

  /** The `accessTokenId` this call sends (and the request's options, for scrubbing error texts). */
  private call(source: SourceName, options: CallOptions): CrafterCall {
    return { accessTokenId: this.config.credential.for(source, options), options };
  }

  /**
   * The documented fields of an error body (`errorCode`, `message`), scrubbed of every
   * credential of the request (gathered only when an error needs them). An `errorCode` that is
   * not a code is dropped.
   */
  private errorInfo(body: Record<string, unknown>, call: CrafterCall): ErrorBodyInfo {
    const secrets = this.config.credential.secrets(call.options);
    const errorCode = typeof body.errorCode === 'string' && ERROR_CODE.test(body.errorCode) ? body.errorCode : undefined;
    return { errorCode, detail: safeText(body.message, secrets) };
  }

  private async fetchTicket(segments: string[], call: CrafterCall, signal: AbortSignal): Promise<CrafterTicketRecord | null> {
    const source: SourceName = 'CRAFTER_TICKET';
    const response = await this.get(source, segments, call, signal);
    if (isSuccess(response.status)) {
      const value = parseBody(response, source);
      return isNoSuchTicket(value) ? null : validateRecord(value, source, response.status, crafterTicketRecord);
    }
    const error = errorBodyObject(response);
    if (response.status === 404 || isNoSuchTicket(error)) return null;
    throw statusError(response, source, this.errorInfo(error, call));
  }

  private async fetchAccessTokens(call: CrafterCall, signal: AbortSignal): Promise<CrafterAccessTokenRecord[]> {
    const source: SourceName = 'CRAFTER_ACCESS_TOKEN';
    const response = await this.get(source, ACCESS_TOKEN_LIST, call, signal);
    // A 404 here means the endpoint is missing (a wrong base URL), not an empty list.
    if (!isSuccess(response.status)) throw statusError(response, source, this.errorInfo(errorBodyObject(response), call));
    return decodeRecord(response, source, crafterAccessTokenList);
  }

  private get(source: SourceName, segments: string[], call: CrafterCall, signal: AbortSignal): Promise<UpstreamResponse> {
    return this.config.client.get(source, segments, { query: { accessTokenId: call.accessTokenId }, signal });
  }
}

interface CrafterCall {
  accessTokenId: string;
  options: CallOptions;
}

/** Crafter answers an unknown ticket with this error code, whatever the status. */
function isNoSuchTicket(body: unknown): boolean {
  return body !== null && typeof body === 'object' && (body as { errorCode?: unknown }).errorCode === 'NO_SUCH_TICKET';
}

export interface CrafterProfileLoaders {
  ticket: { load(ticketId: string): Promise<CrafterTicketModel | null> };
  /** Every access token, from the request's one `access_token/all` call. */
  accessTokens(): Promise<CrafterAccessTokenModel[]>;
  accessTokenById(id: string): Promise<CrafterAccessTokenModel | null>;
  accessTokenByFingerprint(fingerprint: string): Promise<CrafterAccessTokenModel | null>;
}

export function createCrafterProfileLoaders(api: CrafterProfileAPI, options: CallOptions): CrafterProfileLoaders {
  const ticket = distinctCallLoader(
    async (ticketId: string): Promise<CrafterTicketModel | null> => {
      const record = await api.getTicket(ticketId, options);
      return record && { source: 'CRAFTER_TICKET', ticketId, record };
    },
    (ticketId) => ticketId,
    (size) => options.telemetry?.batch('CRAFTER_TICKET', size),
  );

  /** Lookups that waited for the list call: its "batch size". */
  let lookups = 0;
  let list: Promise<AccessTokenIndex> | undefined;
  const indexed = () => {
    lookups += 1;
    return (list ??= api.getAccessTokens(options).then((records) => {
      options.telemetry?.batch('CRAFTER_ACCESS_TOKEN', lookups);
      const models = records.map(accessTokenModel);
      const index: AccessTokenIndex = { models, byId: new Map(models.map((m) => [m.record.id, m])) };
      return index;
    }));
  };
  const byFingerprint = async (fingerprint: string) => {
    const index = await indexed();
    // Hashing every listed id is only needed for a lookup by global id.
    index.byFingerprint ??= new Map(index.models.map((m) => [m.fingerprint, m]));
    return index.byFingerprint.get(fingerprint) ?? null;
  };

  return {
    ticket,
    accessTokens: async () => (await indexed()).models,
    accessTokenById: async (id) => (await indexed()).byId.get(id) ?? null,
    accessTokenByFingerprint: byFingerprint,
  };
}

interface AccessTokenIndex {
  models: CrafterAccessTokenModel[];
  byId: Map<string, CrafterAccessTokenModel>;
  /** Made by the first lookup by fingerprint. */
  byFingerprint?: Map<string, CrafterAccessTokenModel>;
}

/**
 * The model of one listed access token. Its fingerprint (a SHA-256) is computed when first
 * read, by the `id` field or a lookup by global id, not for every token of every list.
 */
function accessTokenModel(record: CrafterAccessTokenRecord): CrafterAccessTokenModel {
  let fingerprint: string | undefined;
  return {
    source: 'CRAFTER_ACCESS_TOKEN',
    record,
    get fingerprint() {
      return (fingerprint ??= fingerprintSecretId(record.id));
    },
  };
}
