// fast-check arbitraries over the model's vocabulary, for the model's own tests.
import fc from 'fast-check';
import type { Outcome } from './reasons.ts';
import { FACT_NAMES, factDomains, type Facts, type Noise } from './facts.ts';
import { ALGORITHMS, CLAIM_CHECK_MODES, KID_MODES, PLACEMENTS, REQUIRABLE_CLAIMS, REVOCATIONS, isSymmetric, resolvePolicy, type Policy } from './policy.ts';

export const noiseArb: fc.Arbitrary<Noise> = fc.record({
  headers: fc.array(
    fc.tuple(
      fc.constantFrom('X-E2E-Test', 'X-Test-Type', 'X-Test-Mode', 'X-Auth-Fast-Path', 'X-User-Id', 'X-Forwarded-User', 'X-Request-Id'),
      fc.constantFrom('true', 'E2E', 'enabled', 'admin', '1'),
    ),
    { maxLength: 4 },
  ),
  query: fc.array(fc.tuple(fc.constantFrom('user', 'debug', 'test'), fc.constantFrom('admin', 'true')), { maxLength: 2 }),
  headerCase: fc.constantFrom('canonical', 'lower', 'upper'),
  reverseHeaders: fc.boolean(),
});

/** Any facts the policy can observe, noise included. */
export function factsArb(policy: Policy): fc.Arbitrary<Facts> {
  const domains = factDomains(policy);
  const fields = Object.fromEntries(FACT_NAMES.map((name) => [name, fc.constantFrom(...(domains[name] as readonly string[]))]));
  return fc.record({ ...fields, noise: noiseArb }) as unknown as fc.Arbitrary<Facts>;
}

/** Policies across the contract's switches: placements, keys, kid, claim checks, required claims, users, size limit, typ, role, origins, overrides. */
export const policyArb: fc.Arbitrary<Policy> = fc
  .record({
    profile: fc.constantFrom('default' as const, 'rfc-strict' as const),
    placements: fc.record(Object.fromEntries(PLACEMENTS.map((p) => [p, fc.boolean()])) as Record<(typeof PLACEMENTS)[number], fc.Arbitrary<boolean>>),
    algorithms: fc.constantFrom<Policy['algorithms']>(['HS256'], ['HS256', 'HS384', 'HS512'], ['RS256'], ['ES256', 'EdDSA'], ALGORITHMS.filter((a) => !isSymmetric(a))),
    kid: fc.constantFrom(...KID_MODES),
    claimChecks: fc.record({ iss: fc.constantFrom(...CLAIM_CHECK_MODES), aud: fc.constantFrom(...CLAIM_CHECK_MODES), typ: fc.constantFrom(...CLAIM_CHECK_MODES) }),
    typ: fc.constantFrom<string | null>('at+jwt', null),
    users: fc.constantFrom('directory' as const, 'stateless' as const),
    requiredRole: fc.constantFrom<string | null>('chat', null),
    requiredClaims: fc.subarray([...REQUIRABLE_CLAIMS]),
    maxTokenBytes: fc.constantFrom<number | null>(8192, null),
    session: fc.record({ closeAtExp: fc.boolean(), revocation: fc.subarray([...REVOCATIONS]) }),
    jwks: fc.record({ refreshOnUnknownKid: fc.boolean(), cooldownMs: fc.constantFrom(0, 30_000), maxAgeMs: fc.constantFrom<number | null>(600_000, null) }),
    allowedOrigins: fc.constantFrom<string[]>(['https://app.example'], []),
    userUnknownAs: fc.constantFrom('reject-401' as const, 'reject-403' as const),
    // Declared outcomes beyond 401/403: another status, accept-then-close, a 5xx for a stall, another close code.
    declared: fc.record({
      'token-oversize': fc.constantFrom<Outcome>('reject-401', 'reject-413', 'reject-431'),
      'alg-none': fc.constantFrom<Outcome>('reject-401', 'close-4401'),
      'dependency-timeout': fc.constantFrom<Outcome>('timeout', 'reject-503'),
      'auth-message-invalid': fc.constantFrom<Outcome>('close-1008', 'close-4403'),
    }),
  })
  .filter((p) => Object.values(p.placements).some(Boolean))
  .map(({ userUnknownAs, declared, ...rest }) =>
    resolvePolicy({
      ...rest,
      // A JWKS holds public keys; a stateless target has no user to hold a role.
      kid: rest.kid === 'jwks' && rest.algorithms.every(isSymmetric) ? 'required-matched' : rest.kid,
      requiredRole: rest.users === 'stateless' ? null : rest.requiredRole,
      outcomes: { 'user-unknown': userUnknownAs, ...declared },
    }),
  );
