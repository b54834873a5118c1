import { parseCompact } from '../handshake/verify-token.ts';
import type { Mutant } from './mutant.ts';

export const algNone: Mutant = {
  description: 'accepts unsigned tokens (alg: none, any case)',
  assemble: (base) => ({
    ...base,
    verifyToken: async (token, request, keys, policy) => {
      const decoded = parseCompact(token, policy);
      if (decoded.ok && String(decoded.header.alg).toLowerCase() === 'none') return decoded;
      return base.verifyToken(token, request, keys, policy);
    },
  }),
};
