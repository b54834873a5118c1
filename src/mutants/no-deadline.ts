import type { Mutant } from './mutant.ts';

export const noDeadline: Mutant = {
  description: 'waits for a stalled user lookup forever: no handshake deadline',
  assemble: (base) => ({ ...base, deadlineMs: () => null }),
};
