import { resolveReference } from './resolveReference.js';
import { toGlobalId } from '../security/globalId.js';
import { keyParts } from '../sources.js';
import type { GameTokenResolvers } from '../generated/resolvers-types.js';
import { dateField, statusFromExpiry } from './normalize.js';

export const GameToken: GameTokenResolvers = {
  __resolveReference: (ref, context) => resolveReference(context, 'GameToken', ref.id),
  id: (parent) => toGlobalId('GameToken', keyParts(parent.key)),
  tokenId: (parent) => parent.record.TokenSourceId,
  name: (parent) => parent.record.GameName ?? null,
  owner: (parent) => parent.record.ParticipantSourceId ?? null,
  createdBy: () => null,
  createdAt: (parent) => dateField(parent.record.IssueDate, 'GAME', 'IssueDate'),
  expiresAt: (parent) => dateField(parent.record.ExpirationDate, 'GAME', 'ExpirationDate'),
  lastUsedAt: () => null,
  status: (parent) => statusFromExpiry(parent.record.ExpirationDate),
  participantSourceId: (parent) => parent.record.ParticipantSourceId ?? null,
  gameSourceId: (parent) => parent.record.GameSourceId ?? null,
  gameIconUrl: (parent) => parent.record.GameIconUrl ?? null,
  reason: (parent) => parent.record.Reason ?? null,
  gamePlayKey: (parent) => parent.record.GamePlayKey ?? null,
};
