// Everything a check may read about one case. Checks never touch the network.
import type { Prediction } from '../../model/oracle.ts';
import type { Policy } from '../../model/policy.ts';
import type { Facts } from '../cases/facts-util.ts';
import type { Evidence } from '../drive/evidence.ts';
import type { Client } from '../cases/client.ts';
import type { Hint } from './hints.ts';
import type { Phase, Verdict } from './verdict.ts';

export interface Timing {
  /** Client deadline for an HTTP answer. */
  handshakeDeadlineMs: number;
  /** Allowed lateness of a close at exp + skew. */
  expiryToleranceMs: number;
}

export interface JudgeInput {
  policy: Policy;
  facts: Facts;
  prediction: Prediction;
  evidence: Evidence;
  /** exp of the token sent (NumericDate), for the session-expiry timing. */
  expSeconds: number | null;
  /** Whether a token was presented (RFC 6750 3.1: then 401 carries error="invalid_token"). */
  tokenPresented: boolean;
  timing: Timing;
  /** Whose view the case is judged on: any HTTP client (default), or a web page (judge/browser.ts). */
  client?: Client;
}

export interface Finding {
  check: string;
  phase: Phase;
  verdict: Verdict;
  message: string;
  /** The cause, when the finding names it itself (a lying decision log). */
  hint?: Hint;
  /** A relation's two observed outcomes (the browser client compares what a page sees of them). */
  outcomes?: { primary: string; twin: string };
}
