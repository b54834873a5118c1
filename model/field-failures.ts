// The ids of the field failures (docs/field-failures.md): one vocabulary for the
// backend's mutants (src/mutants/), the judge's root-cause hints (conformance/judge/hints.ts)
// and what the mutation test expects of each (conformance/mutation/expectations.ts).
export const FIELD_FAILURE_IDS = [
  'secret-mismatch',
  'sig-403',
  'missing-user-accept',
  'accept-then-1008',
  'header-bypass',
  'slow-auth-fail-open',
  'no-deadline',
  'fake-token-403',
  'alg-none',
  'no-exp',
  'no-iss-aud',
  'inactive-accept',
  'no-session-expiry',
  'no-origin-check',
  'log-says-expired',
  'log-blames-user',
  'deleted-kept-connected',
  'scheme-case-sensitive',
  // Reached only by the edge cases (conformance/cases/edge/): near misses and identity headers.
  'aud-near-miss',
  'user-id-normalised',
  'identity-header-trusted',
  'exp-falsy-ignored',
  'leeway-too-wide',
  'scheme-prefix',
  'origin-prefix',
  'b64-unencoded',
  'kid-case-insensitive',
  'aud-array-refused',
] as const;
export type FieldFailureId = (typeof FIELD_FAILURE_IDS)[number];

export function isFieldFailureId(value: string): value is FieldFailureId {
  return (FIELD_FAILURE_IDS as readonly string[]).includes(value);
}
