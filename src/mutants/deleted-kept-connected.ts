import type { Mutant } from './mutant.ts';

// Seen in the field: sessions were closed from an "account updated" hook that fired on
// UPDATE only, so deleting an account left its open sockets running.
export const deletedKeptConnected: Mutant = {
  description: 'closes open sockets when a user is deactivated or loses the role, but not when the user is deleted',
  assemble: (base) => ({
    ...base,
    closesOnRevocation: (revocation, policy) => revocation !== 'deletion' && base.closesOnRevocation(revocation, policy),
  }),
};
