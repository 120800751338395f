/**
 * Mutations (contract §9). Access is checked first, so a read-only key learns nothing and costs
 * no upstream call (its attempt is audited, outcome FORBIDDEN); then every ref is checked, so one
 * bad ref revokes nothing (the attempt is audited, outcome BAD_USER_INPUT).
 */
import type { MutationResolvers } from '../generated/resolvers-types.js';
import type { RefKey } from '../revocation/createRevoker.js';
import { assertListLength } from '../security/operationLimits.js';
import { keyFromRef } from '../security/tokenRefs.js';
import { forbidden } from '../shared/errors.js';

export const Mutation: MutationResolvers = {
  revokeTokens: (_, { refs, dryRun }, context) => {
    if (!context.mayMutate) {
      context.refuseRevocation(refs, dryRun ?? false, 'FORBIDDEN');
      throw forbidden('this API key may not revoke tokens: only a key of TOKENGRAPH_ADMIN_API_KEYS may');
    }
    let keys: RefKey[];
    try {
      keys = assertListLength('revokeTokens', 'refs', refs, context.maxListLength).map((ref) => keyFromRef(ref) as RefKey);
    } catch (error) {
      context.refuseRevocation(refs, dryRun ?? false, 'BAD_USER_INPUT');
      throw error;
    }
    return context.revoke(keys, dryRun ?? false);
  },
};
