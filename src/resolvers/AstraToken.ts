import { resolveReference } from './resolveReference.js';
import { toGlobalId } from '../security/globalId.js';
import { keyParts } from '../sources.js';
import type { AstraTokenResolvers } from '../generated/resolvers-types.js';
import { dateField } from './normalize.js';

export const AstraToken: AstraTokenResolvers = {
  __resolveReference: (ref, context) => resolveReference(context, 'AstraToken', ref.id),
  id: (parent) => toGlobalId('AstraToken', keyParts(parent.key)),
  tokenId: (parent) => parent.record.id,
  name: (parent) => parent.record.name,
  owner: (parent) => parent.record.userID,
  createdBy: (parent) => parent.record.metadata.createdBy ?? null,
  createdAt: (parent) => dateField(parent.record.metadata.creationTimestamp, 'ASTRA', 'metadata.creationTimestamp'),
  expiresAt: () => null,
  lastUsedAt: () => null,
  status: () => 'UNKNOWN',
  accountId: (parent) => parent.key.accountId,
  userId: (parent) => parent.record.userID,
  resourceType: (parent) => parent.record.type,
  version: (parent) => parent.record.version,
  labels: (parent) => parent.record.metadata.labels ?? [],
  modifiedAt: (parent) => dateField(parent.record.metadata.modificationTimestamp, 'ASTRA', 'metadata.modificationTimestamp'),
  modifiedBy: (parent) => parent.record.metadata.modifiedBy ?? null,
};
