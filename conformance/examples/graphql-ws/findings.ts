// The findings README.md documents for this example, as the test asserts them.
import type { KnownFinding } from '../harness.ts';

export const FINDINGS: readonly KnownFinding[] = [
  // The policy's first message is {"type":"auth","token"} without a subprotocol: graphql-ws
  // closes 4406 before any token is read, so the canary (and every case) fails this way.
  { reason: 'client-closed', observed: 'close-4406', fact: null, kind: 'inexpressible' },
];

/** The weaker contracts policy.json declares, each listed once in the summary. */
export const DECLARED = ['kid-ignored', 'typ-unchecked', 'exp-optional', 'no-size-limit'];
