// Reason conformance (`run --logs`): each case carries an X-Request-Id; after the run,
// the target's decision lines are joined to the cases by it and the reason the backend
// states is checked against the model's, not only the answer on the wire.
import { predict, type Prediction } from '../../model/oracle.ts';
import { outcomeOf } from '../../model/machine.ts';
import type { Policy } from '../../model/policy.ts';
import { isReason } from '../../model/reasons.ts';
import { CANONICAL_FACTS, deviations, type Facts } from '../cases/facts-util.ts';
import { TargetError } from '../../model/errors.ts';
import type { CaseRun, JudgedRun } from '../judge/case-run.ts';
import { CHECKS } from '../judge/checks.ts';
import type { Finding } from '../judge/context.ts';
import type { Hint } from '../judge/hints.ts';
import type { FieldMapping, StatedDecision } from './mapping.ts';
import { readDecisionsByRequest } from './stream.ts';

export const LOGGED_REASON_CHECK = 'logged-reason';

/** Lying logs of field-failures.md: the reason a catch-all writes whatever happened. */
const CATCH_ALL_HINTS: Record<string, Hint> = {
  'exp-expired': { id: 'log-says-expired', text: 'the decision log says "expired" for a refusal with another cause (a catch-all log line)' },
  'user-unknown': { id: 'log-blames-user', text: 'the decision log says "unknown user" for a refusal with another cause (a catch-all log line)' },
};

/**
 * Reasons no backend can tell apart from the bytes it receives: a payload changed after
 * signing, a truncated or zeroed signature and another key all fail verification alike.
 */
const SAME_EVIDENCE: ReadonlyArray<ReadonlySet<string>> = [new Set(['signature-wrong-key', 'signature-stripped', 'signature-tampered'])];

/**
 * Reasons a backend may state for a predicted one, from the same bytes: a signature cut
 * short is often no longer valid base64url, so the token is malformed as it arrives.
 */
const ALSO_STATED: Readonly<Record<string, readonly string[]>> = { 'signature-stripped': ['token-malformed'] };

function sameReason(stated: string, predicted: string): boolean {
  return stated === predicted || SAME_EVIDENCE.some((group) => group.has(stated) && group.has(predicted)) || (ALSO_STATED[predicted] ?? []).includes(stated);
}

/**
 * Reasons the case's facts make true under the policy with the same outcome: the model's,
 * and those the model would give were some of the case's other defects absent (a backend
 * may check in another order). Bounded: a case has a handful of defects at most.
 */
export function admissibleReasons(policy: Policy, facts: Facts, prediction: Prediction): Set<string> {
  const out = new Set<string>([prediction.reason]);
  // The placement is where the credential is, not a defect (its canonical may be disabled).
  const defects = deviations(facts).filter((f) => f !== 'placement').slice(0, 8);
  for (let mask = 1; mask < 1 << defects.length; mask++) {
    const reduced = { ...facts } as Record<string, unknown>;
    defects.forEach((f, i) => mask & (1 << i) && (reduced[f] = CANONICAL_FACTS[f]));
    const p = predict(policy, reduced as Facts);
    if (p.outcome === prediction.outcome) out.add(p.reason);
  }
  return out;
}

/** The finding for one case from its decision lines (in log order), or null when they agree. */
export function reasonFinding(policy: Policy, facts: Facts, prediction: Prediction, lines: readonly StatedDecision[] | undefined): Finding | null {
  const phase = prediction.outcome === 'accept' || prediction.outcome === 'close-1008' ? 'session' : 'handshake';
  const finding = (verdict: Finding['verdict'], message: string, hint?: Hint): Finding => ({ check: LOGGED_REASON_CHECK, phase, verdict, message, ...(hint ? { hint } : {}) });
  // An accepted case ends when the client closes; a session line after the accept (the
  // token's exp passing while a slow close was in flight) is about a later moment.
  const accepts = prediction.outcome === 'accept' ? lines?.filter((l) => l.outcome === 'accept') : undefined;
  const last = (accepts?.length ? accepts : lines)?.at(-1);
  if (!last) return finding('NON-STRICT', 'no decision line in the log carries this case\'s request id');
  const stated = last.reason ?? (last.outcome === 'accept' ? 'client-closed' : null);
  const where = `(log line ${last.line})`;
  if (stated !== null && sameReason(stated, prediction.reason)) return null;
  if (stated === null) return finding('WRONG-REASON', `the log states ${last.outcome ?? 'a decision'} without a reason where the model's reason is ${prediction.reason} ${where}`);
  if (isReason(stated) && admissibleReasons(policy, facts, prediction).has(stated) && outcomeOf(policy, stated) === prediction.outcome) {
    return finding('NON-STRICT', `the log states ${stated}, also a defect of this case, where the model checks ${prediction.reason} first ${where}`);
  }
  return finding('WRONG-REASON', `the log states ${stated} where the model's reason is ${prediction.reason} ${where}`, CATCH_ALL_HINTS[stated]);
}

/**
 * Joins a decision log to the runs of a completed pass and re-judges each case with its
 * reason finding, keeping the findings the relations added. Throws when no line of the
 * log carries a request id of these cases: then there is nothing to check.
 */
export async function joinDecisionLog(runs: readonly CaseRun[], file: string, mapping: FieldMapping, policy: Policy, rejudge: (run: JudgedRun, extra: Finding[]) => void): Promise<number> {
  const byRequest = await readDecisionsByRequest(file, mapping).catch((error: Error) => {
    throw new TargetError(`--logs ${file}: ${error.message}`);
  });
  const tagged = runs.filter((r): r is JudgedRun => r.status === 'judged' && Boolean(r.exec.request.requestId));
  const joined = tagged.filter((r) => byRequest.has(r.exec.request.requestId!)).length;
  if (tagged.length > 0 && joined === 0) {
    throw new TargetError(`--logs ${file}: no decision line carries a request id of this run (field "${mapping.requestId}"); does the backend log the X-Request-Id header?`);
  }
  const ownChecks = new Set(CHECKS.map((c) => c.id));
  for (const run of tagged) {
    const finding = reasonFinding(policy, run.kase.facts, run.kase.prediction, byRequest.get(run.exec.request.requestId!));
    if (finding) rejudge(run, [...run.judgement.findings.filter((f) => !ownChecks.has(f.check)), finding]);
  }
  return joined;
}
