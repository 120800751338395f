/**
 * The one definition of "a source whose tokens are read one at a time": where a token lives, what
 * its record looks like, and what says it does not exist. `readToken` and `createTokenLoader` do
 * the rest the same way for every such source (Crafter tickets, Astra, NetBird, Games):
 *
 * - a 2xx body is parsed (JSON unless the source says otherwise) and checked against the
 *   record's schema whatever its content type says; what does not fit is
 *   UPSTREAM_INVALID_RESPONSE, naming the fields, never their values;
 * - an answer the source calls not-found (its upstream's own word that the token does not exist)
 *   is `null` with no error;
 * - any other status is the contract's error for it, with the error body's documented fields: a
 *   404 that is not the upstream's own (a wrong base URL's path, a proxy's page) is UPSTREAM_ERROR.
 *
 * Per request, `createTokenLoader` is a DataLoader making one call per distinct token, all of a
 * tick's calls concurrently; across requests, the source's cache when it is on (an entry never
 * outlives the token's expiry).
 */
import type { z } from 'zod';
import { dateMillis } from '../shared/dates.js';
import { fingerprintSecretId, loggedKey } from '../security/secretIds.js';
import { keyParts, sourceRow, type KeyOf, type SourceName } from '../sources.js';
import { distinctCallLoader } from './distinctCallLoader.js';
import type { NotFoundAnswer, SourceClient } from './sourceClient.js';
import type { CallOptions, UpstreamResponse } from './upstreamClient.js';
import { isSuccess, parseBody, parseJson, validateRecord } from './upstreamResponse.js';

export interface TokenSource<S extends SourceName, R> {
  source: S;
  /** The token's resource under the base URL, one segment per element. */
  path(key: KeyOf<S>): string[];
  /** The record as the upstream documents it. */
  record: z.ZodType<R>;
  /** Reads a body into a value to check against `record`; JSON by default. */
  parse?(body: string): unknown;
  /** The upstream's own answers (of any status) that say the token does not exist; no other 404 is. */
  notFound: NotFoundAnswer;
  /** The record's expiry as the upstream writes it; no cross-request cache entry outlives it. */
  expiry?(record: R): unknown;
}

/** The parent object of a token's resolvers: the key it was read by and the upstream's record. */
export interface TokenModelOf<S extends SourceName, R> {
  source: S;
  key: KeyOf<S>;
  record: R;
}

export function readToken<S extends SourceName, R>(client: SourceClient, spec: TokenSource<S, R>, key: KeyOf<S>, options: CallOptions): Promise<R | null> {
  const read = (response: UpstreamResponse): R | null => {
    if (isSuccess(response.status)) {
      const value = parseBody(response, spec.source, spec.parse ?? parseJson);
      return spec.notFound(response, value) ? null : validateRecord(value, spec.source, response.status, spec.record);
    }
    if (client.isNotFound(response, spec.notFound)) return null;
    throw client.statusError(response, options);
  };
  const expiry = spec.expiry;
  const expiresAt = expiry && ((record: R | null) => (record === null ? undefined : dateMillis(expiry(record))));
  if (sourceRow(spec.source).id === 'public') return client.get({ segments: spec.path(key), cache: { expiresAt } }, read, options);
  // The token's id is a credential (a Crafter ticket): logs and spans show it masked, cache keys fingerprint it.
  return client.get({ segments: spec.path(key), shown: spec.path(loggedKey(key)), cache: { resource: cacheResource(spec, key), expiresAt } }, read, options);
}

/** What the cross-request cache keys the token by: its path, with an id that is a credential fingerprinted. */
export function cacheResource<S extends SourceName, R>(spec: TokenSource<S, R>, key: KeyOf<S>): string[] {
  return sourceRow(spec.source).id === 'public' ? spec.path(key) : spec.path({ ...key, tokenId: fingerprintSecretId(key.tokenId) });
}

/** The request's loader of `spec`'s tokens: one upstream call per distinct key. */
export function createTokenLoader<S extends SourceName, R>(client: SourceClient, spec: TokenSource<S, R>, options: CallOptions) {
  return distinctCallLoader(
    async (key: KeyOf<S>): Promise<TokenModelOf<S, R> | null> => {
      const record = await readToken(client, spec, key, options);
      return record === null ? null : { source: spec.source, key, record };
    },
    (key) => JSON.stringify(keyParts(key)),
    (size) => options.telemetry?.batch(spec.source, size),
  );
}
