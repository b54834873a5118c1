// The true cause of each confirmed divergence: the case is replayed with one fact at a
// time set back to its value in the canonical valid case. A fact whose setting back makes
// the backend answer as the model predicts is one the backend got wrong; when several
// do, the one whose setting back changed the backend's answer comes first (setting back a
// defect the backend ignored changes only the prediction), then the model's stage order.
// That fact is then run on its own (the canonical case plus that fact alone): when that
// diverges too, the hint is read from it (a minimal case of the same fault), else from the
// case itself; either way the rules are given the cause, so none blames something else.
// Bounded: at most MAX_FLIPS facts per case (defects first), one replay each (none for the
// canonical case: the canary ran it), plus one for the fact alone; as many at once as the
// engine's concurrency control allows (fed with these replays too), and replays about time
// one at a time, as confirmation does. A replay spoiled by the engine's own loop stall is
// made again (up to four more times), then counts for nothing. Deterministic: facts in a fixed order, the cause
// chosen by rule.
import { defectsOf } from '../../model/facts.ts';
import { predict } from '../../model/oracle.ts';
import type { Case } from '../cases/case.ts';
import { standsFor } from '../cases/edge/hint.ts';
import { describeFacts, deviations, hasNoise, isTimingDependent, type Facts } from '../cases/facts-util.ts';
import { observedOutcome } from '../drive/evidence.ts';
import { runPool } from '../pool/pool.ts';
import { causeName, describeFlip, type Alone, type Flip, type FlippedFact, type TrueCause } from '../judge/cause.ts';
import { isDivergentRun, type CaseRun, type JudgedRun } from '../judge/case-run.ts';
import { CHECKS } from '../judge/checks.ts';
import { isDivergent } from '../judge/verdict.ts';
import type { Concurrency } from './concurrency.ts';
import type { RunContext } from './context.ts';

/** Facts set back per divergent case: enough for every model path and most fuzz cases. */
const MAX_FLIPS = 6;

export interface Explanation {
  flips: Flip[];
  cause: TrueCause | null;
}

/** The checks of the wire against the prediction (not relations, logs, or the VACUOUS check). */
const OUTCOME_CHECKS = new Set(CHECKS.map((c) => c.id).filter((id) => id !== 'wire-evidence'));

/** Diverges from its own prediction on the wire: flips can explain it (a broken relation or a lying log they cannot). */
function divergesOnItsOwn(run: JudgedRun, strict: boolean): boolean {
  return run.judgement.findings.some((f) => OUTCOME_CHECKS.has(f.check) && isDivergent(f.verdict, strict));
}

const vacuous = (run: JudgedRun) => run.judgement.handshake === 'VACUOUS';
const expectedOf = (kase: Case) => `${kase.prediction.outcome} (${kase.prediction.reason})`;

function setBack(facts: Facts, canonical: Facts, fact: FlippedFact): Facts {
  if (fact !== 'spelling') return { ...facts, [fact]: canonical[fact] } as Facts;
  const { spelling: _plain, ...plain } = facts;
  return plain;
}

function valueOf(facts: Facts, canonical: Facts, fact: FlippedFact): string {
  if (fact === 'spelling') return facts.spelling ?? 'none';
  if (fact !== 'noise') return String(facts[fact]);
  if (!hasNoise(facts.noise)) return 'none';
  return describeFacts({ ...canonical, noise: facts.noise }, canonical).replace(/^\+noise\((.*)\)$/, '$1');
}

/** The facts to set back: a spelling, the defects, the noise, then the rest (each in the model's order). */
function factsToFlip(run: JudgedRun, canonical: Facts, ctx: RunContext): FlippedFact[] {
  const facts = run.kase.facts;
  const defects = new Set(defectsOf(facts, ctx.policy));
  const others = deviations(facts, canonical);
  // A near miss's spelling first: when both it and its fact remove the divergence, the spelling is the finer cause.
  const spelling: FlippedFact[] = facts.spelling !== undefined ? ['spelling'] : [];
  const noise: FlippedFact[] = hasNoise(facts.noise) ? ['noise'] : [];
  const ordered: FlippedFact[] = [...spelling, ...others.filter((f) => defects.has(f)), ...noise, ...others.filter((f) => !defects.has(f))];
  return ordered.slice(0, MAX_FLIPS);
}

/** A case of the same spelling variants as the divergent one, with other facts; null when the model has no prediction for them. */
function variantOf(run: JudgedRun, suffix: string, facts: Facts, ctx: RunContext): Case | null {
  try {
    return { key: `${run.kase.key}>${suffix}`, source: run.kase.source, facts, prediction: predict(ctx.policy, facts), variantKey: run.kase.variantKey ?? run.kase.key };
  } catch {
    return null;
  }
}

/** Tries of a replay the engine's own loop stall spoiled, as many as confirmation allows. */
const SPOILED_TRIES = 5;

/** One replay, made again while the engine's loop spoiled it; null when it stays spoiled or reaches nothing. */
async function replay(ctx: RunContext, kase: Case, concurrency: Concurrency): Promise<JudgedRun | null> {
  for (let tries = 0; tries < SPOILED_TRIES && !ctx.signal?.aborted; tries++) {
    const run = await ctx.runCase(kase);
    concurrency.record(run.exec.evidence, kase.facts.latency === 'stalled');
    if (!ctx.spoiled(run)) return vacuous(run) ? null : run;
  }
  return null;
}

/** The canonical case with only `fact` as in `facts`: its near-miss spelling too (cases/edge/), or for the spelling the facts it stands for. */
function aloneFacts(facts: Facts, canonical: Facts, fact: FlippedFact): Facts {
  if (fact === 'spelling') {
    const spelled = standsFor(facts.spelling ?? '').map((f) => [f, facts[f as keyof Facts]]);
    return { ...canonical, ...Object.fromEntries(spelled), spelling: facts.spelling } as Facts;
  }
  const spelling = facts.spelling !== undefined && standsFor(facts.spelling).includes(fact) ? { spelling: facts.spelling } : {};
  return { ...canonical, [fact]: facts[fact], ...spelling } as Facts;
}

/** No deviation, no noise, no spelling of a value: the canonical valid case itself. */
function isCanonical(facts: Facts, canonical: Facts): boolean {
  return deviations(facts, canonical).length === 0 && !hasNoise(facts.noise) && facts.spelling === undefined;
}

/** The flip of a fact alone: setting it back gives the canonical case, run as the canary. */
function canaryFlip(flip: Flip, canary: JudgedRun, ctx: RunContext): Flip {
  return { ...flip, expected: expectedOf(canary.kase), observed: observedOutcome(canary.exec.evidence), asPredicted: !divergesOnItsOwn(canary, ctx.strict) };
}

/** Runs the jobs, those about time one at a time after the others. */
async function replayAll<T>(ctx: RunContext, concurrency: Concurrency, jobs: readonly T[], kaseOf: (job: T) => Case, done: (job: T, run: JudgedRun | null) => void): Promise<void> {
  const one = async (job: T) => done(job, await replay(ctx, kaseOf(job), concurrency));
  await runPool(jobs.filter((j) => !isTimingDependent(kaseOf(j).facts)), concurrency.limit, () => 0, one, ctx.signal);
  await runPool(jobs.filter((j) => isTimingDependent(kaseOf(j).facts)), 1, () => 0, one, ctx.signal);
}

/**
 * Explains every divergent run that diverges on its own, and gives it the hint of its
 * true cause where a single fact set back removes the divergence.
 */
export async function explainDivergences(ctx: RunContext, runs: readonly CaseRun[], canonical: Facts, concurrency: Concurrency): Promise<Map<string, Explanation>> {
  const out = new Map<string, Explanation>();
  const divergent = runs.filter((r): r is JudgedRun => isDivergentRun(r, ctx.strict) && divergesOnItsOwn(r, ctx.strict));
  // Setting back the only deviation gives the canonical case: the canary already ran it (confirmed when it diverged).
  const canary = runs.find((r): r is JudgedRun => r.status === 'judged' && r.kase.source.kind === 'canary');
  const flipJobs = divergent.flatMap((run) =>
    factsToFlip(run, canonical, ctx).flatMap((fact) => {
      const facts = setBack(run.kase.facts, canonical, fact);
      const kase = isCanonical(facts, canonical) && canary ? canary.kase : variantOf(run, `flip:${fact}`, facts, ctx);
      return kase ? [{ run, fact, kase }] : [];
    }),
  );
  if (!flipJobs.length) return out;
  const toReplay = flipJobs.filter((j) => j.kase !== canary?.kase);
  ctx.emit({ type: 'explain-started', count: divergent.length, replays: toReplay.length });
  const flips = new Map<JudgedRun, Array<{ flip: Flip; changed: boolean }>>();
  const record = ({ run, fact, kase }: (typeof flipJobs)[number], replayed: JudgedRun | null) => {
    if (!replayed) return;
    const observed = observedOutcome(replayed.exec.evidence);
    const flip: Flip = { fact, value: valueOf(run.kase.facts, canonical, fact), canonical: valueOf(canonical, canonical, fact), expected: expectedOf(kase), observed, asPredicted: !divergesOnItsOwn(replayed, ctx.strict) };
    flips.set(run, [...(flips.get(run) ?? []), { flip, changed: observed !== observedOutcome(run.exec.evidence) }]);
  };
  for (const j of flipJobs) if (j.kase === canary?.kase) record(j, canary);
  await replayAll(ctx, concurrency, toReplay, (j) => j.kase, record);
  // Replays finish in any order: report them in the order the facts were chosen.
  const order = (run: JudgedRun) => factsToFlip(run, canonical, ctx);
  const chosen = divergent.flatMap((run) => {
    const tried = [...(flips.get(run) ?? [])].sort((a, b) => order(run).indexOf(a.flip.fact) - order(run).indexOf(b.flip.fact));
    out.set(run.kase.key, { flips: tried.map((t) => t.flip), cause: null });
    const fixing = tried.filter((t) => t.flip.asPredicted).sort((a, b) => Number(b.changed) - Number(a.changed));
    return fixing.length ? [{ run, flip: fixing[0]!.flip }] : [];
  });
  // The cause alone: the divergent case itself when it deviated in that fact only.
  const aloneJobs = chosen.flatMap((c) => {
    const facts = aloneFacts(c.run.kase.facts, canonical, c.flip.fact);
    if (describeFacts(facts, canonical) === describeFacts(c.run.kase.facts, canonical)) return [];
    const kase = variantOf(c.run, `alone:${c.flip.fact}`, facts, ctx);
    return kase ? [{ ...c, kase }] : [];
  });
  const alone = new Map<JudgedRun, JudgedRun | null>();
  await replayAll(ctx, concurrency, aloneJobs, (j) => j.kase, (j, run) => alone.set(j.run, run));
  for (const { run, flip } of chosen) {
    const aloneRun = alone.get(run) ?? null;
    const aloneReport: Alone | null = aloneRun && { expected: expectedOf(aloneRun.kase), observed: observedOutcome(aloneRun.exec.evidence), divergent: divergesOnItsOwn(aloneRun, ctx.strict) };
    const cause: TrueCause = { fact: flip.fact, value: flip.value, canonical: flip.canonical, flip, alone: aloneReport };
    out.get(run.kase.key)!.cause = cause;
    const fromAlone = aloneRun !== null && aloneReport!.divergent && canary !== undefined;
    const hint = fromAlone ? ctx.hintWith(aloneRun, { ...cause, flip: canaryFlip(flip, canary, ctx) }) : ctx.hintWith(run, cause);
    if (!hint) continue;
    // A case of several deviations says which of them the hint is about, and how that showed.
    const notes = [`cause: ${causeName(cause)}`, ...(fromAlone ? [`on its own: observed ${aloneReport!.observed} where ${aloneReport!.expected} was due`] : []), describeFlip(flip)];
    run.judgement.hint = order(run).length > 1 ? { ...hint, text: `${hint.text} [${notes.filter((n) => !hint.text.includes(n)).join('; ')}]` } : hint;
  }
  return out;
}
