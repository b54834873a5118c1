// Which divergences to shrink, and shrinking them: one representative per kind of
// divergence (its hint) not already shown by a minimal case, cheapest first. A shrink
// step runs the candidate and its relation twins live, and keeps it only when it
// still diverges the same way.
import type fc from 'fast-check';
import { predict } from '../../model/oracle.ts';
import type { Policy } from '../../model/policy.ts';
import type { Case } from '../cases/case.ts';
import { deviations, describeFacts, hasNoise, isTimingDependent, type Facts } from '../cases/facts-util.ts';
import type { Unavailable } from '../capabilities/capabilities.ts';
import { twinCases } from '../cases/plan.ts';
import type { CaseRun, JudgedRun } from '../judge/case-run.ts';
import type { Finding } from '../judge/context.ts';
import { compareTwin } from '../judge/relations.ts';
import { shrinkCase } from './shrink.ts';

export interface ShrinkBudget {
  /** Distinct kinds of divergence to shrink. */
  maxCases: number;
  /** Live runs per shrink. */
  maxRunsPerCase: number;
  /** Wall time per shrink. */
  maxMs: number;
}

export interface Shrunk {
  facts: Facts;
  steps: number;
  path: string;
  run: JudgedRun;
}

export interface ShrinkContext {
  policy: Policy;
  canonical: Facts;
  arbitrary: fc.Arbitrary<Facts>;
  runs: number;
  relations: boolean;
  enabled: readonly string[];
  unavailable: Unavailable;
  isDivergent(run: CaseRun): run is JudgedRun;
  runCase(kase: Case): Promise<JudgedRun>;
  rejudge(run: JudgedRun, findings: Finding[]): void;
  onStep(key: string, steps: number, description: string): void;
}

const signature = (run: JudgedRun) => run.judgement.hint?.id ?? run.judgement.findings[0]?.check ?? 'unknown';

export async function shrinkDivergences(results: readonly CaseRun[], budget: ShrinkBudget, ctx: ShrinkContext): Promise<Map<string, Shrunk>> {
  const divergent = results.filter((r): r is JudgedRun => ctx.isDivergent(r));
  const minimal = new Set(
    divergent
      .filter(
        (r) =>
          (r.kase.source.kind === 'path' && r.kase.facts.noise.headers.length <= 1) ||
          (r.kase.source.kind === 'fuzz' && deviations(r.kase.facts, ctx.canonical).length <= 1 && !hasNoise(r.kase.facts.noise)),
      )
      .map(signature),
  );
  const cost = (r: JudgedRun) => (isTimingDependent(r.kase.facts) ? 100 : 0) + deviations(r.kase.facts, ctx.canonical).length;
  const chosen = new Map<string, JudgedRun>();
  for (const r of [...divergent].sort((a, b) => cost(a) - cost(b))) {
    const sig = signature(r);
    if (r.kase.source.kind !== 'fuzz' || minimal.has(sig) || chosen.has(sig) || chosen.size >= budget.maxCases) continue;
    chosen.set(sig, r);
  }
  const out = new Map<string, Shrunk>();
  for (const [sig, original] of chosen) {
    const shrunk = await shrinkOne(original, sig, budget, ctx);
    if (shrunk) out.set(original.kase.key, shrunk);
  }
  return out;
}

async function shrinkOne(original: JudgedRun, sig: string, budget: ShrinkBudget, ctx: ShrinkContext): Promise<Shrunk | null> {
  const source = original.kase.source as { kind: 'fuzz'; seed: number; path: string };
  const started = performance.now();
  let last: JudgedRun | null = null;
  const stillDiverges = async (facts: Facts): Promise<boolean> => {
    // Out of time: count as "no longer diverges", which ends the shrink where it is.
    if (performance.now() - started > budget.maxMs) return false;
    const kase: Case = { key: `${original.kase.key}>shrink`, source, facts, prediction: predict(ctx.policy, facts), variantKey: original.kase.key };
    const run = await ctx.runCase(kase);
    const findings: Finding[] = [];
    if (ctx.relations) {
      for (const twin of twinCases(ctx.policy, kase, ctx.enabled, ctx.unavailable)) {
        const t = await ctx.runCase(twin.kase);
        const f = compareTwin(twin.relation, run.exec.evidence, t.exec.evidence, facts);
        if (f) findings.push(f);
      }
    }
    if (findings.length) ctx.rejudge(run, findings);
    const same = ctx.isDivergent(run) && signature(run) === sig;
    if (same) last = run;
    return same;
  };
  const result = await shrinkCase(ctx.arbitrary, source.seed, source.path, ctx.runs, stillDiverges, budget.maxRunsPerCase, (facts, steps) =>
    ctx.onStep(original.kase.key, steps, describeFacts(facts, ctx.canonical)),
  );
  return result && last ? { facts: result.facts, steps: result.steps, path: result.path, run: last } : null;
}
