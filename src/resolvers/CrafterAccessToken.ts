import type { CrafterAccessTokenResolvers } from '../generated/resolvers-types.js';
import { tokenResolvers } from './tokenResolvers.js';

/** The id is a credential: a model holds only its mask and its fingerprint (datasources/crafterProfile.ts). */
export const CrafterAccessToken: CrafterAccessTokenResolvers = {
  ...tokenResolvers('CrafterAccessToken'),
  master: (parent) => parent.record.master,
  tenantPermissions: (parent) => parent.record.tenantPermissions,
};
