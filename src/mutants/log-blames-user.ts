import type { Mutant } from './mutant.ts';

const TOKEN_OR_CLAIM = /^(token|alg|key|signature|exp|nbf|iss|aud|typ|sub)-/;

// "User not found" logged for any token that did not yield a user: the 401 on the wire
// is right, the log blames the directory for a bad token.
export const logBlamesUser: Mutant = {
  description: 'answers a bad token 401 as it should but logs it as user-unknown',
  assemble: (base) => ({ ...base, loggedReason: (reason) => (TOKEN_OR_CLAIM.test(reason) ? 'user-unknown' : base.loggedReason(reason)) }),
};
