// Confirmation before a verdict: every divergence is replayed on its own, away from the
// run's crowd, before it is reported. Diverged in every replay -> deterministic; in
// some -> flaky, with its rate (a racy backend is still wrong); in none -> not a
// divergence, listed as "not reproduced". A case with twins is replayed with its twins,
// so a relation is judged only on observations made together in the replay. A replay
// whose timing the engine itself spoiled (its loop stalled) does not count. Cases whose
// first observation was about time (a hang, no connection, a release) are replayed one
// at a time, after the others, each beside a control: the canonical valid case, sent at
// the same moment. When the control is not answered within half the deadline either,
// the whole target (or machine) was slow at that moment, not this case: the replay does
// not count.
import type { Case } from '../cases/case.ts';
import type { CasePlan } from '../cases/plan.ts';
import { runPool } from '../pool/pool.ts';
import { observedOutcome } from '../drive/evidence.ts';
import { isDivergentRun, sameDivergence, type JudgedRun } from '../judge/case-run.ts';
import type { Confirmation } from '../result.ts';
import { answerMs } from './concurrency.ts';
import type { RunContext } from './context.ts';
import { compareTwins, type TwinReport } from './relate.ts';

/** Replays at once: few enough that the replays do not load the target themselves. */
const CONFIRM_CONCURRENCY = 4;
/**
 * Tries beyond `attempts` for replays spoiled by a slow moment. When they run out, the
 * remaining attempts are not made: a moment slow throughout proves nothing about the
 * case (the control, a valid case, was slow too), so it is not reported as diverging.
 */
const SPOILED_RETRIES = 4;

export interface Confirmed {
  confirmation: Confirmation;
  /** The observation to report: a replay that diverged (preferably as the first did), else the last replay. */
  run: JudgedRun;
  twins: TwinReport[] | null;
}

/**
 * @param control the canonical valid case, run beside each replay of a time-related
 *   divergence to tell a slow case from a slow moment.
 */
export async function confirmDivergences(ctx: RunContext, candidates: readonly JudgedRun[], twinsOf: CasePlan['twinsOf'], attempts: number, control: Case): Promise<Map<string, Confirmed>> {
  const out = new Map<string, Confirmed>();
  if (!candidates.length || attempts < 1) return out;
  ctx.emit({ type: 'confirm-started', count: candidates.length, attempts });
  const one = async (first: JudgedRun) => {
    const confirmed = await confirmOne(ctx, first, twinsOf.get(first.kase.key) ?? [], attempts, aboutTime(first) ? control : null);
    out.set(first.kase.key, confirmed);
    ctx.emit({ type: 'confirmed', key: first.kase.key, ...confirmed.confirmation });
  };
  await runPool(candidates.filter((r) => !aboutTime(r)), CONFIRM_CONCURRENCY, () => 0, one, ctx.signal);
  await runPool(candidates.filter(aboutTime), 1, () => 0, one, ctx.signal);
  return out;
}

function answeredWithin(run: JudgedRun, ms: number): boolean {
  const answer = answerMs(run.exec.evidence);
  return answer !== null && answer <= ms && !isDivergentRun(run, false);
}

const TIME_OUTCOMES = new Set(['hang', 'timeout', 'no-connection', 'no-evidence']);

function aboutTime(run: JudgedRun): boolean {
  return TIME_OUTCOMES.has(observedOutcome(run.exec.evidence)) || run.kase.prediction.outcome === 'timeout';
}

async function confirmOne(ctx: RunContext, first: JudgedRun, twins: NonNullable<ReturnType<CasePlan['twinsOf']['get']>>, attempts: number, control: Case | null): Promise<Confirmed> {
  let reproduced = 0;
  let counted = 0;
  let chosen: { run: JudgedRun; twins: TwinReport[] | null } | null = null;
  let last: { run: JudgedRun; twins: TwinReport[] | null } = { run: first, twins: null };
  let spoiled = 0;
  for (let tries = 0; counted < attempts && spoiled <= SPOILED_RETRIES && !ctx.signal?.aborted; tries++) {
    const [controlRun, run, ...twinRuns] = await Promise.all([control ? ctx.runCase(control) : null, ctx.runCase(first.kase), ...twins.map((t) => ctx.runCase(t.kase))]);
    const all = [run!, ...twinRuns];
    const slowMoment = controlRun !== null && !answeredWithin(controlRun, ctx.settings.deadlineMs / 2);
    if (slowMoment || all.some((r) => ctx.spoiled(r))) {
      spoiled += 1;
      continue;
    }
    counted += 1;
    let reports: TwinReport[] | null = null;
    if (twins.length) {
      const compared = compareTwins(run!, twins.map((t, i) => ({ relation: t.relation, run: twinRuns[i]! })));
      reports = compared.reports;
      if (compared.findings.length) ctx.rejudge(run!, compared.findings);
    }
    last = { run: run!, twins: reports };
    if (isDivergentRun(run!, ctx.strict)) {
      reproduced += 1;
      // Shown: a replay that diverged the way the first observation did, else the first that diverged.
      if (!chosen || (!sameDivergence(chosen.run, first) && sameDivergence(run!, first))) chosen = last;
    }
  }
  const status = reproduced === 0 ? 'not-reproduced' : reproduced === counted ? 'deterministic' : 'flaky';
  const shown = chosen ?? last;
  return { confirmation: { status, attempts: counted, reproduced, ...(spoiled ? { spoiled } : {}) }, run: shown.run, twins: shown.twins };
}
