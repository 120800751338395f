import { resolveReference } from './resolveReference.js';
import { toGlobalId } from '../security/globalId.js';
import { keyParts } from '../sources.js';
import type { CrafterTicketResolvers } from '../generated/resolvers-types.js';
import { dateField } from './normalize.js';

export const CrafterTicket: CrafterTicketResolvers = {
  __resolveReference: (ref, context) => resolveReference(context, 'CrafterTicket', ref.id),
  id: (parent) => toGlobalId('CrafterTicket', keyParts(parent.key)),
  tokenId: (parent) => parent.key.tokenId,
  name: () => null,
  owner: (parent) => parent.record.profileId,
  createdBy: () => null,
  createdAt: () => null,
  expiresAt: () => null,
  lastUsedAt: (parent) => dateField(parent.record.lastRequestTime, 'CRAFTER_TICKET', 'lastRequestTime'),
  status: () => 'UNKNOWN',
  tenant: (parent) => parent.record.tenant,
  profileId: (parent) => parent.record.profileId,
};
