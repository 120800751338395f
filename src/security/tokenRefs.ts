/**
 * A `TokenRef` (the schema's input) names one upstream token by its source and that source's
 * reference parts (src/sources.ts). `keyFromRef` checks it and turns it into the `TokenKey` the
 * request's loaders take, so `token`, `tokens`, `node` and `nodes` share one dispatch.
 */
import { badUserInput } from '../shared/errors.js';
import { sourceRow, type RefPart, type SourceName, type TokenKey } from '../sources.js';
import { assertIdentifier } from './identifiers.js';

/** The `TokenRef` input type of the schema. */
export interface TokenRefInput {
  source: SourceName;
  tokenId: string;
  accountId?: string | null;
  userId?: string | null;
}

/**
 * Validates a `TokenRef` and turns it into a key: each part its source needs is required and
 * must be a usable identifier (`tokenId` checked first); parts a source does not use are ignored.
 * Throws `BAD_USER_INPUT`.
 */
export function keyFromRef(ref: TokenRefInput): TokenKey {
  const tokenId = assertIdentifier('tokenId', ref.tokenId);
  const key: Record<string, string> = { source: ref.source, tokenId };
  for (const part of sourceRow(ref.source).refParts as readonly RefPart[]) {
    if (part === 'tokenId') continue;
    const value = ref[part];
    if (value === undefined || value === null) throw badUserInput(`${part} is required for ${ref.source} tokens`);
    key[part] = assertIdentifier(part, value);
  }
  return key as unknown as TokenKey;
}
