import { compactVerify } from 'jose';
import type { Mutant } from './mutant.ts';

function protectedHeader(token: string): Record<string, unknown> | null {
  try {
    return JSON.parse(Buffer.from(token.split('.')[0] ?? '', 'base64url').toString('utf8')) as Record<string, unknown>;
  } catch {
    return null;
  }
}

// jose's compactVerify honours RFC 7797 (`b64: false` in crit); reading a JWT's claims
// from its result, instead of jwtVerify (which refuses unencoded payloads), lets a
// token whose payload segment is raw JSON through.
export const b64Unencoded: Mutant = {
  description: 'verifies with compactVerify and reads the claims from its payload: an RFC 7797 b64:false token passes',
  assemble: (base) => ({
    ...base,
    verifyToken: async (token, request, keys, policy) => {
      const header = protectedHeader(token);
      if (header?.b64 !== false) return base.verifyToken(token, request, keys, policy);
      try {
        const key = keys.kind === 'secret' ? keys.secret : keys.resolve;
        const { payload } = await compactVerify(token, key as Uint8Array, { algorithms: policy.algorithms });
        return { ok: true, header: header as never, claims: JSON.parse(new TextDecoder().decode(payload)) as Record<string, unknown> };
      } catch {
        return { ok: false, reason: 'signature-wrong-key' };
      }
    },
  }),
};
