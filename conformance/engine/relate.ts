// Relations between twins: a case and each twin must be observed alike. A broken
// relation is a finding of the case (its twin's own prediction is judged separately).
import type { CasePlan } from '../cases/plan.ts';
import { observedOutcome } from '../drive/evidence.ts';
import type { CaseRun, JudgedRun } from '../judge/case-run.ts';
import type { Finding } from '../judge/context.ts';
import { compareTwin } from '../judge/relations.ts';
import type { RelationId } from '../relations/relations.ts';
import type { CaseResult } from '../result.ts';
import type { RunContext } from './context.ts';

export type TwinReport = CaseResult['twins'][number];

/** Compares a run with its twins' runs; the findings of the relations that broke. */
export function compareTwins(run: JudgedRun, twins: ReadonlyArray<{ relation: RelationId; run: JudgedRun }>): { findings: Finding[]; reports: TwinReport[] } {
  const findings: Finding[] = [];
  const reports: TwinReport[] = [];
  for (const twin of twins) {
    const finding = compareTwin(twin.relation, run.exec.evidence, twin.run.exec.evidence, run.kase.facts);
    reports.push({ relation: twin.relation, key: twin.run.kase.key, observed: observedOutcome(twin.run.exec.evidence), holds: finding === null });
    if (finding) findings.push(finding);
  }
  return { findings, reports };
}

/** Applies every relation of the plan to the first observations; returns the twin reports per case. */
export function relate(ctx: RunContext, runs: readonly CaseRun[], plan: CasePlan): Map<string, TwinReport[]> {
  const byKey = new Map(runs.filter((r): r is JudgedRun => r.status === 'judged').map((r) => [r.kase.key, r]));
  const reports = new Map<string, TwinReport[]>();
  for (const run of byKey.values()) {
    const twins = (plan.twinsOf.get(run.kase.key) ?? []).flatMap(({ relation, kase }) => {
      const twin = byKey.get(kase.key);
      return twin ? [{ relation, run: twin }] : [];
    });
    if (!twins.length) continue;
    const { findings, reports: list } = compareTwins(run, twins);
    reports.set(run.kase.key, list);
    if (findings.length) ctx.rejudge(run, findings);
  }
  return reports;
}
