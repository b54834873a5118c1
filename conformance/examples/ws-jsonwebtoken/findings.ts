// The findings README.md documents for this example, as the test asserts them.
import type { KnownFinding } from '../harness.ts';

export const FINDINGS: readonly KnownFinding[] = [
  // A contract of this stack that the policy cannot state yet: no close at exp while connected.
  { reason: 'session-token-expired', observed: 'accept', fact: ['session', 'token-expires'], kind: 'inexpressible' },
];

/** The weaker contracts policy.json declares, each listed once in the summary. */
export const DECLARED = ['kid-ignored', 'typ-unchecked', 'exp-optional', 'no-size-limit'];
