import { validateClaims } from '../handshake/claims.ts';
import type { Mutant } from './mutant.ts';

// The field's `String(aud).includes(expected)`: meant for "one of several audiences",
// it also lets "xws-chatx" or "ws-chat.evil" through.
const looselyOurs = (aud: unknown, expected: string) => typeof aud === 'string' && aud !== expected && aud.includes(expected);

export const audNearMiss: Mutant = {
  description: 'compares aud with includes(): an audience that merely contains ours is accepted',
  assemble: (base) => ({
    ...base,
    validateClaims: (header, claims, policy, now) =>
      validateClaims(header, looselyOurs(claims.aud, policy.audience) ? { ...claims, aud: policy.audience } : claims, policy, now),
  }),
};
