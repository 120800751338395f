import type { CrafterTicketResolvers } from '../generated/resolvers-types.js';
import { tokenResolvers } from './tokenResolvers.js';

export const CrafterTicket: CrafterTicketResolvers = {
  ...tokenResolvers('CrafterTicket'),
  tenant: (parent) => parent.record.tenant,
  profileId: (parent) => parent.record.profileId,
};
