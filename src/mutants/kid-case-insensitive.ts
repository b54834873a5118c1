import { compactVerify, type FlattenedJWSInput, type JWSHeaderParameters } from 'jose';
import { parseCompact } from '../handshake/verify-token.ts';
import type { Mutant } from './mutant.ts';

// Key ids matched like names: trimmed and case-folded, so "WSAC-KEY-1" selects
// "wsac-key-1". A kid is an exact string (RFC 7515 4.1.4).
export const kidCaseInsensitive: Mutant = {
  description: 'matches the kid header case-insensitively: a near miss of a known kid selects that key',
  assemble: (base) => ({
    ...base,
    verifyToken: async (token, request, keys, policy) => {
      const parsed = parseCompact(token, policy);
      const kid = parsed.ok ? parsed.header.kid : undefined;
      // A remote JWKS is looked up by the kid as sent (jose's createRemoteJWKSet): left as it is.
      const known = keys.kind === 'secret' ? (keys.kid === null ? [] : [keys.kid]) : keys.kind === 'jwks' ? [...keys.kids] : [];
      const match = typeof kid === 'string' && !known.includes(kid) ? known.find((k) => k.toLowerCase() === kid.trim().toLowerCase()) : undefined;
      if (!parsed.ok || match === undefined) return base.verifyToken(token, request, keys, policy);
      try {
        const options = { algorithms: policy.algorithms };
        if (keys.kind === 'secret') await compactVerify(token, keys.secret, options);
        else if (keys.kind === 'jwks') {
          const resolve = keys.resolve;
          await compactVerify(token, (header: JWSHeaderParameters, t: FlattenedJWSInput) => resolve({ ...header, kid: match }, t), options);
        }
        return parsed;
      } catch {
        return { ok: false, reason: 'signature-wrong-key' };
      }
    },
  }),
};
