/**
 * DNS rebinding: where tokengraph answers without a key (demo mode, `TOKENGRAPH_AUTH=none`, and
 * `/metrics` with `TOKENGRAPH_METRICS_AUTH=none`), any web page its operator opens could point
 * its own host name at tokengraph's address (127.0.0.1, or an address on the intranet) and read
 * the answers as its own, same-origin: the inventory, the metrics, and in demo mode revoke. The
 * browser then sends that page's host name in `Host`. So such requests are answered only when
 * `Host` is a name that cannot be the attacker's: `localhost` or a `*.localhost` name (browsers
 * resolve those to loopback themselves, RFC 6761), an IP address (a rebinding needs a name the
 * attacker's DNS answers; probes and Prometheus reach a pod by its IP), or a name listed in
 * `TOKENGRAPH_ALLOWED_HOSTS`. Development servers do the same (Vite's `server.allowedHosts`,
 * webpack-dev-server's `allowedHosts: 'auto'`). Where a key is required, the key protects.
 */
import { isIPv4, isIPv6 } from 'node:net';
import { FIXED_LIMITS } from './limits.js';

/** The variable that lists the other host names. */
export const ALLOWED_HOSTS_VARIABLE = 'TOKENGRAPH_ALLOWED_HOSTS';

/** A DNS label as hosts use them (letters, digits, `-`, and `_`, which Docker's and Compose's names may hold). */
const LABEL = '[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?';
/** A host name, or with a leading `.` a name and every name under it (as Vite and Django write it). */
const HOST_NAME = new RegExp(`^\\.?${LABEL}(?:\\.${LABEL})*$`);

/**
 * An entry of `TOKENGRAPH_ALLOWED_HOSTS` as it is matched (lower case, no trailing dot), or
 * `undefined` when it is not a host name or IP address without scheme or port.
 */
export function allowedHostEntry(entry: string): string | undefined {
  const host = normalize(entry);
  if (host.length === 0 || host.length > FIXED_LIMITS.allowedHostLength) return undefined;
  if (isIpLiteral(host) || HOST_NAME.test(host)) return host;
  return undefined;
}

/** Whether a request whose `Host` header is `header` may be answered; `listed` are checked entries. */
export type HostCheck = (header: string | undefined) => boolean;

export function createHostCheck(listed: readonly string[]): HostCheck {
  const exact = new Set(listed.filter((host) => !host.startsWith('.')));
  const under = new Set(listed.filter((host) => host.startsWith('.')).map((host) => host.slice(1)));
  return (header) => {
    const host = hostOf(header);
    // No name is longer than a DNS name can be, and the look-ups below cost the square of the
    // length (a 16 KB Host took about 90 ms before any key is checked).
    if (host === undefined || host.length > FIXED_LIMITS.allowedHostLength) return false;
    if (host === 'localhost' || host.endsWith('.localhost') || isIpLiteral(host) || exact.has(host)) return true;
    if (under.size === 0) return false;
    // `.example.com` allows example.com and every name under it: one look-up per label of the host.
    for (let at = 0; at !== -1; at = host.indexOf('.', at + 1)) {
      if (under.has(at === 0 ? host : host.slice(at + 1))) return true;
    }
    return false;
  };
}

/** The host of a `Host` header, without its port; `undefined` when there is none. */
function hostOf(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const value = header.trim().toLowerCase();
  if (value.startsWith('[')) {
    const end = value.indexOf(']');
    return end < 0 ? undefined : value.slice(0, end + 1);
  }
  const colon = value.indexOf(':');
  const host = normalize(colon < 0 ? value : value.slice(0, colon));
  return host.length > 0 ? host : undefined;
}

/** Lower case, without the trailing dot of a fully qualified name (`localhost.` is `localhost`). */
function normalize(host: string): string {
  const value = host.trim().toLowerCase();
  return value.endsWith('.') ? value.slice(0, -1) : value;
}

/** An IPv4 address, or an IPv6 one in brackets, as `Host` writes them. */
function isIpLiteral(host: string): boolean {
  return isIPv4(host) || (host.startsWith('[') && host.endsWith(']') && isIPv6(host.slice(1, -1)));
}
