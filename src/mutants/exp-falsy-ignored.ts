import { ALL_CLAIM_CHECKS, validateClaims } from '../handshake/claims.ts';
import type { Mutant } from './mutant.ts';

const WITHOUT_EXP = ALL_CLAIM_CHECKS.filter((c) => c !== 'exp');

// `if (claims.exp && claims.exp < now)`: an exp of 0 (or null) reads as "never expires".
export const expFalsyIgnored: Mutant = {
  description: 'checks exp only when it is truthy: exp 0 or null never expires',
  assemble: (base) => ({
    ...base,
    validateClaims: (header, claims, policy, now) =>
      validateClaims(header, claims, policy, now, claims.exp !== undefined && !claims.exp ? WITHOUT_EXP : ALL_CLAIM_CHECKS),
    sessionEndsAt: (claims, policy) => (claims.exp ? base.sessionEndsAt(claims, policy) : null),
  }),
};
