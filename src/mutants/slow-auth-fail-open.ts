import { parseCompact } from '../handshake/verify-token.ts';
import type { Mutant } from './mutant.ts';

export const slowAuthFailOpen: Mutant = {
  description: 'at the handshake deadline, falls back to an unverified decode of the token and accepts',
  assemble: (base) => ({
    ...base,
    onStall: (token, policy) => {
      const decoded = token === null ? null : parseCompact(token, policy);
      if (!decoded?.ok || typeof decoded.claims.sub !== 'string') return base.onStall(token, policy);
      return {
        kind: 'accept',
        user: { userId: decoded.claims.sub, isActive: true, roles: [] },
        claims: decoded.claims,
      };
    },
  }),
};
