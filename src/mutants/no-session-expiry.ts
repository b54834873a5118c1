import type { Mutant } from './mutant.ts';

export const noSessionExpiry: Mutant = {
  description: 'never closes a socket when its token expires',
  assemble: (base) => ({ ...base, sessionEndsAt: () => null }),
};
