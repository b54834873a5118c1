// What the suite must report for each field failure (docs/field-failures.md): the verdict
// class of the divergence and the hint that names the failure.
import type { FieldFailureId } from '../../model/field-failures.ts';
import type { MutantId } from '../../src/index.ts';
import type { Verdict } from '../judge/verdict.ts';
import type { LogRule } from '../logs/check.ts';

export interface MutantExpectation {
  verdict: Verdict;
  /** Id of the root-cause hint (judge/hints.ts) that names this failure. */
  hint: FieldFailureId;
  /**
   * What `check-logs` must find in the mutant's own decision log of a run (none when its
   * log is consistent with the wrong thing it does, e.g. a skipped check it never logs).
   */
  logViolations?: LogRule[];
}

export const MUTANT_EXPECTATIONS: Record<MutantId, MutantExpectation> = {
  'secret-mismatch': { verdict: 'FAILED', hint: 'secret-mismatch' },
  'sig-403': { verdict: 'WRONG-CODE', hint: 'sig-403', logViolations: ['wrong-outcome'] },
  'missing-user-accept': { verdict: 'FAILED-SECURITY', hint: 'missing-user-accept' },
  'accept-then-1008': { verdict: 'FAILED', hint: 'accept-then-1008' },
  'header-bypass': { verdict: 'FAILED-SECURITY', hint: 'header-bypass' },
  'slow-auth-fail-open': { verdict: 'FAILED-SECURITY', hint: 'slow-auth-fail-open', logViolations: ['forbidden-accept'] },
  'no-deadline': { verdict: 'FAILED', hint: 'no-deadline' },
  'fake-token-403': { verdict: 'WRONG-CODE', hint: 'fake-token-403' },
  'alg-none': { verdict: 'FAILED-SECURITY', hint: 'alg-none' },
  'no-exp': { verdict: 'FAILED-SECURITY', hint: 'no-exp' },
  'no-iss-aud': { verdict: 'FAILED-SECURITY', hint: 'no-iss-aud' },
  'inactive-accept': { verdict: 'FAILED-SECURITY', hint: 'inactive-accept', logViolations: ['forbidden-accept'] },
  'no-session-expiry': { verdict: 'FAILED', hint: 'no-session-expiry' },
  'no-origin-check': { verdict: 'FAILED-SECURITY', hint: 'no-origin-check' },
  // Right on the wire, wrong in the log: caught only with the decision log (run --logs).
  'log-says-expired': { verdict: 'WRONG-REASON', hint: 'log-says-expired', logViolations: ['wrong-outcome'] },
  'log-blames-user': { verdict: 'WRONG-REASON', hint: 'log-blames-user', logViolations: ['wrong-outcome'] },
  // Found only by a case that deletes the user while connected (session=user-deleted).
  'deleted-kept-connected': { verdict: 'FAILED', hint: 'deleted-kept-connected' },
  // Found by the model path of an odd-case scheme; named by the cause phase (the only fact set back to canonical).
  'scheme-case-sensitive': { verdict: 'FAILED', hint: 'scheme-case-sensitive' },
  // Killed only by the edge cases: a near miss, or an identity header, let in.
  'aud-near-miss': { verdict: 'FAILED-SECURITY', hint: 'aud-near-miss' },
  'user-id-normalised': { verdict: 'FAILED-SECURITY', hint: 'user-id-normalised' },
  'identity-header-trusted': { verdict: 'FAILED-SECURITY', hint: 'identity-header-trusted' },
  'exp-falsy-ignored': { verdict: 'FAILED-SECURITY', hint: 'exp-falsy-ignored' },
  'leeway-too-wide': { verdict: 'FAILED-SECURITY', hint: 'leeway-too-wide' },
  'scheme-prefix': { verdict: 'FAILED-SECURITY', hint: 'scheme-prefix' },
  'origin-prefix': { verdict: 'FAILED-SECURITY', hint: 'origin-prefix' },
  'b64-unencoded': { verdict: 'FAILED-SECURITY', hint: 'b64-unencoded' },
  'kid-case-insensitive': { verdict: 'FAILED-SECURITY', hint: 'kid-case-insensitive' },
  // The other way round: a valid spelling (an aud array holding ours) refused.
  'aud-array-refused': { verdict: 'FAILED', hint: 'aud-array-refused' },
};
