// Results as values (fast-check's RunDetails): the engine returns these; only the CLI
// turns them into text and exit codes.
import type { DeclaredContract } from '../model/declared.ts';
import type { Collapse } from '../model/browser.ts';
import type { Coverage } from '../model/paths.ts';
import type { Prediction } from '../model/oracle.ts';
import type { Policy } from '../model/policy.ts';
import type { CaseSource } from './cases/case.ts';
import type { Facts } from './cases/facts-util.ts';
import type { TokenInfo } from './cases/forge/request.ts';
import type { Evidence } from './drive/evidence.ts';
import type { Finding } from './judge/context.ts';
import type { Hint } from './judge/hints.ts';
import type { Alone, Flip } from './judge/cause.ts';
import type { SessionVerdict, Verdict } from './judge/verdict.ts';
import type { ConformanceError } from '../model/errors.ts';
import type { ConcurrencyStats } from './engine/concurrency.ts';
import type { LoopLagStats } from './engine/loop-lag.ts';

/** How a divergence was confirmed: replayed on its own `attempts` times, `reproduced` of them the same way. */
export interface Confirmation {
  status: 'deterministic' | 'flaky' | 'not-reproduced';
  attempts: number;
  reproduced: number;
  /** Replays set aside because the moment was slow (the engine's loop stalled, or the control was slow too). */
  spoiled?: number;
}

/**
 * The true cause of a divergence: the case replayed with one fact at a time set back to
 * its canonical value (engine/cause.ts); `fact` is the one whose setting back made the
 * backend answer as predicted, null when no single one did.
 */
export interface CauseReport {
  fact: string | null;
  value: string | null;
  /** Each replay, with its line: "with nbf set back to absent: observed accept as predicted". */
  flips: Array<Flip & { text: string }>;
  /** The canonical case with only that fact changed, when it was run (the case had other deviations). */
  alone: Alone | null;
}

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
  /** For divergences: deterministic or flaky once confirmed (see `confirmation`). */
  stability?: 'deterministic' | 'flaky';
  /** Set when the first observation diverged: its replays (the evidence shown is a replay's). */
  confirmation?: Confirmation;
  /** For divergences: the replays with one fact at a time set back to canonical, and the fact they point to. */
  cause?: CauseReport;
  /** The first observation, when it diverged but its replays did not. */
  firstObserved?: { observed: string; handshake: Verdict; session: SessionVerdict };
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
  /** Absent when confirmation was off or the run was interrupted before it. */
  confirmation?: Confirmation;
  /** Absent when the divergence is only a broken relation or a decision log's, or the run was interrupted. */
  cause?: CauseReport;
}

/** A first observation that diverged and whose replays never did: not a divergence. */
export interface NotReproduced {
  key: string;
  description: string;
  expected: string;
  firstObserved: string;
  verdicts: string;
  attempts: number;
}

/** What the harness itself did: how many cases it ran at once and how late its own loop was. */
export interface HarnessReport {
  concurrency: ConcurrencyStats;
  loopDelay: LoopLagStats;
  /** Divergent first observations replayed, and what became of them. */
  confirmation: { candidates: number; deterministic: number; flaky: number; notReproduced: number; attempts: number };
  /** ms from the start of the run to the first confirmed divergence, or null. */
  firstConfirmedMs: number | null;
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
  /** Weaker contracts the policy declares: the model predicts them, so they are named here once, never as divergences. */
  declared: DeclaredContract[];
  /** With `--client browser`: the contract's outcomes a page cannot tell apart (model/browser.ts). */
  client?: { name: 'browser'; collapses: Collapse[] };
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
  /** Interrupted (Ctrl-C): the cases judged so far, their divergences unconfirmed. */
  partial: boolean;
  notReproduced: NotReproduced[];
  harness: HarnessReport;
  cases: CaseResult[];
  divergences: Divergence[];
  summary: Summary;
}

export type RunResult =
  | CompletedRun
  | { kind: 'unreachable'; target: { kind: string; description: string; url: string }; preflight: PreflightReport; detail: string }
  | { kind: 'setup-error'; error: ConformanceError | Error }
  | { kind: 'interrupted'; detail: string };

export function exitCodeOf(result: RunResult): 0 | 1 | 2 | 130 {
  if (result.kind === 'interrupted' || (result.kind === 'completed' && result.partial)) return 130;
  if (result.kind !== 'completed') return 2;
  return result.passed ? 0 : 1;
}
