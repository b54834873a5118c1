import { validateClaims } from '../handshake/claims.ts';
import type { Mutant } from './mutant.ts';

// A library default (60 s) instead of the policy's clock skew, on exp and nbf alike, at
// the handshake only: the session timer still closes at exp + the policy's skew.
const LEEWAY_SECONDS = 60;
const widened = <P extends { clockSkewSeconds: number }>(policy: P): P => ({ ...policy, clockSkewSeconds: Math.max(policy.clockSkewSeconds, LEEWAY_SECONDS) });

export const leewayTooWide: Mutant = {
  description: "a fixed 60 s leeway on exp and nbf instead of the policy's clock skew",
  assemble: (base) => ({
    ...base,
    validateClaims: (header, claims, policy, now) => validateClaims(header, claims, widened(policy), now),
  }),
};
