import type { Mutant } from './mutant.ts';

// "Not found" is not an answer the field backend checked: it built the user context
// from the token alone when the directory had no row.
export const missingUserAccept: Mutant = {
  description: 'skips the user check when the directory has no row: the token alone makes the user',
  assemble: (base) => ({
    ...base,
    lookUp: async (directory, userId, policy) =>
      (await base.lookUp(directory, userId, policy)) ?? {
        userId,
        isActive: true,
        roles: policy.requiredRole === null ? [] : [policy.requiredRole],
      },
  }),
};
