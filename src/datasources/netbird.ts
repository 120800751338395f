/**
 * NetBird: `GET /api/users/{userId}/tokens/{tokenId}` with `Authorization: Token <token>`.
 * The personal access token's secret is never returned. Error bodies are
 * `{ "message", "code" }`; the message is passed on, scrubbed like every upstream text.
 *
 * Caches: one per-request DataLoader, one call per distinct (user, token); the opt-in
 * cross-request cache (cache/sourceCache.ts), bounded by the token's `expiration_date`.
 */
import { z } from 'zod';
import { cached, type SourceCache } from '../cache/sourceCache.js';
import { dateMillis } from '../shared/dates.js';
import type { SourceName } from '../shared/errors.js';
import type { UpstreamCredential } from './upstreamCredential.js';
import { distinctCallLoader } from './distinctCallLoader.js';
import type { SourceGuard } from './sourceGuard.js';
import { rawDate } from './rawDate.js';
import type { CallOptions, UpstreamClient } from './upstreamClient.js';
import { safeText } from '../security/safeText.js';
import { decodeRecord, errorBodyObject, isSuccess, statusError } from './upstreamResponse.js';

const SOURCE: SourceName = 'NETBIRD';

export const netbirdPATRecord = z.object({
  id: z.string(),
  name: z.string(),
  expiration_date: rawDate,
  created_by: z.string(),
  created_at: rawDate,
  last_used: rawDate,
});
export type NetbirdPATRecord = z.output<typeof netbirdPATRecord>;

export interface NetbirdPATKey {
  userId: string;
  tokenId: string;
}

/** The parent of `NetbirdPAT` resolvers: the record and the keys it was asked by. */
export interface NetbirdPATModel extends NetbirdPATKey {
  source: 'NETBIRD';
  record: NetbirdPATRecord;
}

export class NetbirdAPI {
  constructor(
    private readonly client: UpstreamClient,
    private readonly guard: SourceGuard,
    /** The token: static, or forwarded from the caller. */
    private readonly credential: UpstreamCredential,
    private readonly cache?: SourceCache,
  ) {}

  async getToken(key: NetbirdPATKey, options: CallOptions = {}): Promise<NetbirdPATRecord | null> {
    // Throws UNAUTHENTICATED (no call, no cache lookup) when a forwarded credential is missing.
    const credential = this.credential.for(SOURCE, options);
    const segments = ['api', 'users', key.userId, 'tokens', key.tokenId];
    const load = () => this.guard.execute(options, (signal) => this.fetchToken(segments, `Token ${credential}`, options, signal));
    return cached(this.cache, segments, load, { credential, telemetry: options.telemetry, expiresAt: (record) => dateMillis(record?.expiration_date) });
  }

  private async fetchToken(segments: string[], authorization: string, options: CallOptions, signal: AbortSignal): Promise<NetbirdPATRecord | null> {
    const response = await this.client.get(SOURCE, segments, { headers: { authorization }, signal });
    if (isSuccess(response.status)) return decodeRecord(response, SOURCE, netbirdPATRecord);
    if (response.status === 404) return null;
    throw statusError(response, SOURCE, { detail: safeText(errorBodyObject(response).message, this.credential.secrets(options)) });
  }
}

export function createNetbirdLoader(api: NetbirdAPI, options: CallOptions) {
  return distinctCallLoader(
    async (key: NetbirdPATKey): Promise<NetbirdPATModel | null> => {
      const record = await api.getToken(key, options);
      return record && { source: 'NETBIRD', ...key, record };
    },
    (key) => JSON.stringify([key.userId, key.tokenId]),
    (size) => options.telemetry?.batch(SOURCE, size),
  );
}
