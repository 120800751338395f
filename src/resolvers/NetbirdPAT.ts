import type { NetbirdPATResolvers } from '../generated/resolvers-types.js';
import { tokenResolvers } from './tokenResolvers.js';

export const NetbirdPAT: NetbirdPATResolvers = {
  ...tokenResolvers('NetbirdPAT'),
  userId: (parent) => parent.key.userId,
};
