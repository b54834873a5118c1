// The findings README.md documents for this example, as the test asserts them.
import type { KnownFinding } from '../harness.ts';

export const FINDINGS: readonly KnownFinding[] = [
];

/** The weaker contracts policy.json declares, each listed once in the summary. */
// No close at exp while connected is declared (session.closeAtExp false), not a finding.
export const DECLARED = ['kid-ignored', 'typ-unchecked', 'exp-optional', 'no-size-limit', 'no-session-expiry'];
