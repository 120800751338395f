/**
 * The resolvers every token type shares: its global id, its normalized `Token` fields (from its
 * source's `TokenFields`, datasources/<upstream>.ts) and its Federation reference. Dates are read
 * field by field: an unreadable date nulls its own field with one `UPSTREAM_INVALID_RESPONSE`
 * error and leaves the rest of the token answered.
 */
import { fieldsOf, globalIdOf, statusOf, type TokenModel } from '../datasources/models.js';
import type { DateField } from '../datasources/tokenFields.js';
import { invalidResponse } from '../datasources/upstreamResponse.js';
import { normalizeDate } from '../shared/dates.js';
import type { SourceOfType, TokenTypeName } from '../sources.js';
import type { Context } from './context.js';
import { resolveReference } from './resolveReference.js';
import { findings } from '../inventory/findings.js';

/** `DateTime` for a date field of `model`, `null` when the upstream sent none; throws when unreadable. */
export function dateOf<M extends TokenModel>(model: M, date: DateField<M> | null): string | null {
  const value = date?.value(model);
  if (value === null || value === undefined) return null;
  const normalized = normalizeDate(value);
  if (normalized === undefined) throw invalidResponse(model.source, undefined, `${model.source} sent a ${date!.field} that is not a readable date`);
  return normalized;
}

/** The shared resolvers of token type `type`, whose parents are the models of its source. */
export function tokenResolvers<T extends TokenTypeName, M extends TokenModel = Extract<TokenModel, { source: SourceOfType<T> }>>(type: T) {
  return {
    __resolveReference: (ref: { id?: unknown }, context: Context) => resolveReference(context, type, ref.id),
    id: (parent: M) => globalIdOf(parent),
    tokenId: (parent: M) => fieldsOf(parent).tokenId(parent),
    name: (parent: M) => fieldsOf(parent).name(parent),
    owner: (parent: M) => fieldsOf(parent).owner(parent),
    createdBy: (parent: M) => fieldsOf(parent).createdBy(parent),
    createdAt: (parent: M) => dateOf(parent, fieldsOf(parent).createdAt),
    expiresAt: (parent: M) => dateOf(parent, fieldsOf(parent).expiresAt),
    lastUsedAt: (parent: M) => dateOf(parent, fieldsOf(parent).lastUsedAt),
    status: (parent: M) => statusOf(parent),
    findings: (parent: M, _: unknown, context: Context) => findings(parent, context.findingSettings),
    firstSeenAt: (parent: M, _: unknown, context: Context) => context.firstSeenAt(parent),
    history: (parent: M, args: { first?: number | null }, context: Context) => context.tokenHistory(parent, args.first),
  };
}

