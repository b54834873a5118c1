// Results as values (fast-check's RunDetails): the engine returns these; only the CLI
// turns them into text and exit codes.
import type { Coverage } from '../model/paths.ts';
import type { Prediction } from '../model/oracle.ts';
import type { Policy } from '../model/policy.ts';
import type { CaseSource } from './cases/case.ts';
import type { Facts } from './cases/facts-util.ts';
import type { TokenInfo } from './cases/forge/request.ts';
import type { Evidence } from './drive/evidence.ts';
import type { Finding } from './judge/context.ts';
import type { Hint } from './judge/hints.ts';
import type { SessionVerdict, Verdict } from './judge/verdict.ts';
import type { ConformanceError } from './errors.ts';

/** The request as it may be shown: the token replaced by its fingerprint. */
export interface RedactedRequest {
  path: string;
  headers: Array<[string, string]>;
  protocols: string[];
  authMessage: string | null;
  token: TokenInfo | null;
}

export interface CaseResult {
  key: string;
  source: CaseSource;
  facts: Facts;
  /** One line: the deviations from the canonical valid case. */
  description: string;
  prediction: Prediction;
  status: 'judged' | 'not-covered';
  /** Why the target could not run the case (status not-covered). */
  notCovered?: string;
  request?: RedactedRequest;
  evidence?: Evidence;
  observed?: string;
  handshake?: Verdict;
  session?: SessionVerdict;
  findings: Finding[];
  hint: Hint | null;
  divergent: boolean;
  /** For divergences of timing-dependent cases: the outcome of the re-run. */
  stability?: 'deterministic' | 'flaky';
  /** Twins that checked a metamorphic relation on this case. */
  twins: Array<{ relation: string; key: string; observed: string; holds: boolean }>;
}

export interface Divergence {
  key: string;
  handshake: Verdict;
  session: SessionVerdict;
  expected: string;
  observed: string;
  hint: Hint | null;
  description: string;
  /** The shrunk form, when this divergence came from fuzzing and shrank. */
  shrunk?: { facts: Facts; description: string; steps: number; path: string };
  counterexampleFile?: string;
  stability?: 'deterministic' | 'flaky';
}

export interface PreflightReport {
  reachable: { ok: boolean; detail: string };
  health: { ok: boolean; detail: string } | null;
  canary: { ok: boolean; detail: string } | null;
}

export interface Summary {
  cases: number;
  judged: number;
  notCovered: number;
  /** Twin cases run for the metamorphic relations (not counted in `cases`). */
  twins: number;
  predicted: Record<string, number>;
  observed: Record<string, number>;
  handshakeVerdicts: Record<string, number>;
  sessionVerdicts: Record<string, number>;
  divergences: number;
  vacuous: number;
  nonStrict: number;
  coverage: Coverage;
  modelCoverage: Coverage;
  notCoveredFacts: Array<{ fact: string; value: string; reason: string; cases: number }>;
  wallMs: number;
  casesPerSecond: number;
}

export interface CompletedRun {
  kind: 'completed';
  /** True when nothing diverged (NON-STRICT allowed unless strict) and nothing was vacuous. */
  passed: boolean;
  target: { kind: string; description: string; url: string };
  seed: number;
  runs: number;
  strict: boolean;
  policyDigest: string;
  /** The policy the cases were judged under (the target's). */
  policy: Policy;
  profile: string;
  preflight: PreflightReport;
  /** Set when the canary failed and the run stopped there. */
  stoppedAfterCanary: boolean;
  cases: CaseResult[];
  divergences: Divergence[];
  summary: Summary;
}

export type RunResult =
  | CompletedRun
  | { kind: 'unreachable'; target: { kind: string; description: string; url: string }; preflight: PreflightReport; detail: string }
  | { kind: 'setup-error'; error: ConformanceError | Error };

export function exitCodeOf(result: RunResult): 0 | 1 | 2 {
  if (result.kind !== 'completed') return 2;
  return result.passed ? 0 : 1;
}
