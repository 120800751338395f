import type { GameTokenResolvers } from '../generated/resolvers-types.js';
import { tokenResolvers } from './tokenResolvers.js';

export const GameToken: GameTokenResolvers = {
  ...tokenResolvers('GameToken'),
  participantSourceId: (parent) => parent.record.ParticipantSourceId ?? null,
  gameSourceId: (parent) => parent.record.GameSourceId ?? null,
  gameIconUrl: (parent) => parent.record.GameIconUrl ?? null,
  reason: (parent) => parent.record.Reason ?? null,
  gamePlayKey: (parent) => parent.record.GamePlayKey ?? null,
};
