/**
 * The parent objects of the token resolvers: each concrete type's upstream record with the key it
 * was read by (codegen.ts maps every GraphQL token type to one of these). The `source` field tells
 * `Token` and `Node` which concrete type a parent is.
 */
import type { AstraTokenModel } from './astra.js';
import type { CrafterAccessTokenModel, CrafterTicketModel } from './crafterProfile.js';
import type { GameTokenModel } from './games.js';
import type { NetbirdPATModel } from './netbird.js';

export type { AstraTokenModel, CrafterAccessTokenModel, CrafterTicketModel, GameTokenModel, NetbirdPATModel };

export type TokenModel = CrafterTicketModel | CrafterAccessTokenModel | AstraTokenModel | NetbirdPATModel | GameTokenModel;
