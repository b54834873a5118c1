import type { Mutant } from './mutant.ts';

// `if (auth.toLowerCase().startsWith('bearer')) token = auth.split(' ')[1]`: any scheme
// that begins with "Bearer" ("Bearerx", "BearerToken") carries a token.
export const schemePrefix: Mutant = {
  description: 'takes the token after any scheme that starts with "Bearer" (startsWith, then split(" ")[1])',
  assemble: (base) => ({
    ...base,
    extract(request, policy) {
      const { name, scheme } = policy.credentials.header;
      const value = request.headers[name.toLowerCase()];
      const token = typeof value === 'string' ? value.split(' ')[1] : undefined;
      if (scheme === null || typeof value !== 'string' || !value.toLowerCase().startsWith(scheme.toLowerCase()) || !token) return base.extract(request, policy);
      return { kind: 'token', placement: 'authorization-header', token };
    },
  }),
};
