/**
 * The games platform: `GET /v1/tokens/{tokenId}` with `Authorization: Bearer <token>`.
 * An ASP.NET Web API: it answers JSON or XML (a `<Token>` in the data-contract namespace,
 * nil values as `i:nil="true"`), sometimes labelled `text/html`, with .NET dates that
 * carry seven fractional digits and may have no zone. The body's first character decides
 * the parser, not its label. Error bodies (`{ "Message" }`) are not passed on.
 *
 * Caches: one per-request DataLoader, one call per distinct token id; the opt-in
 * cross-request cache (cache/sourceCache.ts), bounded by the token's `ExpirationDate`.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { z } from 'zod';
import { cached, type SourceCache } from '../cache/sourceCache.js';
import { dateMillis } from '../shared/dates.js';
import type { SourceName } from '../shared/errors.js';
import type { UpstreamCredential } from './upstreamCredential.js';
import { distinctCallLoader } from './distinctCallLoader.js';
import type { SourceGuard } from './sourceGuard.js';
import { rawDate } from './rawDate.js';
import type { CallOptions, UpstreamClient } from './upstreamClient.js';
import { decodeRecord, isSuccess, parseJson, statusError, UnparsableBody } from './upstreamResponse.js';

const SOURCE: SourceName = 'GAME';

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

/** The parent of `GameToken` resolvers: the record and the id it was asked by. */
export interface GameTokenModel {
  source: 'GAME';
  tokenId: string;
  record: GameTokenRecord;
}

export class GamesAPI {
  constructor(
    private readonly client: UpstreamClient,
    private readonly guard: SourceGuard,
    /** The token: static, or forwarded from the caller. */
    private readonly credential: UpstreamCredential,
    private readonly cache?: SourceCache,
  ) {}

  async getToken(tokenId: string, options: CallOptions = {}): Promise<GameTokenRecord | null> {
    // Throws UNAUTHENTICATED (no call, no cache lookup) when a forwarded credential is missing.
    const credential = this.credential.for(SOURCE, options);
    const segments = ['v1', 'tokens', tokenId];
    const load = () => this.guard.execute(options, (signal) => this.fetchToken(segments, `Bearer ${credential}`, signal));
    return cached(this.cache, segments, load, { credential, telemetry: options.telemetry, expiresAt: (record) => dateMillis(record?.ExpirationDate) });
  }

  private async fetchToken(segments: string[], authorization: string, signal: AbortSignal): Promise<GameTokenRecord | null> {
    const response = await this.client.get(SOURCE, segments, { headers: { authorization }, signal });
    if (isSuccess(response.status)) return decodeRecord(response, SOURCE, gameTokenRecord, parseJsonOrXml);
    if (response.status === 404) return null;
    throw statusError(response, SOURCE, {});
  }
}

export function createGamesLoader(api: GamesAPI, options: CallOptions) {
  return distinctCallLoader(
    async (tokenId: string): Promise<GameTokenModel | null> => {
      const record = await api.getToken(tokenId, options);
      return record && { source: 'GAME', tokenId, record };
    },
    (tokenId) => tokenId,
    (size) => options.telemetry?.batch(SOURCE, size),
  );
}

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
export function parseJsonOrXml(body: string): unknown {
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
