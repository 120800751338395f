/**
 * Every answer tokengraph writes itself, outside Apollo Server: JSON (health, refusals before
 * GraphQL, in the GraphQL-over-HTTP error shape), metrics, and the files its own pages load
 * (GraphiQL at /graphql, the overview at /), served from memory. Everything a page needs comes
 * from this server, and its Content Security Policy says so, so a page works on an air-gapped
 * network and loads nothing else.
 */
import type { ServerResponse } from 'node:http';
import type { Metrics } from '../observability/metrics.js';
import { UNAUTHENTICATED, type KeyRefusal } from '../security/apiKeys.js';
import { lingeringClose } from './lingeringClose.js';

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.statusCode = status;
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.setHeader('cache-control', 'no-store');
  res.end(JSON.stringify(body));
}

/** A request refused before GraphQL: the GraphQL-over-HTTP error shape, with a code. */
export function sendError(res: ServerResponse, status: number, message: string, code = 'BAD_REQUEST'): void {
  res.statusCode = status;
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.end(JSON.stringify({ errors: [{ message, extensions: { code } }] }));
}

/** A request refused for its API key: 401 with the challenge, and the connection closed. */
export function sendUnauthenticated(res: ServerResponse, refused: KeyRefusal): void {
  const { message, challenge } = UNAUTHENTICATED[refused];
  // The body is never read: the connection closes once the rest of it has been dropped (bounded).
  lingeringClose(res);
  res.setHeader('www-authenticate', challenge);
  res.setHeader('cache-control', 'no-store');
  sendError(res, 401, message, 'UNAUTHENTICATED');
}

/** `GET /metrics`: the Prometheus text format; `more` is other series to follow (the inventory's). */
export async function sendMetrics(res: ServerResponse, metrics: Metrics, more?: () => Promise<string>): Promise<void> {
  const body = more ? (await metrics.registry.metrics()) + (await more()) : await metrics.registry.metrics();
  res.setHeader('content-type', metrics.registry.contentType);
  res.setHeader('cache-control', 'no-store');
  res.end(body);
}

export interface StaticAsset {
  contentType: string;
  body: Buffer;
}

export function sendAsset(res: ServerResponse, asset: StaticAsset): void {
  res.setHeader('content-type', asset.contentType);
  res.setHeader('cache-control', 'public, max-age=3600');
  res.setHeader('x-content-type-options', 'nosniff');
  res.end(asset.body);
}

export function sendHtml(res: ServerResponse, html: string): void {
  res.setHeader('content-type', 'text/html; charset=utf-8');
  res.setHeader('cache-control', 'no-store');
  res.setHeader(
    'content-security-policy',
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
  );
  res.setHeader('x-content-type-options', 'nosniff');
  res.setHeader('referrer-policy', 'no-referrer');
  res.end(html);
}
