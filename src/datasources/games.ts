/**
 * The games platform: `GET /v1/tokens/{tokenId}` with `Authorization: Bearer <token>`.
 * An ASP.NET Web API: it answers JSON or XML (a `<Token>` in the data-contract namespace,
 * nil values as `i:nil="true"`), sometimes labelled `text/html`, with .NET dates that
 * carry seven fractional digits and may have no zone. The body's first character decides
 * the parser, not its label. Error bodies (`{ "Message" }`) are not passed on.
 *
 * Caches: the request's loader, one call per distinct token id; the opt-in cross-request cache,
 * bounded by the token's `ExpirationDate`.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { z } from 'zod';
import { rawDate } from './rawDate.js';
import type { NotFoundAnswer, UpstreamApi } from './sourceClient.js';
import { none, type TokenFields } from './tokenFields.js';
import type { TokenModelOf, TokenSource } from './tokenSource.js';
import { parseJson, UnparsableBody } from './upstreamResponse.js';

export const gamesApi: UpstreamApi = {
  accept: 'application/json, text/json;q=0.9, application/xml;q=0.8, text/xml;q=0.8',
  authorize: (credential) => ({ headers: { authorization: `Bearer ${credential}` } }),
  // Web API's `{ "Message" }` says nothing a caller can use: only the status is passed on.
  errorInfo: () => ({}),
};

const optionalText = z.string().nullish();

export const gameTokenRecord = z.object({
  TokenSourceId: z.string(),
  IssueDate: rawDate,
  ExpirationDate: rawDate,
  ParticipantSourceId: optionalText,
  GameSourceId: optionalText,
  GameName: optionalText,
  GameIconUrl: optionalText,
  Reason: optionalText,
  GamePlayKey: optionalText,
});
export type GameTokenRecord = z.output<typeof gameTokenRecord>;
export type GameTokenModel = TokenModelOf<'GAME', GameTokenRecord>;

export const gameFields: TokenFields<GameTokenModel> = {
  tokenId: (model) => model.record.TokenSourceId,
  name: (model) => model.record.GameName ?? null,
  owner: (model) => model.record.ParticipantSourceId ?? null,
  createdBy: none,
  createdAt: { field: 'IssueDate', value: (model) => model.record.IssueDate },
  expiresAt: { field: 'ExpirationDate', value: (model) => model.record.ExpirationDate },
  lastUsedAt: null,
};

/** Web API's answer for a path no route matches (a wrong GAMES_URL), in JSON or XML. */
const NO_ROUTE = 'No HTTP resource was found that matches the request URI';

/**
 * The games API documents no not-found answer (seed 004: 200, 401, 500). A 404 is its own when Web
 * API wrote it for the token: `NotFound()`'s empty body, or an error body (`{"Message"}`,
 * `<Error><Message>`) other than its no-route answer. An HTML page (IIS, a proxy) is not.
 */
const gameNotFound: NotFoundAnswer = (response, body) => {
  if (response.status !== 404) return false;
  const text = response.body.trim();
  if (text === '') return true;
  const message = text.startsWith('<') ? /^<Error>\s*<Message>([^<]*)<\/Message>/.exec(text)?.[1] : (body as { Message?: unknown }).Message;
  return typeof message === 'string' && !message.startsWith(NO_ROUTE);
};

export const gameTokens: TokenSource<'GAME', GameTokenRecord> = {
  source: 'GAME',
  path: (key) => ['v1', 'tokens', key.tokenId],
  record: gameTokenRecord,
  parse: parseJsonOrXml,
  notFound: gameNotFound,
  expiry: (record) => record.ExpirationDate,
};

const xmlParser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  removeNSPrefix: true,
  // Keep every value a string: "00123" is an id, not a number.
  parseTagValue: false,
  parseAttributeValue: false,
  processEntities: true,
  htmlEntities: false,
});

/** JSON or the Web API's XML, chosen by the body's first character. */
function parseJsonOrXml(body: string): unknown {
  const text = body.trimStart();
  return text.startsWith('<') ? parseTokenXml(text) : parseJson(text);
}

function parseTokenXml(text: string): unknown {
  // A data-contract body never has a DOCTYPE; refusing it rules out entity expansion.
  if (/<!DOCTYPE/i.test(text) || XMLValidator.validate(text) !== true) {
    throw new UnparsableBody('the body is not well-formed XML');
  }
  const document = xmlParser.parse(text) as Record<string, unknown>;
  const token = document.Token;
  if (token === null || typeof token !== 'object') throw new UnparsableBody('the XML body has no <Token> element');
  const record: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(token as Record<string, unknown>)) {
    if (name.startsWith('@')) continue;
    record[name] = xmlValue(value);
  }
  return record;
}

/** `<X>text</X>` → "text"; `<X/>` → ""; `<X i:nil="true"/>` → null; anything nested → itself (and refused by the schema). */
function xmlValue(value: unknown): unknown {
  if (typeof value === 'string') return value;
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const element = value as Record<string, unknown>;
    if (element['@nil'] === 'true') return null;
    const keys = Object.keys(element).filter((k) => !k.startsWith('@'));
    if (keys.length === 0) return '';
    if (keys.length === 1 && keys[0] === '#text') return element['#text'];
  }
  return value;
}
