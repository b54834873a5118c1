// The findings README.md documents for this example, as the test asserts them.
import type { KnownFinding } from '../harness.ts';

export const FINDINGS: readonly KnownFinding[] = [
  // @fastify/jwt maps only some fast-jwt error codes to 401; the rest reach Fastify's error handler as 500.
  { reason: 'nbf-future', observed: 'http-500', fact: ['nbf', 'future'], kind: 'defect' },
  { reason: 'exp-malformed', observed: 'http-500', fact: ['exp', 'wrong-type'], kind: 'defect' },
  // fast-jwt checks allowedIss / allowedAud only when the claim is present.
  { reason: 'iss-missing', observed: 'accept', fact: ['iss', 'missing'], kind: 'defect' },
  { reason: 'aud-missing', observed: 'accept', fact: ['aud', 'missing'], kind: 'defect' },
  // Contracts of this stack that the policy cannot state yet.
  { reason: 'alg-not-allowed', observed: 'accept', fact: ['alg', 'not-allowed'], kind: 'inexpressible' },
  { reason: 'key-unknown-kid', observed: 'accept', fact: ['key', 'unknown-kid'], kind: 'inexpressible' },
  { reason: 'token-oversize', observed: 'accept', fact: ['structure', 'oversize'], kind: 'inexpressible' },
  { reason: 'session-token-expired', observed: 'accept', fact: ['session', 'token-expires'], kind: 'inexpressible' },
];
