import { resolveReference } from './resolveReference.js';
import { toGlobalId } from '../security/globalId.js';
import type { CrafterAccessTokenResolvers } from '../generated/resolvers-types.js';
import { dateField, statusFromExpiry } from './normalize.js';

/** The id is a credential: a model holds only its mask and its fingerprint (datasources/crafterProfile.ts). */
export const CrafterAccessToken: CrafterAccessTokenResolvers = {
  __resolveReference: (ref, context) => resolveReference(context, 'CrafterAccessToken', ref.id),
  id: (parent) => toGlobalId('CrafterAccessToken', [parent.fingerprint]),
  tokenId: (parent) => parent.maskedId,
  name: (parent) => parent.record.application ?? null,
  owner: () => null,
  createdBy: () => null,
  createdAt: () => null,
  expiresAt: (parent) => dateField(parent.record.expiresOn, 'CRAFTER_ACCESS_TOKEN', 'expiresOn'),
  lastUsedAt: () => null,
  status: (parent) => statusFromExpiry(parent.record.expiresOn),
  master: (parent) => parent.record.master,
  tenantPermissions: (parent) => parent.record.tenantPermissions,
};
