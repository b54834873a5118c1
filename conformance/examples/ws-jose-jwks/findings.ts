// The findings README.md documents for this example, as the test asserts them.
import type { KnownFinding } from '../harness.ts';

export const FINDINGS: readonly KnownFinding[] = [];

/** The weaker contracts policy.json declares, each listed once in the summary. */
export const DECLARED = ['no-size-limit', 'no-session-expiry'];
