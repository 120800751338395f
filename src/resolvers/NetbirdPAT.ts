import { resolveReference } from './resolveReference.js';
import { toGlobalId } from '../security/globalId.js';
import { keyParts } from '../sources.js';
import type { NetbirdPATResolvers } from '../generated/resolvers-types.js';
import { dateField, statusFromExpiry } from './normalize.js';

export const NetbirdPAT: NetbirdPATResolvers = {
  __resolveReference: (ref, context) => resolveReference(context, 'NetbirdPAT', ref.id),
  id: (parent) => toGlobalId('NetbirdPAT', keyParts(parent.key)),
  tokenId: (parent) => parent.record.id,
  name: (parent) => parent.record.name,
  owner: (parent) => parent.key.userId,
  createdBy: (parent) => parent.record.created_by,
  createdAt: (parent) => dateField(parent.record.created_at, 'NETBIRD', 'created_at'),
  expiresAt: (parent) => dateField(parent.record.expiration_date, 'NETBIRD', 'expiration_date'),
  lastUsedAt: (parent) => dateField(parent.record.last_used, 'NETBIRD', 'last_used'),
  status: (parent) => statusFromExpiry(parent.record.expiration_date),
  userId: (parent) => parent.key.userId,
};
