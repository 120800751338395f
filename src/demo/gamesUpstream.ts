/**
 * Imitates the games platform's ASP.NET Web API (seed 004): `GET /v1/tokens/{tokenId}` with
 * `Authorization: Bearer <token>`. Like Web API it negotiates on `Accept`: JSON by default (.NET
 * dates with seven fractional digits and `Z`), XML from DataContractSerializer when XML is
 * preferred (alphabetical elements, the server's local -06:00 offset, `i:nil` for nulls), and the
 * JSON body labelled `text/html` when HTML is preferred, as the seed's help page shows. Errors are
 * Web API's `{"Message": ...}` (or `<Error><Message>` in XML); a path no route matches is its
 * `No HTTP resource was found that matches the request URI …`, an unknown token the controller's
 * `NotFound()`, a 404 with no body (the seed documents no not-found answer).
 */
import { DEMO_CREDENTIALS, demoData, type DemoGameToken } from './demoData.js';
import {
  authorization,
  escapeXml,
  matchRoute,
  startFakeUpstream,
  type Answer,
  type FakeUpstream,
  type InFlightMeter,
  type RecordedCall,
} from './fakeUpstream.js';

export type GamesFormat = 'json' | 'xml' | 'html';

export interface GamesUpstreamOptions {
  port?: number;
  prefix?: string;
  meter?: InFlightMeter;
  /** The one valid bearer token. Default `DEMO_CREDENTIALS.games`. */
  credential?: string;
  /** Answer in this format whatever `Accept` says. */
  format?: GamesFormat;
  /** Default: `demoData(new Date()).games`. */
  data?: DemoGameToken[];
}

const CONTENT_TYPES: Record<GamesFormat, string> = {
  json: 'application/json; charset=utf-8',
  xml: 'application/xml; charset=utf-8',
  html: 'text/html; charset=utf-8',
};
const MEDIA_FORMATS: Record<string, GamesFormat> = {
  '*/*': 'json',
  'application/*': 'json',
  'application/json': 'json',
  'text/json': 'json',
  'application/xml': 'xml',
  'text/xml': 'xml',
  'text/html': 'html',
};
/** The server's local offset, used by DataContractSerializer for UTC dates. */
const SERVER_OFFSET_MINUTES = -6 * 60;

/** The format `Accept` prefers (highest q; ties go json, then xml, then html). */
function negotiate(accept: string | undefined): GamesFormat {
  const best: Record<GamesFormat, number> = { json: 0, xml: 0, html: 0 };
  for (const item of (accept ?? '').split(',')) {
    const [media = '', ...params] = item.split(';').map((s) => s.trim().toLowerCase());
    const format = MEDIA_FORMATS[media];
    if (!format) continue;
    const q = params.find((p) => p.startsWith('q='));
    best[format] = Math.max(best[format], q ? Number(q.slice(2)) || 0 : 1);
  }
  if (best.json === 0 && best.xml === 0 && best.html === 0) return 'json';
  if (best.json >= best.xml && best.json >= best.html) return 'json';
  return best.xml >= best.html ? 'xml' : 'html';
}

/** `2025-12-11T17:08:30.8449349Z` → `2025-12-11T11:08:30.8449349-06:00`; other forms unchanged. */
function toServerOffset(utc: string): string {
  const match = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(\.\d+)?Z$/.exec(utc);
  if (!match) return utc;
  const local = new Date(Date.parse(`${match[1]}Z`) + SERVER_OFFSET_MINUTES * 60_000).toISOString().slice(0, 19);
  const sign = SERVER_OFFSET_MINUTES < 0 ? '-' : '+';
  const abs = Math.abs(SERVER_OFFSET_MINUTES);
  const offset = `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
  return `${local}${match[2] ?? ''}${offset}`;
}

function tokenXml(token: DemoGameToken): string {
  const children = (Object.keys(token) as (keyof DemoGameToken)[]).sort().map((key) => {
    const value = token[key];
    if (value === null) return `  <${key} i:nil="true"/>`;
    const text = key === 'IssueDate' || key === 'ExpirationDate' ? toServerOffset(value) : value;
    return `  <${key}>${escapeXml(text)}</${key}>`;
  });
  return [
    '<Token xmlns:i="http://www.w3.org/2001/XMLSchema-instance" xmlns="http://schemas.datacontract.org/2004/07/ITAGroup.Games.Api.Contracts.v1.Models">',
    ...children,
    '</Token>',
  ].join('\n');
}

export function startGamesUpstream(options: GamesUpstreamOptions = {}): Promise<FakeUpstream> {
  const data = options.data ?? demoData(new Date()).games;
  const credential = options.credential ?? DEMO_CREDENTIALS.games;
  const formatFor = (call: RecordedCall) => options.format ?? negotiate(call.headers.accept);

  const webApiError = (status: number, call: RecordedCall, message: string): Answer => {
    const format = formatFor(call);
    const body =
      format === 'xml' ? `<Error><Message>${escapeXml(message)}</Message></Error>` : JSON.stringify({ Message: message });
    return { status, body, contentType: CONTENT_TYPES[format] };
  };
  const notFound = (call: RecordedCall) =>
    webApiError(404, call, `No HTTP resource was found that matches the request URI 'http://${call.headers.host ?? '127.0.0.1'}${call.path}'.`);

  return startFakeUpstream({
    name: 'Games',
    port: options.port,
    prefix: options.prefix,
    meter: options.meter,
    errorBody(status, call) {
      if (status === 404) return notFound(call);
      if (status === 401) return webApiError(401, call, 'Authorization has been denied for this request.');
      if (status === 400) return webApiError(400, call, 'The request is invalid.');
      return webApiError(status, call, 'An error has occurred.');
    },
    handle(call, path) {
      const params = matchRoute('/v1/tokens/:tokenId', path);
      if (!params) return notFound(call);
      if (authorization(call, 'Bearer') !== credential) {
        return webApiError(401, call, 'Authorization has been denied for this request.');
      }
      const token = data.find((t) => t.TokenSourceId === params.tokenId);
      // The controller's NotFound(): 404 with no body, unlike the no-route answer above.
      if (!token) return { status: 404, body: '', contentType: CONTENT_TYPES[formatFor(call)] };
      const format = formatFor(call);
      return { status: 200, body: format === 'xml' ? tokenXml(token) : JSON.stringify(token), contentType: CONTENT_TYPES[format] };
    },
  });
}
