import type { Mutant } from './mutant.ts';

// A string that is not a JWT (e.g. `staging_jwt_token_user_1700000000`) was taken
// for the token of a user the directory does not know, and refused as such.
export const fakeToken403: Mutant = {
  description: 'treats a non-JWT string as the token of an unknown user: 403 instead of 401',
  assemble: (base) => ({
    ...base,
    verifyToken: async (token, request, keys, policy) => {
      const checked = await base.verifyToken(token, request, keys, policy);
      return !checked.ok && checked.reason === 'token-malformed' ? { ok: false, reason: 'user-unknown' } : checked;
    },
    status: (reason, policy) => (reason === 'user-unknown' ? 403 : base.status(reason, policy)),
  }),
};
