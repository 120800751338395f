/**
 * NetApp Astra Control: `GET /accounts/{accountId}/core/v1/users/{userId}/tokens/{tokenId}`
 * with `Authorization: Bearer <token>`. The stored token's secret is never returned by
 * Astra, and the record schema drops it should it ever appear.
 *
 * Error bodies (400, 401, 403, 404) are problem details:
 * `{ type, title, detail, status, correlationID? }` (`status` is a string there); `detail`
 * (or `title`) and `correlationID` are passed on.
 *
 * Caches: one per-request DataLoader, one call per distinct (account, user, token); the
 * opt-in cross-request cache (cache/sourceCache.ts; Astra tokens carry no expiry).
 */
import { z } from 'zod';
import { cached, type SourceCache } from '../cache/sourceCache.js';
import type { SourceName } from '../shared/errors.js';
import type { UpstreamCredential } from './upstreamCredential.js';
import { distinctCallLoader } from './distinctCallLoader.js';
import type { SourceGuard } from './sourceGuard.js';
import { rawDate } from './rawDate.js';
import type { CallOptions, UpstreamClient } from './upstreamClient.js';
import { safeText } from '../security/safeText.js';
import { decodeRecord, errorBodyObject, isSuccess, statusError } from './upstreamResponse.js';

const SOURCE: SourceName = 'ASTRA';
/** Astra's correlation ids are UUIDs; anything id-like is passed on. */
const CORRELATION_ID = /^[\w.:-]{1,128}$/;

export const astraTokenRecord = z.object({
  type: z.string(),
  version: z.string(),
  id: z.string(),
  name: z.string(),
  userID: z.string(),
  metadata: z.object({
    labels: z.array(z.object({ name: z.string(), value: z.string() })).nullish(),
    creationTimestamp: rawDate,
    modificationTimestamp: rawDate,
    createdBy: z.string().nullish(),
    modifiedBy: z.string().nullish(),
  }),
});
export type AstraTokenRecord = z.output<typeof astraTokenRecord>;

export interface AstraTokenKey {
  accountId: string;
  userId: string;
  tokenId: string;
}

/** The parent of `AstraToken` resolvers: the record and the keys it was asked by. */
export interface AstraTokenModel extends AstraTokenKey {
  source: 'ASTRA';
  record: AstraTokenRecord;
}

export interface AstraConfig {
  client: UpstreamClient;
  guard: SourceGuard;
  /** The API token: static, or forwarded from the caller. */
  credential: UpstreamCredential;
  /** The cross-request cache, when on. */
  cache?: SourceCache;
}

export class AstraAPI {
  constructor(private readonly config: AstraConfig) {}

  async getToken(key: AstraTokenKey, options: CallOptions = {}): Promise<AstraTokenRecord | null> {
    // Throws UNAUTHENTICATED (no call, no cache lookup) when a forwarded credential is missing.
    const credential = this.config.credential.for(SOURCE, options);
    const segments = ['accounts', key.accountId, 'core', 'v1', 'users', key.userId, 'tokens', key.tokenId];
    const load = () => this.config.guard.execute(options, (signal) => this.fetchToken(segments, `Bearer ${credential}`, options, signal));
    return cached(this.config.cache, segments, load, { credential, telemetry: options.telemetry });
  }

  private async fetchToken(segments: string[], authorization: string, options: CallOptions, signal: AbortSignal): Promise<AstraTokenRecord | null> {
    const response = await this.config.client.get(SOURCE, segments, { headers: { authorization }, signal });
    if (isSuccess(response.status)) return decodeRecord(response, SOURCE, astraTokenRecord);
    if (response.status === 404) return null;
    // Only the problem's documented fields, scrubbed of every credential of the request
    // (gathered only here); a correlation id that is not an id is dropped.
    const body = errorBodyObject(response);
    const secrets = this.config.credential.secrets(options);
    const correlationId = typeof body.correlationID === 'string' && CORRELATION_ID.test(body.correlationID) ? body.correlationID : undefined;
    throw statusError(response, SOURCE, { correlationId, detail: safeText(body.detail, secrets) ?? safeText(body.title, secrets) });
  }
}

export function createAstraLoader(api: AstraAPI, options: CallOptions) {
  return distinctCallLoader(
    async (key: AstraTokenKey): Promise<AstraTokenModel | null> => {
      const record = await api.getToken(key, options);
      return record && { source: 'ASTRA', ...key, record };
    },
    (key) => JSON.stringify([key.accountId, key.userId, key.tokenId]),
    (size) => options.telemetry?.batch(SOURCE, size),
  );
}
