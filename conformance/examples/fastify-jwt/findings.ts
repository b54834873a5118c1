// The findings README.md documents for this example, as the test asserts them.
import type { KnownFinding } from '../harness.ts';

export const FINDINGS: readonly KnownFinding[] = [
  // @fastify/jwt maps only some fast-jwt error codes to 401; the rest reach Fastify's error handler as 500.
  { reason: 'nbf-future', observed: 'http-500', fact: ['nbf', 'future'], kind: 'defect' },
  { reason: 'exp-malformed', observed: 'http-500', fact: ['exp', 'wrong-type'], kind: 'defect' },
  { reason: 'alg-not-allowed', observed: 'http-500', fact: ['alg', 'not-allowed'], kind: 'defect' },
  // The same for an iss or aud that is no string (edge cases iss:object, iss:number, aud:object, ...).
  { reason: 'iss-mismatch', observed: 'http-500', fact: ['iss', 'wrong'], kind: 'defect' },
  { reason: 'aud-mismatch', observed: 'http-500', fact: ['aud', 'wrong'], kind: 'defect' },
  // fast-jwt checks allowedIss / allowedAud only when the claim is present.
  { reason: 'iss-missing', observed: 'accept', fact: ['iss', 'missing'], kind: 'defect' },
  { reason: 'aud-missing', observed: 'accept', fact: ['aud', 'missing'], kind: 'defect' },
];

/** The weaker contracts policy.json declares, each listed once in the summary. */
// No close at exp while connected is declared (session.closeAtExp false), not a finding.
export const DECLARED = ['kid-ignored', 'typ-unchecked', 'exp-optional', 'no-size-limit', 'no-session-expiry'];
