/**
 * The overview page's Revoke action without the DOM (contract §9): which rows offer it, the
 * reference a revocation is sent with, and what an answer to `RevokeTokens`
 * (web/operations/revokeTokens.graphql) says, in the words the dialog and the row show.
 *
 * What may be revoked comes from the sources table (src/sources.ts `revocable`), and which ids
 * the page cannot know from its `id: 'secret'`, so a new source needs nothing here.
 */
import type { RevokeOutcome, RevokeTokensMutation, TokenRef, TokenSource } from '../src/generated/client/graphql.js';
import { sourceRow, UPSTREAMS } from '../src/sources.js';
import { errorCode, type GraphQLErrorLike } from './graphqlErrors.js';
import type { TokenRow } from './tokenRows.js';

export type RevokeResult = NonNullable<RevokeTokensMutation['revokeTokens']>[number];

/** An answer to `RevokeTokens` for one token: tokengraph's result, or why it gave none (the request was refused or failed). */
export type RevokeAnswer = { result: RevokeResult } | { error: { code: string; message: string } };

/** What the row shows after an attempt. */
export interface RevokeShown {
  /** The outcome, or the error code when there is no result (`FORBIDDEN`, `UNAUTHENTICATED`, …). */
  label: string;
  /** The code and message, or what the outcome means. */
  detail: string;
  /** Whether nothing more can be done from this row: after REVOKED, NOT_FOUND, REFUSED and UNSUPPORTED. */
  final: boolean;
}

/** What each outcome means, where tokengraph gives no message. */
const OUTCOME_WORDS: Readonly<Record<RevokeOutcome, string>> = {
  REVOKED: 'revoked upstream',
  WOULD_REVOKE: 'found: it would be revoked; nothing is revoked until you confirm',
  NOT_FOUND: 'the upstream does not know it: nothing to revoke',
  REFUSED: 'tokengraph will not revoke it',
  UNSUPPORTED: 'its upstream has no way to revoke a token',
  FAILED: 'the revocation failed',
};

const FINAL: ReadonlySet<string> = new Set<RevokeOutcome>(['REVOKED', 'NOT_FOUND', 'REFUSED', 'UNSUPPORTED']);

/** Why `row` offers no Revoke action, or `null` when it does. */
export function whyNotRevocable(row: TokenRow): string | null {
  if (row.problem) return 'tokengraph could not read this token';
  const source = sourceRow(row.source);
  if (!source.revocable) {
    const upstream = UPSTREAMS[source.upstream].label;
    return `${upstream[0]!.toUpperCase()}${upstream.slice(1)} documents no way to revoke a token`;
  }
  return null;
}

/**
 * Whether the page must ask for the token's full id: its id is a credential that tokengraph
 * only ever shows masked (Crafter access tokens), yet revoking it needs the real one.
 */
export function needsFullId(source: TokenSource): boolean {
  return sourceRow(source).id === 'secret';
}

/** The reference to revoke `row`'s token by: the row's own, with the pasted `fullId` where the shown id is masked. */
export function revokeRef(row: TokenRow, fullId = ''): TokenRef {
  return needsFullId(row.source) ? { ...row.ref, tokenId: fullId.trim() } : row.ref;
}

/** Reads tokengraph's answer (`body` `null` when it was not JSON). */
export function readRevokeAnswer(status: number, body: { data?: RevokeTokensMutation | null; errors?: readonly GraphQLErrorLike[] } | null): RevokeAnswer {
  const result = body?.data?.revokeTokens?.[0];
  if (result) return { result };
  const error = body?.errors?.[0];
  if (error) return { error: { code: errorCode(error), message: error.message } };
  return { error: { code: status === 401 ? 'UNAUTHENTICATED' : 'ERROR', message: `tokengraph answered HTTP ${status}` } };
}

/** Whether a dry run found `row`'s own token and it may be revoked: the confirmation may be offered. */
export function mayConfirm(row: TokenRow, answer: RevokeAnswer): boolean {
  // The token's global id is checked too, so a pasted id of another access token is never revoked from this row.
  return 'result' in answer && answer.result.outcome === 'WOULD_REVOKE' && answer.result.token?.id === row.key;
}

/**
 * Whether a dry run's answer is about another token than `row`'s: a pasted id that is not this
 * token's (another token's, or nobody's). Then nothing is shown in the row: the id was wrong.
 */
export function otherToken(row: TokenRow, answer: RevokeAnswer): boolean {
  if (!('result' in answer)) return false;
  const { outcome, token } = answer.result;
  if (token) return token.id !== row.key;
  return outcome === 'NOT_FOUND' && needsFullId(row.source);
}

/** The outcome in words, for the dialog and the row. */
export function shownOutcome(answer: RevokeAnswer): RevokeShown {
  if ('error' in answer) return { label: answer.error.code, detail: answer.error.message, final: false };
  const { outcome, code, message } = answer.result;
  const detail = [code, message ?? OUTCOME_WORDS[outcome]].filter(Boolean).join(': ');
  return { label: outcome, detail, final: FINAL.has(outcome) };
}
