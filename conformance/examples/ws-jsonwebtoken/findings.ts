// The findings README.md documents for this example, as the test asserts them.
import type { KnownFinding } from '../harness.ts';

export const FINDINGS: readonly KnownFinding[] = [
  // Contracts of this stack that the policy cannot state yet.
  { reason: 'key-unknown-kid', observed: 'accept', fact: ['key', 'unknown-kid'], kind: 'inexpressible' },
  { reason: 'token-oversize', observed: 'accept', fact: ['structure', 'oversize'], kind: 'inexpressible' },
  { reason: 'session-token-expired', observed: 'accept', fact: ['session', 'token-expires'], kind: 'inexpressible' },
];
