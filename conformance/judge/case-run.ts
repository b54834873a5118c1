// One case as run: its execution on the wire (none when the target could not run it)
// and its judgement, plus what the judge reads from them.
import type { Policy } from '../../model/policy.ts';
import type { Case } from '../cases/case.ts';
import type { DriveSettings, Execution } from '../drive/execute.ts';
import type { JudgeInput } from './context.ts';
import type { Judgement } from './judge.ts';
import { isDivergent } from './verdict.ts';

export interface CaseRun {
  kase: Case;
  exec: Execution | null;
  judgement: Judgement | null;
  /** Why the target could not run the case. */
  notCovered?: string;
}

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

export function isDivergentRun(run: CaseRun, strict: boolean): boolean {
  return run.judgement !== null && (isDivergent(run.judgement.handshake, strict) || isDivergent(run.judgement.session, strict));
}
