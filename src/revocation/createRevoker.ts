/**
 * Revocation (contract §9): `revokeTokens` for one request, token by token, in the order asked.
 *
 *   read (anew, past every cache) → NOT_FOUND | REFUSED (tokengraph's own credential)
 *     → WOULD_REVOKE (dry run) → the source's revocation call → REVOKED | NOT_FOUND | FAILED
 *
 * - Games tokens are UNSUPPORTED (no documented call), with no upstream call at all.
 * - A ref given twice is revoked once; its result is reported at each position.
 * - A failure is FAILED with its contract code. A timeout says the outcome is unknown: the call
 *   is never repeated blindly (datasources/sourceGuard.ts), so the caller reads before retrying.
 * - After a revocation (or a delete the upstream answers 404: the token is gone either way; or
 *   one whose outcome is unknown: a timeout, a 502 or other 5xx but 503, a reset connection, the
 *   admin's client leaving mid-call; the token may be gone) nothing cached shows the token. Only a
 *   call that was never sent or that the upstream refused (4xx, 503) leaves it as it was. The
 *   request's loaders forget it, and a tombstone is laid (cache/tombstones.ts) before its result
 *   is audited and answered: no cross-request cache entry of it is served any more, whoever read
 *   it and whenever it was written, and no inventory snapshot read before it shows it, on any
 *   replica that shares the tombstones (Redis). Laying one is a few writes, whatever else is cached.
 * - Every token acted on is one audit line at `info` (`audit: "revoke"`, source, the id as logs
 *   show it, outcome, code, request id, the API key's fingerprint) and one count of
 *   `tokengraph_revocations_total{source,outcome}`; its upstream calls are spans like any other.
 * - A REVOKED token is one REVOKED event in the history (history/), at the time the upstream
 *   confirmed it, with the request id and the API key's fingerprint. The answer waits for it until
 *   the request's deadline at most: a stalled history database does not hold the mutation.
 *
 * Who may call it is decided before this runs (resolvers/Mutation.ts); a refused attempt is
 * audited by `refuse`: one line and one count per distinct ref, outcome and code `FORBIDDEN`.
 */
import pLimit from 'p-limit';
import type { Tombstone, Tombstones } from '../cache/tombstones.js';
import { ACCESS_TOKEN_LIST } from '../datasources/crafterProfile.js';
import { createTokenReader, type TokenReader } from '../datasources/createTokenReader.js';
import { TOKEN_REVOKERS, TOKEN_SOURCES, type DataSources } from '../datasources/createDataSources.js';
import { fieldsOf, type TokenModel } from '../datasources/models.js';
import type { SourceClient } from '../datasources/sourceClient.js';
import { revokeUpstream } from '../datasources/tokenRevocation.js';
import { cacheResource } from '../datasources/tokenSource.js';
import type { CallOptions } from '../datasources/upstreamClient.js';
import type { History } from '../history/createHistory.js';
import type { Logger } from '../observability/createLogger.js';
import type { Metrics } from '../observability/metrics.js';
import { loggedKey, maskSecretId, restingRef } from '../security/secretIds.js';
import { keyFromRef, type TokenRefInput } from '../security/tokenRefs.js';
import { TokengraphError, wasUnsent, type ErrorCode } from '../shared/errors.js';
import { refText, sourceRow, UPSTREAMS, type KeyOf, type RevocableSource, type SourceName, type TokenKey } from '../sources.js';

export type RevokeOutcome = 'REVOKED' | 'WOULD_REVOKE' | 'NOT_FOUND' | 'REFUSED' | 'UNSUPPORTED' | 'FAILED';

/** What a key of any source with ids (not a fingerprint) looks like. */
export type RefKey = { [S in SourceName]: KeyOf<S> }[SourceName];

export interface RevokeResultModel {
  source: SourceName;
  /** The id as tokengraph shows it: masked where it is secret. */
  tokenId: string;
  outcome: RevokeOutcome;
  /** The contract code for FAILED and REFUSED. */
  code: ErrorCode | 'FORBIDDEN' | null;
  message: string | null;
  /** The token as read just before revoking; null when not found (or never read). */
  token: TokenModel | null;
}

export interface RevokeRequest {
  dryRun: boolean;
  /** The request's signal, deadline, forwarded credentials and telemetry. */
  options: CallOptions;
  /** For the audit lines. */
  requestId?: string;
  keyFingerprint?: string;
  /** Forgets `key` in the request's own loaders. */
  forgetInRequest(key: RefKey): void;
}

export interface Revoker {
  revoke(keys: readonly RefKey[], request: RevokeRequest): Promise<RevokeResultModel[]>;
  /** Audits an attempt refused before anything is read or revoked: the key may not (`FORBIDDEN`), or the refs are bad (`BAD_USER_INPUT`). */
  refuse(refs: readonly TokenRefInput[], request: RefusedRequest): void;
}

/** A refused attempt, for its audit lines. */
export interface RefusedRequest {
  /** Why: the outcome and code of each of its lines. */
  outcome: 'FORBIDDEN' | 'BAD_USER_INPUT';
  dryRun: boolean;
  requestId?: string;
  keyFingerprint?: string;
  /** Most refs given a line each (TOKENGRAPH_MAX_LIST_LENGTH): a refused key cannot flood the log. */
  maxLines: number;
}

export interface RevokerParts {
  dataSources: DataSources;
  /** Where revoked tokens are remembered, so nothing cached shows them (the cache's, or this process's). */
  tombstones: Tombstones;
  /** Records each REVOKED result as a REVOKED event (contract §12). */
  history?: History;
  logger: Logger;
  metrics?: Metrics;
}

export function createRevoker(parts: RevokerParts): Revoker {
  const { dataSources } = parts;
  return {
    async revoke(keys, request) {
      // Read anew: a cached answer could show a token another tool already revoked. Every
      // access-token ref of the request is looked up in one list call (contract §4).
      const options: CallOptions = { ...request.options, bypassCache: true };
      const reader = createTokenReader(dataSources, options);
      // One action per distinct token, at most a bulkhead's worth of them at once per source.
      const limits = new Map<SourceName, ReturnType<typeof pLimit>>();
      const limitOf = (source: SourceName) => {
        let limit = limits.get(source);
        if (!limit) limits.set(source, (limit = pLimit(dataSources.clients[source]?.maxConcurrency ?? 1)));
        return limit;
      };
      const actions = new Map<string, Promise<ActionResult>>();
      const results = keys.map((key) => {
        // With its source: a Crafter ticket and a Crafter access token may share an id.
        const id = refText(key);
        let action = actions.get(id);
        if (!action) {
          action = limitOf(key.source)(() => revokeOne(parts, key, request, options, reader)).then(async ({ gone, confirmedAt, ...result }) => {
            if (gone) await forget(parts, key as KeyOf<RevocableSource>, request);
            audit(parts, key, result, request);
            if (result.outcome === 'REVOKED' && result.token) {
              // Waited for until the request's deadline at most (options.signal): the upstream has revoked it.
              await parts.history?.recordRevoked(result.token, { at: confirmedAt ?? Date.now(), requestId: request.requestId, keyFingerprint: request.keyFingerprint }, options.signal);
            }
            return result;
          });
          actions.set(id, action);
        }
        return action;
      });
      return Promise.all(results);
    },
    refuse(refs, request) {
      const seen = new Set<string>();
      for (const ref of refs) {
        if (seen.size >= request.maxLines) {
          parts.logger.warn({ audit: 'revoke', outcome: request.outcome, requestId: request.requestId, keyFingerprint: request.keyFingerprint, refsNotLogged: refs.length - seen.size }, 'a refused revokeTokens named more refs than are logged one by one');
          return;
        }
        // A ref that is not valid is logged without its id: only checked identifiers reach a log.
        let key: TokenKey | undefined;
        try {
          key = keyFromRef(ref);
        } catch {
          key = undefined;
        }
        const id = key ? refText(key) : `${ref.source} invalid ${seen.size}`;
        if (seen.has(id)) continue;
        seen.add(id);
        const tokenId = key && 'tokenId' in key ? loggedKey(key).tokenId : null;
        auditLine(parts, ref.source, tokenId, { outcome: request.outcome, code: request.outcome }, request);
      }
    },
  };
}

/**
 * A result, whether the token may be gone upstream because of it (so nothing cached may show it),
 * and when the upstream confirmed a revocation (the REVOKED event's time).
 */
type ActionResult = RevokeResultModel & { gone?: boolean; confirmedAt?: number };

async function revokeOne(parts: RevokerParts, key: RefKey, request: RevokeRequest, options: CallOptions, reader: TokenReader): Promise<ActionResult> {
  const { source } = key;
  const result = (outcome: RevokeOutcome, token: TokenModel | null, failure?: { code: RevokeResultModel['code']; message: string }): ActionResult => ({
    source,
    tokenId: token ? fieldsOf(token).tokenId(token) : shownId(key),
    outcome,
    code: failure?.code ?? null,
    message: failure?.message ?? null,
    token,
  });
  const row = sourceRow(source);
  if (!row.revocable) return result('UNSUPPORTED', null, { code: null, message: `${source} tokens cannot be revoked: ${UPSTREAMS[row.upstream].label}'s API documents no way to revoke one` });
  const revocable = key as KeyOf<RevocableSource>;
  const client = parts.dataSources.clients[source];
  if (!client) return result('FAILED', null, failureOf(parts, new TokengraphError('SOURCE_NOT_CONFIGURED', `${source} is not configured`)));
  let token: TokenModel | null;
  try {
    token = await reader.load(key);
  } catch (error) {
    return result('FAILED', null, failureOf(parts, error));
  }
  if (token === null) return result('NOT_FOUND', null);
  if (isOwnCredential(client, revocable, options)) {
    return result('REFUSED', token, { code: 'FORBIDDEN', message: 'tokengraph does not revoke the credential it calls Crafter Profile with (CRAFTER_PROFILE_ACCESS_TOKEN_ID)' });
  }
  if (request.dryRun) return result('WOULD_REVOKE', token);
  let answer: 'REVOKED' | 'NOT_FOUND';
  try {
    answer = await revokeUpstream(client, TOKEN_REVOKERS[revocable.source] as never, revocable as never, options);
  } catch (error) {
    // Unless the call surely did nothing, the token may be gone: nothing cached may show it.
    return { ...result('FAILED', token, failureOf(parts, error, true)), gone: mayHaveActed(error) };
  }
  return { ...result(answer, answer === 'REVOKED' ? token : null), gone: true, confirmedAt: Date.now() };
}

/**
 * Whether a revocation call that failed so may have revoked the token: anything but a call never
 * sent (circuit, bulkhead, no connection, no forwarded credential) or one the upstream answered
 * without acting (a client error, or 503). A timeout, a 5xx, a reset, a body cut off, the client
 * leaving mid-call, or a fault of ours after the call all may have.
 */
function mayHaveActed(error: unknown): boolean {
  if (!(error instanceof TokengraphError)) return true;
  if (wasUnsent(error) || error.code === 'UNAUTHENTICATED' || error.code === 'SOURCE_NOT_CONFIGURED') return false;
  return !(error.status !== undefined && ((error.status >= 400 && error.status < 500) || error.status === 503));
}

/** The Crafter access token tokengraph calls with: configured, or the caller's forwarded one. */
function isOwnCredential(client: SourceClient, key: KeyOf<RevocableSource>, options: CallOptions): boolean {
  if (key.source !== 'CRAFTER_ACCESS_TOKEN') return false;
  return key.tokenId === client.credentialOf({}) || key.tokenId === client.credentialOf(options);
}

/** The revoked token out of the request's loaders, and a tombstone for every other cached read (cache/tombstones.ts). */
async function forget(parts: RevokerParts, key: KeyOf<RevocableSource>, request: RevokeRequest): Promise<void> {
  request.forgetInRequest(key);
  await parts.tombstones.bury([tombstoneOf(key)]);
}

/** The token as tombstones name it, and the cache resources that hold it: its own, or for an access token the list. */
function tombstoneOf(key: KeyOf<RevocableSource>): Tombstone {
  const resource = key.source === 'CRAFTER_ACCESS_TOKEN' ? ACCESS_TOKEN_LIST : cacheResource(TOKEN_SOURCES[key.source] as never, key as never);
  return { token: restingRef(key as TokenKey), resources: [{ source: key.source, resource }] };
}

function failureOf(parts: RevokerParts, error: unknown, revoking = false): { code: ErrorCode; message: string } {
  if (!(error instanceof TokengraphError)) {
    // A fault of ours, not the upstream's answer: logged for whoever mends it, never shown.
    parts.logger.error({ err: error }, 'a revocation failed unexpectedly');
    return { code: 'UPSTREAM_ERROR', message: 'the revocation failed unexpectedly' };
  }
  if (revoking && mayHaveActed(error)) {
    return { code: error.code, message: `${error.message}: the outcome is unknown, so the call was not repeated; read the token before trying again` };
  }
  return { code: error.code, message: error.message };
}

/** The id as GraphQL shows it, for a token that could not be read: an access token's masked. */
function shownId(key: RefKey): string {
  return sourceRow(key.source).id === 'secret' ? maskSecretId(key.tokenId) : key.tokenId;
}

function audit(parts: RevokerParts, key: RefKey, result: RevokeResultModel, request: RevokeRequest): void {
  // Logs mask every id that is a credential, a ticket's too (GraphQL shows tickets' ids as they are).
  auditLine(parts, key.source, loggedKey(key).tokenId, result, request);
}

/** One audit line and one count: a token acted on, or a ref of a refused attempt (outcome `FORBIDDEN` or `BAD_USER_INPUT`). */
function auditLine(
  parts: RevokerParts,
  source: SourceName,
  tokenId: string | null,
  result: { outcome: RevokeOutcome | RefusedRequest['outcome']; code: string | null },
  request: { dryRun: boolean; requestId?: string; keyFingerprint?: string },
): void {
  parts.logger.info(
    { audit: 'revoke', source, tokenId, outcome: result.outcome, code: result.code, dryRun: request.dryRun, requestId: request.requestId, keyFingerprint: request.keyFingerprint },
    `revoke ${source} ${tokenId ?? '(invalid ref)'}: ${result.outcome}`,
  );
  parts.metrics?.revocation(source, result.outcome);
}
