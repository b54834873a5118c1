// One case as run: either blocked (the target cannot run it) or judged, with its
// execution on the wire, its judgement, and when it ran (to tell whether the harness
// was on time while it did).
import type { Policy } from '../../model/policy.ts';
import type { Case } from '../cases/case.ts';
import type { DriveSettings, Execution } from '../drive/execute.ts';
import type { JudgeInput } from './context.ts';
import type { Judgement } from './judge.ts';
import { isDivergent } from './verdict.ts';

export interface BlockedRun {
  status: 'blocked';
  kase: Case;
  /** Why the target could not run the case. */
  reason: string;
}

export interface JudgedRun {
  status: 'judged';
  kase: Case;
  exec: Execution;
  judgement: Judgement;
  /** performance.now() when the case started and ended (the engine's loop-lag window). */
  window: { from: number; to: number };
}

export type CaseRun = BlockedRun | JudgedRun;

export function judgeInput(policy: Policy, kase: Case, exec: Execution, settings: DriveSettings): JudgeInput {
  return {
    policy,
    facts: kase.facts,
    prediction: kase.prediction,
    evidence: exec.evidence,
    expSeconds: exec.request.expSeconds,
    tokenPresented: exec.request.token !== null && exec.request.token !== '' && kase.facts.placement !== 'first-message',
    timing: { handshakeDeadlineMs: settings.deadlineMs, expiryToleranceMs: settings.expiryToleranceMs },
  };
}

export function isDivergentRun(run: CaseRun, strict: boolean): run is JudgedRun {
  return run.status === 'judged' && (isDivergent(run.judgement.handshake, strict) || isDivergent(run.judgement.session, strict));
}

/** Two observations diverge the same way: the same verdict for the handshake and the session. */
export function sameDivergence(a: JudgedRun, b: JudgedRun): boolean {
  return a.judgement.handshake === b.judgement.handshake && a.judgement.session === b.judgement.session;
}
