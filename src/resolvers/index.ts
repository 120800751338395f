import type { Resolvers } from '../generated/resolvers-types.js';
import { AstraToken } from './AstraToken.js';
import { CrafterAccessToken } from './CrafterAccessToken.js';
import { CrafterTicket } from './CrafterTicket.js';
import { DateTime } from './DateTime.js';
import { GameToken } from './GameToken.js';
import { Mutation } from './Mutation.js';
import { NetbirdPAT } from './NetbirdPAT.js';
import { Query } from './Query.js';
import { Node, Token } from './Token.js';
import { TokenConnection } from './TokenConnection.js';

export const resolvers: Resolvers = {
  AstraToken,
  CrafterAccessToken,
  CrafterTicket,
  DateTime,
  GameToken,
  Mutation,
  NetbirdPAT,
  Node,
  Query,
  Token,
  TokenConnection,
};
