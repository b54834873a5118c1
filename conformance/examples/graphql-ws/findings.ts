// The findings README.md documents for this example, as the test asserts them.
import type { KnownFinding } from '../harness.ts';

// The policy states graphql-ws's contract (subprotocol, connection_init template, its
// closes): the tool judges every case, and graphql-ws shows no defect.
export const FINDINGS: readonly KnownFinding[] = [];

/** The weaker contracts policy.json declares, each listed once in the summary. */
export const DECLARED = ['kid-ignored', 'typ-unchecked', 'exp-optional', 'no-size-limit', 'no-session-expiry'];
