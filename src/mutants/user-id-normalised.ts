import type { Mutant } from './mutant.ts';

// Ids "normalised" like e-mail addresses before the lookup: a case-insensitive user
// lookup, so "ALICE" or " alice " signs in as alice.
export const userIdNormalised: Mutant = {
  description: 'looks the user up by the subject trimmed and lower-cased (a case-insensitive lookup)',
  assemble: (base) => ({
    ...base,
    lookUp: (directory, userId, policy) => base.lookUp(directory, userId.trim().toLowerCase(), policy),
  }),
};
