// What every phase of a run shares: the target and its policy, the drive settings, the
// key ring, the engine's loop-lag monitor, and one way to run and judge a case.
import { randomBytes } from 'node:crypto';
import type { Policy } from '../../model/policy.ts';
import type { Case } from '../cases/case.ts';
import type { Client } from '../cases/client.ts';
import { KeyRing } from '../cases/forge/token.ts';
import { executeCase, type DriveSettings } from '../drive/execute.ts';
import { judgeInput, type JudgedRun } from '../judge/case-run.ts';
import type { Finding } from '../judge/context.ts';
import type { TrueCause } from '../judge/cause.ts';
import { hintFor, type Hint } from '../judge/hints.ts';
import { judge } from '../judge/judge.ts';
import type { EngineEvent } from '../report/events.ts';
import type { Target } from '../targets/target.ts';
import type { SigningKeys } from '../keys.ts';
import { LoopLag } from './loop-lag.ts';

/** A case's timing proves nothing when the engine's own loop stalled this share of the deadline. */
const SPOILED_SHARE = 0.25;
/** Closer than this to its token's expiry (exp + skew), a session may rightly be closed for expiry. */
const EXPIRY_MARGIN_MS = 500;

export interface RunContext {
  target: Target;
  policy: Policy;
  settings: DriveSettings;
  strict: boolean;
  ring: KeyRing;
  lag: LoopLag;
  emit(event: EngineEvent): void;
  signal: AbortSignal | null;
  /** A fresh subject id suffix, unique per case and per run. */
  nextCaseId(): string;
  /** Runs one case on the wire and judges it alone (relations come later); `signer`: a key other than the target's (key rotation). */
  runCase(kase: Case, userId?: string, signer?: SigningKeys): Promise<JudgedRun>;
  /** Judges a run again, with the findings of its relations. */
  rejudge(run: JudgedRun, relationFindings: Finding[]): void;
  /** The hint for a judged run once the true cause of its divergence is known (engine/cause.ts). */
  hintWith(run: JudgedRun, cause: TrueCause): Hint | null;
  /** Whether the engine's loop stalled long enough during the run to spoil its timing. */
  spoiled(run: JudgedRun): boolean;
}

export function createRunContext(target: Target, settings: DriveSettings, strict: boolean, emit: (e: EngineEvent) => void, signal: AbortSignal | null, client: Client = 'any'): RunContext {
  const policy = target.policy;
  const ring = new KeyRing(target.keys);
  const lag = new LoopLag();
  // Subjects are unique per case and per run: a target reused across runs (mutants,
  // bench) keeps the users of earlier runs, revoked ones included.
  const runNonce = randomBytes(3).toString('hex');
  let seq = 0;
  const inputOf = (kase: Case, exec: JudgedRun['exec']) => ({ ...judgeInput(policy, kase, exec, settings), client });
  const judgeRun = (kase: Case, exec: JudgedRun['exec'], findings: Finding[] = []) => judge(inputOf(kase, exec), target.keys.fingerprint, findings);
  return {
    target,
    policy,
    settings,
    strict,
    ring,
    lag,
    emit,
    signal,
    nextCaseId: () => `${runNonce}-${++seq}`,
    async runCase(kase, userId, signer) {
      const from = performance.now();
      const exec = await executeCase(target, signer ? new KeyRing(signer) : ring, kase, settings, `${runNonce}-${++seq}`, userId);
      return { status: 'judged', kase, exec, judgement: judgeRun(kase, exec), window: { from, to: performance.now() } };
    },
    rejudge(run, findings) {
      run.judgement = judgeRun(run.kase, run.exec, findings);
    },
    hintWith: (run, cause) => hintFor({ ...inputOf(run.kase, run.exec), findings: run.judgement.findings, keyFingerprint: target.keys.fingerprint, cause }),
    spoiled: (run) => lag.maxBetween(run.window.from, run.window.to) > SPOILED_SHARE * settings.deadlineMs || outlivedItsToken(run, policy),
  };
}

/**
 * A case that predicts the session outlives nothing (the client closes first, or a
 * revocation closes it) but ran until its token's expiry: its premise broke. "exp within
 * skew" keeps only a few seconds, which a slow moment can eat; closing at expiry then is
 * right, so the run proves nothing either way and is made again.
 */
export function outlivedItsToken(run: JudgedRun, policy: Policy): boolean {
  const exp = run.exec.request.expSeconds;
  // Only a token meant to be valid has the premise: an expired one (exp=past) is refused whenever it is sent.
  const meantValid = run.kase.facts.exp === 'future' || run.kase.facts.exp === 'within-skew';
  if (exp === null || !meantValid || run.kase.facts.session === 'token-expires' || !policy.session.closeAtExp) return false;
  const endedAt = performance.timeOrigin + run.window.to;
  return endedAt >= (exp + policy.clockSkewSeconds) * 1000 - EXPIRY_MARGIN_MS;
}
