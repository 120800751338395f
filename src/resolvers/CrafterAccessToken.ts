import { resolveReference } from './resolveReference.js';
import { toGlobalId } from '../security/globalId.js';
import type { CrafterAccessTokenResolvers } from '../generated/resolvers-types.js';
import { maskSecretId } from '../security/secretIds.js';
import { dateField, statusFromExpiry } from './normalize.js';

/** `record.id` is a credential: only its mask and its fingerprint ever leave this file. */
export const CrafterAccessToken: CrafterAccessTokenResolvers = {
  __resolveReference: (ref, context) => resolveReference(context, 'CrafterAccessToken', ref.id),
  id: (parent) => toGlobalId('CrafterAccessToken', [parent.fingerprint]),
  tokenId: (parent) => maskSecretId(parent.record.id),
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
