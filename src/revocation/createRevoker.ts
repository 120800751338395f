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
 *   one that timed out: it may be) nothing cached shows the token: the request's loaders forget
 *   it, the cross-request cache forgets its entries (whoever read them), and the inventory forgets
 *   its snapshots (once per mutation: every snapshot holds every token).
 * - Every token acted on is one audit line at `info` (`audit: "revoke"`, source, the id as logs
 *   show it, outcome, code, request id, the API key's fingerprint) and one count of
 *   `tokengraph_revocations_total{source,outcome}`; its upstream calls are spans like any other.
 * - A REVOKED token is one REVOKED event in the history (history/), at the time the upstream
 *   confirmed it, with the request id and the API key's fingerprint.
 *
 * Who may call it is decided before this runs (resolvers/Mutation.ts).
 */
import pLimit from 'p-limit';
import { ACCESS_TOKEN_LIST } from '../datasources/crafterProfile.js';
import { createTokenReader, type TokenReader } from '../datasources/createTokenReader.js';
import { TOKEN_REVOKERS, TOKEN_SOURCES, type DataSources } from '../datasources/createDataSources.js';
import { fieldsOf, type TokenModel } from '../datasources/models.js';
import type { SourceClient } from '../datasources/sourceClient.js';
import { revokeUpstream } from '../datasources/tokenRevocation.js';
import { cacheResource } from '../datasources/tokenSource.js';
import type { CallOptions } from '../datasources/upstreamClient.js';
import type { History } from '../history/createHistory.js';
import type { Inventory } from '../inventory/createInventory.js';
import type { Logger } from '../observability/createLogger.js';
import type { Metrics } from '../observability/metrics.js';
import { loggedKey, maskSecretId } from '../security/secretIds.js';
import { TokengraphError, type ErrorCode } from '../shared/errors.js';
import { keyParts, sourceRow, UPSTREAMS, type KeyOf, type RevocableSource, type SourceName } from '../sources.js';

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
}

export interface RevokerParts {
  dataSources: DataSources;
  inventory?: Inventory;
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
      let revoked = false;
      // One action per distinct token, at most a bulkhead's worth of them at once per source.
      const limits = new Map<SourceName, ReturnType<typeof pLimit>>();
      const limitOf = (source: SourceName) => {
        let limit = limits.get(source);
        if (!limit) limits.set(source, (limit = pLimit(dataSources.clients[source]?.maxConcurrency ?? 1)));
        return limit;
      };
      const actions = new Map<string, Promise<ActionResult>>();
      const results = keys.map((key) => {
        const id = JSON.stringify(keyParts(key));
        let action = actions.get(id);
        if (!action) {
          action = limitOf(key.source)(() => revokeOne(parts, key, request, options, reader)).then(async (result) => {
            if (result.forgotten) revoked = true;
            audit(parts, key, result, request);
            if (result.outcome === 'REVOKED' && result.token) {
              await parts.history?.recordRevoked(result.token, { at: result.confirmedAt ?? Date.now(), requestId: request.requestId, keyFingerprint: request.keyFingerprint });
            }
            return result;
          });
          actions.set(id, action);
        }
        return action;
      });
      const answers = await Promise.all(results);
      // Every snapshot holds every token: forgotten once for the whole request, not per token.
      if (revoked) await parts.inventory?.invalidate();
      return answers.map(({ forgotten: _, confirmedAt: __, ...result }) => result);
    },
  };
}

/**
 * A result, whether the token's cached reads were forgotten (its inventory snapshots are then stale
 * too), and when the upstream confirmed a revocation (the REVOKED event's time).
 */
type ActionResult = RevokeResultModel & { forgotten?: boolean; confirmedAt?: number };

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
    // After a timeout the token may be gone already: what is cached of it is forgotten all the same.
    if (error instanceof TokengraphError && error.code === 'UPSTREAM_TIMEOUT') await forget(client, revocable, request);
    return { ...result('FAILED', token, failureOf(parts, error, true)), forgotten: error instanceof TokengraphError && error.code === 'UPSTREAM_TIMEOUT' };
  }
  const confirmedAt = Date.now();
  await forget(client, revocable, request);
  return { ...result(answer, answer === 'REVOKED' ? token : null), forgotten: true, confirmedAt };
}

/** The Crafter access token tokengraph calls with: configured, or the caller's forwarded one. */
function isOwnCredential(client: SourceClient, key: KeyOf<RevocableSource>, options: CallOptions): boolean {
  if (key.source !== 'CRAFTER_ACCESS_TOKEN') return false;
  return key.tokenId === client.credentialOf({}) || key.tokenId === client.credentialOf(options);
}

/** The revoked token out of the request's loaders and the cross-request cache (the inventory: once, in `revoke`). */
async function forget(client: SourceClient, key: KeyOf<RevocableSource>, request: RevokeRequest): Promise<void> {
  request.forgetInRequest(key);
  const resource = key.source === 'CRAFTER_ACCESS_TOKEN' ? ACCESS_TOKEN_LIST : cacheResource(TOKEN_SOURCES[key.source] as never, key as never);
  await client.forget(resource);
}

function failureOf(parts: RevokerParts, error: unknown, revoking = false): { code: ErrorCode; message: string } {
  if (!(error instanceof TokengraphError)) {
    // A fault of ours, not the upstream's answer: logged for whoever mends it, never shown.
    parts.logger.error({ err: error }, 'a revocation failed unexpectedly');
    return { code: 'UPSTREAM_ERROR', message: 'the revocation failed unexpectedly' };
  }
  if (revoking && error.code === 'UPSTREAM_TIMEOUT') {
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
  const { tokenId } = loggedKey(key);
  parts.logger.info(
    { audit: 'revoke', source: key.source, tokenId, outcome: result.outcome, code: result.code, dryRun: request.dryRun, requestId: request.requestId, keyFingerprint: request.keyFingerprint },
    `revoke ${key.source} ${tokenId}: ${result.outcome}`,
  );
  parts.metrics?.revocation(key.source, result.outcome);
}
