import type { Mutant } from './mutant.ts';

export const acceptThen1008: Mutant = {
  description: 'accepts the upgrade, validates afterwards and closes 1008 when the user context cannot be built',
  assemble: (base) => ({ ...base, validateAfterUpgrade: true }),
};
