import type { Mutant } from './mutant.ts';

// The scheme of `Authorization` is case-insensitive (RFC 9110 11.1), but this backend
// matched it byte for byte (`header.startsWith('Bearer ')`): `bearer ...` and
// `BEARER ...` from clients that write it so were refused as another scheme.
export const schemeCaseSensitive: Mutant = {
  description: 'compares the Authorization scheme case-sensitively: "bearer" or "BEARER" refused with 401',
  assemble: (base) => ({
    ...base,
    extract(request, policy) {
      const extraction = base.extract(request, policy);
      const { name, scheme } = policy.credentials.header;
      if (extraction.kind !== 'token' || extraction.placement !== 'authorization-header' || scheme === null) return extraction;
      const written = String(request.headers[name.toLowerCase()] ?? '').trim().split(/\s+/)[0];
      return written === scheme ? extraction : { kind: 'reject', reason: 'credential-scheme', placement: 'authorization-header' };
    },
  }),
};
