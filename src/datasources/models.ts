/**
 * The parent objects of the token resolvers: each concrete type's upstream record with the key it
 * was read by (codegen.ts maps every GraphQL token type to one of these). The `source` field tells
 * `Token` and `Node` which concrete type a parent is.
 */
import { toGlobalId } from '../security/globalId.js';
import { keyParts, sourceRow, type SourceName } from '../sources.js';
import { astraFields, type AstraTokenModel } from './astra.js';
import { crafterAccessTokenFields, crafterTicketFields, type CrafterAccessTokenModel, type CrafterTicketModel } from './crafterProfile.js';
import { gameFields, type GameTokenModel } from './games.js';
import { netbirdFields, type NetbirdPATModel } from './netbird.js';
import { statusAt, type TokenFields, type TokenStatus } from './tokenFields.js';
import { dateMillis } from '../shared/dates.js';

export type { AstraTokenModel, CrafterAccessTokenModel, CrafterTicketModel, GameTokenModel, NetbirdPATModel };

export type TokenModel = CrafterTicketModel | CrafterAccessTokenModel | AstraTokenModel | NetbirdPATModel | GameTokenModel;

/** The model of a token of source `S`. */
export type ModelOf<S extends SourceName> = Extract<TokenModel, { source: S }>;

/** Each source's normalized fields (its datasource file's table). */
export const TOKEN_FIELDS: { [S in SourceName]: TokenFields<ModelOf<S>> } = {
  CRAFTER_TICKET: crafterTicketFields,
  CRAFTER_ACCESS_TOKEN: crafterAccessTokenFields,
  ASTRA: astraFields,
  NETBIRD: netbirdFields,
  GAME: gameFields,
};

/** The global id of a token: its reference parts, or for a secret id its fingerprint alone (security/globalId.ts). */
export function globalIdOf(model: TokenModel): string {
  return toGlobalId(sourceRow(model.source).type, model.source === 'CRAFTER_ACCESS_TOKEN' ? [model.fingerprint] : keyParts(model.key));
}

/** The normalized fields of any token. */
export function fieldsOf<M extends TokenModel>(model: M): TokenFields<M> {
  return TOKEN_FIELDS[model.source] as unknown as TokenFields<M>;
}

/** A token's status at `now` (contract §3): its upstream's own rule, else from its expiry. */
export function statusOf(model: TokenModel, now = Date.now()): TokenStatus {
  const fields = fieldsOf(model);
  return statusAt(dateMillis(fields.expiresAt?.value(model)), now, fields.status?.(model));
}
