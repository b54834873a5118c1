import { validateClaims } from '../handshake/claims.ts';
import type { Mutant } from './mutant.ts';

// `claims.aud === expected`: right for a string, wrong for the array form RFC 7519
// 4.1.3 allows ("aud": ["ws-chat"], or several audiences one of which is ours).
export const audArrayRefused: Mutant = {
  description: 'takes aud only as a string: an array of audiences that holds ours is refused',
  assemble: (base) => ({
    ...base,
    validateClaims: (header, claims, policy, now) => (Array.isArray(claims.aud) ? 'aud-mismatch' : validateClaims(header, claims, policy, now)),
  }),
};
