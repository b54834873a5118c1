import type { Mutant } from './mutant.ts';

// A catch-all around the auth pipeline that logs "token expired" whatever failed: the
// answers on the wire are right, the log sends whoever reads it after the wrong cause.
export const logSaysExpired: Mutant = {
  description: 'answers every refusal correctly but logs it as exp-expired (a catch-all log line)',
  assemble: (base) => ({ ...base, loggedReason: () => 'exp-expired' }),
};
