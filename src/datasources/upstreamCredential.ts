/**
 * Which credential one upstream call sends: the caller's own, forwarded from a header of
 * the incoming request, when the upstream's forwarding is on (`<PREFIX>_FORWARD_HEADER`);
 * otherwise tokengraph's static credential. Forwarding never falls back to the static
 * credential: a request without the header gets `UNAUTHENTICATED` for that source's
 * fields, with no upstream call. How the credential is sent (query parameter, header
 * scheme) is each datasource's business.
 *
 * A cross-request cache must key its entries by `UpstreamCredential.for(options)` (a
 * fingerprint of it), so callers with different credentials never share an answer.
 */
import { scrubberFor, type Scrub } from '../security/safeText.js';
import { TokengraphError } from '../shared/errors.js';
import type { SourceName, UpstreamName } from '../sources.js';
import type { CallOptions } from './upstreamClient.js';

export interface CredentialSettings {
  /** The static credential; absent when forwarding is on. */
  credential?: string;
  /** The incoming header forwarded instead, lower-case. */
  forwardHeader?: string;
}

export class UpstreamCredential {
  /**
   * @param staticSecrets every static credential of the process (all upstreams'): an
   *   upstream text is scrubbed of them all, not only of the one sent to it.
   */
  /** The scrub of the static credentials, built once: most calls have nothing else to scrub. */
  private readonly staticScrub: Scrub;

  constructor(
    readonly upstream: UpstreamName,
    private readonly settings: CredentialSettings,
    private readonly staticSecrets: readonly string[] = settings.credential ? [settings.credential] : [],
  ) {
    this.staticScrub = scrubberFor(staticSecrets);
  }

  /** The credential a call for `source` sends; throws `UNAUTHENTICATED` when the caller sent none. */
  for(source: SourceName, options: CallOptions): string {
    const credential = this.settings.forwardHeader ? options.credentials?.[this.upstream] : this.settings.credential;
    if (credential) return credential;
    throw new TokengraphError(
      'UNAUTHENTICATED',
      `${source} needs the caller's own credential in the ${this.settings.forwardHeader ?? '(unset)'} request header (credential forwarding is on), and this request has none`,
      { source },
    );
  }

  /** The scrub of upstream texts for this call: every credential tokengraph knows during it (static, and the request's forwarded ones). */
  scrub(options: CallOptions): Scrub {
    const forwarded = Object.values(options.credentials ?? {}).filter((s): s is string => Boolean(s));
    return forwarded.length === 0 ? this.staticScrub : scrubberFor([...this.staticSecrets, ...forwarded]);
  }
}

/**
 * The forwarded credential of each upstream whose forwarding is on, read from the
 * incoming request's headers. A header that is absent or blank is left out.
 */
export function forwardedCredentials(
  forwardHeaders: Partial<Record<UpstreamName, string>>,
  headers: Record<string, string | string[] | undefined>,
): Partial<Record<UpstreamName, string>> {
  const credentials: Partial<Record<UpstreamName, string>> = {};
  for (const [upstream, header] of Object.entries(forwardHeaders) as Array<[UpstreamName, string]>) {
    const raw = headers[header];
    const value = (Array.isArray(raw) ? raw[0] : raw)?.trim();
    if (value) credentials[upstream] = value;
  }
  return credentials;
}
