import type { Mutant } from './mutant.ts';

export const noOriginCheck: Mutant = {
  description: 'reads the cookie credential without checking Origin (cross-site WebSocket hijacking)',
  assemble: (base) => ({ ...base, checkOrigin: () => null }),
};
