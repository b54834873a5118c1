import { ALL_CLAIM_CHECKS, validateClaims } from '../handshake/claims.ts';
import type { Mutant } from './mutant.ts';

const WITHOUT_EXP = ALL_CLAIM_CHECKS.filter((c) => c !== 'exp');

export const noExp: Mutant = {
  description: 'does not check exp, at the handshake or during the session',
  assemble: (base) => ({
    ...base,
    validateClaims: (header, claims, policy, now) => validateClaims(header, claims, policy, now, WITHOUT_EXP),
    sessionEndsAt: () => null,
  }),
};
