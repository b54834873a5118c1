// The last phase: confirmed divergences (minimal ones first) with their counterexample
// files, the case results, the "not reproduced" list and the summary.
import type { Policy } from '../../model/policy.ts';
import type { CaseSource } from '../cases/case.ts';
import { describeFacts, type Facts } from '../cases/facts-util.ts';
import { observedOutcome } from '../drive/evidence.ts';
import { isDivergentRun, type CaseRun, type JudgedRun } from '../judge/case-run.ts';
import { buildCounterexample, counterexampleFileName, writeCounterexample } from '../replay/counterexample.ts';
import { toResult } from '../report/summary.ts';
import { describeFlip } from '../judge/cause.ts';
import type { CaseResult, CauseReport, Confirmation, Divergence, NotReproduced } from '../result.ts';
import type { Shrunk } from '../shrink/divergences.ts';
import type { Explanation } from './cause.ts';
import type { Confirmed } from './confirm.ts';
import type { TwinReport } from './relate.ts';

export interface CollectContext {
  policy: Policy;
  canonical: Facts;
  strict: boolean;
  shrunk: Map<string, Shrunk>;
  confirmed: Map<string, Confirmed>;
  twinReports: Map<string, TwinReport[]>;
  explained: Map<string, Explanation>;
  target: { kind: string; description: string; url: string; mutant: string | null };
  counterexamplesDir: string | null;
  revealTokens: boolean;
}

/** Minimal cases first: the canary, model paths, their noise variants, fuzz, replays, edge cases, relation twins. */
const RANK: Record<CaseSource['kind'], number> = { canary: 0, path: 1, fuzz: 3, replay: 3, custom: 3, rotation: 3, edge: 3.5, twin: 4 };
const rankOf = (run: CaseRun) => (run.kase.source.kind === 'path' && run.kase.key.endsWith('+noise') ? 2 : RANK[run.kase.source.kind]);

function causeReport(key: string, ctx: CollectContext): CauseReport | undefined {
  const e = ctx.explained.get(key);
  if (!e) return undefined;
  return { fact: e.cause?.fact ?? null, value: e.cause?.value ?? null, flips: e.flips.map((f) => ({ ...f, text: describeFlip(f) })), alone: e.cause?.alone ?? null };
}

/** The observation each case is reported with: its confirming replay when it had one. */
export function finalRuns(runs: readonly CaseRun[], confirmed: Map<string, Confirmed>): CaseRun[] {
  return runs.map((r) => confirmed.get(r.kase.key)?.run ?? r);
}

/**
 * The runs that may be divergences: all but those confirmation set aside as not
 * reproduced. When every replay of a case was set aside (a moment slow throughout), its
 * only observation is the unconfirmed first one: listed as not reproduced, never reported.
 */
export function reportable(runs: readonly CaseRun[], confirmed: Map<string, Confirmed>): CaseRun[] {
  return runs.filter((r) => confirmed.get(r.kase.key)?.confirmation.status !== 'not-reproduced');
}

export function caseResults(first: readonly CaseRun[], ctx: CollectContext): CaseResult[] {
  return first.map((run) => {
    const c = ctx.confirmed.get(run.kase.key);
    const r = toResult(c?.run ?? run, ctx.strict, ctx.revealTokens);
    r.twins = c?.twins ?? ctx.twinReports.get(run.kase.key) ?? [];
    const cause = causeReport(run.kase.key, ctx);
    if (cause) r.cause = cause;
    if (c) {
      r.confirmation = c.confirmation;
      if (c.confirmation.status !== 'not-reproduced') r.stability = c.confirmation.status;
      else if (run.status === 'judged') r.firstObserved = { observed: observedOutcome(run.exec.evidence), handshake: run.judgement.handshake, session: run.judgement.session };
    }
    return r;
  });
}

export function notReproduced(first: readonly CaseRun[], ctx: CollectContext): NotReproduced[] {
  return first.flatMap((run) => {
    const c = ctx.confirmed.get(run.kase.key);
    if (!c || c.confirmation.status !== 'not-reproduced' || run.status !== 'judged') return [];
    return [{
      key: run.kase.key,
      description: describeFacts(run.kase.facts, ctx.canonical),
      expected: `${run.kase.prediction.outcome} (${run.kase.prediction.reason})`,
      firstObserved: observedOutcome(run.exec.evidence),
      verdicts: `${run.judgement.handshake}/${run.judgement.session}`,
      attempts: c.confirmation.attempts,
    }];
  });
}

/** One Divergence per divergent case (after confirmation), minimal ones first, each with its counterexample file. */
export async function collectDivergences(runs: readonly CaseRun[], ctx: CollectContext): Promise<Divergence[]> {
  const divergent = runs.filter((r): r is JudgedRun => isDivergentRun(r, ctx.strict)).sort((a, b) => rankOf(a) - rankOf(b));
  const out: Divergence[] = [];
  for (const run of divergent) {
    const key = run.kase.key;
    const confirmation = ctx.confirmed.get(key)?.confirmation;
    const stability = confirmation && confirmation.status !== 'not-reproduced' ? confirmation.status : undefined;
    const j = run.judgement;
    const div: Divergence = {
      key,
      handshake: j.handshake,
      session: j.session,
      expected: `${run.kase.prediction.outcome} (${run.kase.prediction.reason})`,
      observed: observedOutcome(run.exec.evidence),
      hint: j.hint,
      description: describeFacts(run.kase.facts, ctx.canonical),
      ...(stability ? { stability } : {}),
      ...(confirmation ? { confirmation } : {}),
    };
    const cause = causeReport(key, ctx);
    if (cause) div.cause = cause;
    const s = ctx.shrunk.get(key);
    if (s) div.shrunk = { facts: s.facts, description: describeFacts(s.facts, ctx.canonical), steps: s.steps, path: s.path };
    if (ctx.counterexamplesDir) {
      div.counterexampleFile = s ? await writeFor(s.run, `${key}-shrunk`, ctx, confirmation, key) : await writeFor(run, key, ctx, confirmation);
    }
    out.push(div);
  }
  return out;
}

function writeFor(run: JudgedRun, key: string, ctx: CollectContext, confirmation: Confirmation | undefined, shrunkFrom?: string): Promise<string> {
  const dir = ctx.counterexamplesDir!;
  const j = run.judgement;
  const stability = confirmation && confirmation.status !== 'not-reproduced' ? confirmation.status : undefined;
  const c = buildCounterexample(
    {
      key,
      source: run.kase.source,
      description: describeFacts(run.kase.facts, ctx.canonical),
      facts: run.kase.facts,
      policy: ctx.policy,
      target: ctx.target,
      request: run.exec.request,
      prediction: run.kase.prediction,
      observed: observedOutcome(run.exec.evidence),
      evidence: run.exec.evidence,
      handshake: j.handshake,
      session: j.session,
      findings: j.findings,
      hint: j.hint,
      ...(stability ? { stability } : {}),
      ...(shrunkFrom ? { shrunkFrom } : {}),
      revealTokens: ctx.revealTokens,
    },
    `${dir}/${counterexampleFileName(key)}`,
  );
  return writeCounterexample(dir, c);
}
