import { ALL_CLAIM_CHECKS, validateClaims } from '../handshake/claims.ts';
import type { Mutant } from './mutant.ts';

const WITHOUT_ISS_AUD = ALL_CLAIM_CHECKS.filter((c) => c !== 'iss' && c !== 'aud');

export const noIssAud: Mutant = {
  description: 'does not check iss or aud: tokens for other services are accepted',
  assemble: (base) => ({
    ...base,
    validateClaims: (header, claims, policy, now) => validateClaims(header, claims, policy, now, WITHOUT_ISS_AUD),
  }),
};
