/**
 * Apollo Federation: how other subgraphs' references become tokens.
 *
 * Every concrete token type, and the `Token` interface, is an entity keyed by its global
 * `id` (schema/federation.graphql). A representation `{ __typename, id }` is resolved like
 * `node(id:)`: the id is decoded strictly and the token is loaded through the request's own
 * loaders, so a gateway's `_entities` batch of any size costs one upstream call per
 * distinct resource, shared with every other field of the same request.
 *
 * A malformed id, or an id of another type than the representation's `__typename`, is
 * `BAD_USER_INPUT` at that entity's position (the other entities are still answered); a
 * token the upstream does not know is `null` with no error. For `Token` any token id fits.
 */
import type { Context } from './context.js';
import type { TokenModel } from '../datasources/models.js';
import { fromGlobalId } from '../security/globalId.js';
import { badUserInput } from '../shared/errors.js';
import { rowOfType, type SourceOfType, type TokenTypeName } from '../sources.js';

/** The model of each entity type's tokens. */
type ModelOf<T extends TokenTypeName | 'Token'> = T extends TokenTypeName ? Extract<TokenModel, { source: SourceOfType<T> }> : TokenModel;

/**
 * The `__resolveReference` of entity `type`. Async on purpose: @apollo/subgraph calls it
 * inside one `map` over all representations, where a synchronous throw would fail the
 * whole `_entities` list instead of one position.
 */
export async function resolveReference<T extends TokenTypeName | 'Token'>(context: Context, type: T, id: unknown): Promise<ModelOf<T> | null> {
  if (typeof id !== 'string') throw badUserInput(`a representation of ${type} needs its global id, a string, as id`);
  const key = fromGlobalId(id);
  if (type !== 'Token' && key.source !== rowOfType(type)?.name) throw badUserInput(`id is not the id of a ${type}`);
  return (await context.load(key)) as ModelOf<T> | null;
}
