import type { UpgradeRequest } from '../handshake/extract.ts';
import type { Mutant } from './mutant.ts';

// Written to sit behind oauth2-proxy, deployed where clients reach it directly: the
// user named by X-Auth-Request-User is taken as authenticated, token or not.
function assertedUser({ headers }: UpgradeRequest): string | null {
  const value = headers['x-auth-request-user'];
  return typeof value === 'string' && value !== '' ? value : null;
}

export const identityHeaderTrusted: Mutant = {
  description: "trusts oauth2-proxy's X-Auth-Request-User: a request naming a user needs no token",
  assemble: (base) => ({
    ...base,
    extract: (request, policy) =>
      assertedUser(request) === null ? base.extract(request, policy) : { kind: 'token', placement: 'authorization-header', token: 'proxy-asserted' },
    verifyToken: async (token, request, keys, policy) => {
      const sub = assertedUser(request);
      if (sub === null) return base.verifyToken(token, request, keys, policy);
      const now = Math.floor(Date.now() / 1000);
      const claims = { sub, iss: policy.issuer, aud: policy.audience, iat: now, nbf: now - 60, exp: now + 300, jti: `proxy-${now}` };
      return { ok: true, header: { alg: policy.algorithms[0]!, ...(policy.typ === null ? {} : { typ: policy.typ }) }, claims };
    },
  }),
};
