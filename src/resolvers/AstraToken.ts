import type { AstraTokenModel } from '../datasources/models.js';
import type { AstraTokenResolvers } from '../generated/resolvers-types.js';
import { dateOf, tokenResolvers } from './tokenResolvers.js';

const modifiedAt = { field: 'metadata.modificationTimestamp', value: (model: AstraTokenModel) => model.record.metadata.modificationTimestamp };

export const AstraToken: AstraTokenResolvers = {
  ...tokenResolvers('AstraToken'),
  accountId: (parent) => parent.key.accountId,
  userId: (parent) => parent.record.userID,
  resourceType: (parent) => parent.record.type,
  version: (parent) => parent.record.version,
  labels: (parent) => parent.record.metadata.labels ?? [],
  modifiedAt: (parent) => dateOf(parent, modifiedAt),
  modifiedBy: (parent) => parent.record.metadata.modifiedBy ?? null,
};
