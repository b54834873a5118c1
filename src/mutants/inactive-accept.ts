import { authorise } from '../handshake/authorise.ts';
import type { Mutant } from './mutant.ts';

export const inactiveAccept: Mutant = {
  description: 'does not check is_active: deactivated users are accepted (and stay connected)',
  assemble: (base) => ({
    ...base,
    authorise: (user, policy) => authorise(user, policy, { active: false, role: true }),
  }),
};
