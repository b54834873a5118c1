import type { Mutant } from './mutant.ts';

// The field backend looked for its secret in a chain of variables the issuer never
// set, and fell back to a constant: every valid token fails the signature check.
const SECRET_CHAIN = ['JWT_SECRET_KEY', 'AUTH_JWT_SECRET', 'APP_SECRET_KEY'];
const HARD_CODED_FALLBACK = 'dev-secret-change-me';

export const secretMismatch: Mutant = {
  description: 'resolves its HS256 secret from a priority chain of env variables with a hard-coded fallback',
  assemble: (base) => ({
    ...base,
    resolveKeys: (given) => {
      if (!('secret' in given)) return { jwks: { keys: [] } };
      const secret = SECRET_CHAIN.map((name) => process.env[name]).find((v) => v !== undefined && v !== '');
      return { ...given, secret: secret ?? HARD_CODED_FALLBACK };
    },
  }),
};
