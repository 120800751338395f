/**
 * The one shape of a source's revocation (contract §9): the call that revokes one of its tokens.
 * A source that can revoke (`revocable` in src/sources.ts) exports a `TokenRevoker` in its
 * datasource file; `revokeUpstream` makes the call the same way for every one of them:
 *
 * - a 2xx answer is `REVOKED` (NetBird answers 200, Astra 204, Crafter 200);
 * - an answer the source calls not-found (its upstream's own word, not any 404) is `NOT_FOUND`: the
 *   token is not there;
 * - any other status is the contract's error for it, thrown, with its error body's documented
 *   fields. A timeout is thrown as `UPSTREAM_TIMEOUT`: the upstream may or may not have acted.
 *
 * The call is never cached, and retried only where repeating it is safe (datasources/sourceGuard.ts).
 */
import { loggedKey } from '../security/secretIds.js';
import type { KeyOf, RevocableSource } from '../sources.js';
import type { NotFoundAnswer, SourceClient } from './sourceClient.js';
import type { CallOptions } from './upstreamClient.js';
import { isSuccess } from './upstreamResponse.js';

export interface TokenRevoker<S extends RevocableSource> {
  /** DELETE, or POST with no body. */
  method: 'DELETE' | 'POST';
  /** The resource to call under the base URL, one segment per element. */
  path(key: KeyOf<S>): string[];
  /** The upstream's own answers that say the token does not exist; without it, no answer does. */
  notFound?: NotFoundAnswer;
}

export type RevokeAnswer = 'REVOKED' | 'NOT_FOUND';

export function revokeUpstream<S extends RevocableSource>(client: SourceClient, revoker: TokenRevoker<S>, key: KeyOf<S>, options: CallOptions): Promise<RevokeAnswer> {
  // An id that is a credential (a ticket, an access token) is shown masked in logs and spans.
  const shown = revoker.path(loggedKey(key));
  return client.send(
    { method: revoker.method, segments: revoker.path(key), shown },
    (response): RevokeAnswer => {
      if (isSuccess(response.status)) return 'REVOKED';
      if (client.isNotFound(response, revoker.notFound)) return 'NOT_FOUND';
      throw client.statusError(response, options);
    },
    options,
  );
}
