// The conformance engine: target -> preflight (reachable, healthy, canary) -> plan
// (model paths, fuzz, relation twins) -> drive (concurrently, slow cases first) ->
// judge (checks, then relations) -> re-run timing-dependent divergences -> shrink ->
// counterexamples -> summary. Results are values; reporters receive events; nothing
// here prints or exits (the CLI does).
import { randomBytes } from 'node:crypto';
import { predict } from '../model/oracle.ts';
import { policyDigest, type Policy } from '../model/policy.ts';
import type { FuzzShape } from './cases/arbitraries/facts.ts';
import { canonicalFacts, type Case } from './cases/case.ts';
import { describeFacts, isTimingDependent, type Facts } from './cases/facts-util.ts';
import { KeyRing } from './cases/forge/token.ts';
import { blockedBy, planCases, type CasePlan, type Unavailable } from './cases/plan.ts';
import type { Shard } from './cases/shard.ts';
import { observedOutcome } from './drive/evidence.ts';
import { estimatedCost, executeCase, userRequestFor, type DriveSettings } from './drive/execute.ts';
import { runPool } from './drive/pool.ts';
import { isDivergentRun, judgeInput, type CaseRun } from './judge/case-run.ts';
import type { Finding } from './judge/context.ts';
import { judge } from './judge/judge.ts';
import { RELATIONS } from './judge/relations.ts';
import { checkHealth, checkReachable } from './preflight.ts';
import type { EngineEvent, Reporter } from './report/events.ts';
import { summarise, toResult } from './report/summary.ts';
import { buildCounterexample, counterexampleFileName, writeCounterexample } from './replay/counterexample.ts';
import type { CaseResult, CompletedRun, Divergence, PreflightReport, RunResult } from './result.ts';
import { shrinkDivergences, type ShrinkBudget, type Shrunk } from './shrink/divergences.ts';
import { unavailableFacts, type Target } from './targets/target.ts';
import { DEFAULT_CONCURRENCY } from './config/resolve.ts';

export interface RunOptions {
  /** A started target, or a function starting one (then the engine also closes it). */
  target: Target | (() => Promise<Target>);
  seed: number;
  /** Fuzz budget: cases drawn by fast-check on top of the model paths. */
  runs: number;
  concurrency?: number;
  /** Client deadline for an HTTP answer; default policy.handshakeDeadlineMs + 500. */
  deadlineMs?: number | null;
  /** How long an accepted socket is watched; default 150 ms. */
  observeMs?: number | null;
  /** NON-STRICT counts as a divergence. */
  strict?: boolean;
  /** Run the model paths (default true). */
  paths?: boolean;
  /** Check noise invariance and placement equivalence with twin cases (default true). */
  relations?: boolean;
  /** Shrink divergent fuzz cases (default: up to 4 distinct divergences, 60 live runs and 5 s each). */
  shrink?: ShrinkBudget | false;
  /** Re-run divergences of timing-dependent cases (default true). */
  rerunTiming?: boolean;
  /** Stop after a failing canary, since every valid case would fail the same way (default true). */
  stopAfterCanaryFailure?: boolean;
  /** Write one counterexample file per divergence here. */
  counterexamplesDir?: string | null;
  revealTokens?: boolean;
  /** Recorded in counterexamples so `replay` rebuilds the same embedded target. */
  mutant?: string | null;
  /**
   * How fuzz cases are drawn: weights, and fact values to leave out (e.g. a benchmark
   * of handshakes alone leaves out the session and stall values).
   */
  fuzz?: Partial<FuzzShape>;
  /** Cases to run instead of paths and fuzz (replay). */
  cases?: Case[];
  /** Run only this share of the planned cases (`--shard K/N`); the canary runs in every shard. */
  shard?: Shard | null;
}

const DEFAULT_SHRINK: ShrinkBudget = { maxCases: 4, maxRunsPerCase: 60, maxMs: 5000 };

export async function runConformance(options: RunOptions, reporter?: Reporter): Promise<RunResult> {
  const emit = (e: EngineEvent) => reporter?.onEvent(e);
  const finish = (result: RunResult) => (emit({ type: 'run-finished', result }), result);
  let target: Target;
  const owned = typeof options.target === 'function';
  try {
    target = typeof options.target === 'function' ? await options.target() : options.target;
  } catch (error) {
    return finish({ kind: 'setup-error', error: error as Error });
  }
  try {
    return finish(await runAgainst(target, options, emit));
  } catch (error) {
    return finish({ kind: 'setup-error', error: error as Error });
  } finally {
    if (owned) await target.close().catch(() => {});
  }
}

async function runAgainst(target: Target, options: RunOptions, emit: (e: EngineEvent) => void): Promise<RunResult> {
  const started = performance.now();
  const policy = target.policy;
  const strict = options.strict ?? false;
  const concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
  const settings: DriveSettings = {
    deadlineMs: options.deadlineMs ?? policy.handshakeDeadlineMs + 500,
    observeMs: options.observeMs ?? 150,
    revokeWatchMs: 1500,
    // Timers of a loaded server fire late; a close this late still counts as on time.
    expiryToleranceMs: 1500,
  };
  const targetInfo = { kind: target.kind, description: target.description, url: target.url };
  emit({ type: 'run-started', target: target.description, seed: options.seed, policyDigest: policyDigest(policy), profile: policy.profile });

  // Preflight: reachable and healthy, or the run ends here as "unreachable".
  const preflight: PreflightReport = { reachable: await checkReachable(target, settings.deadlineMs), health: null, canary: null };
  if (preflight.reachable.ok) preflight.health = await checkHealth(target, Math.max(2000, settings.deadlineMs));
  if (!preflight.reachable.ok || (preflight.health && !preflight.health.ok)) {
    emit({ type: 'preflight', preflight });
    return { kind: 'unreachable', target: targetInfo, preflight, detail: !preflight.reachable.ok ? preflight.reachable.detail : preflight.health!.detail };
  }

  const ring = new KeyRing(target.keys);
  // Subjects are unique per case and per run: a target reused across runs (mutants,
  // bench) keeps the users of earlier runs, revoked ones included.
  const runNonce = randomBytes(3).toString('hex');
  let seq = 0;
  const rejudge = (run: CaseRun, relationFindings: Finding[] = []) => {
    run.judgement = judge(judgeInput(policy, run.kase, run.exec!, settings), target.keys.fingerprint, relationFindings);
  };
  const runCase = async (kase: Case, userId?: string): Promise<CaseRun> => {
    const run: CaseRun = { kase, exec: await executeCase(target, ring, kase, settings, `${runNonce}-${++seq}`, userId), judgement: null };
    rejudge(run);
    return run;
  };
  const divergent = (run: CaseRun) => isDivergentRun(run, strict);
  const costOf = (kase: Case) => estimatedCost(kase, policy.authWindowMs, policy.clockSkewSeconds, settings);

  // The canary: the canonical valid case, before anything else.
  const canonical = canonicalFacts(policy);
  const canary = await runCase({ key: 'canary', source: { kind: 'canary' }, facts: canonical, prediction: predict(policy, canonical) });
  const canaryOk = !isDivergentRun(canary, false);
  preflight.canary = {
    ok: canaryOk,
    detail: canaryOk ? `canonical valid case accepted (key ${target.keys.fingerprint})` : `canonical valid case: ${canary.judgement!.hint?.text ?? observedOutcome(canary.exec!.evidence)}`,
  };
  emit({ type: 'preflight', preflight });
  const stoppedAfterCanary = !canaryOk && !options.cases && options.stopAfterCanaryFailure !== false;

  // Plan, then drive everything: slow cases first, at most `concurrency` at once.
  const unavailable = unavailableFacts(target) as Unavailable;
  const plan = planCases(
    policy,
    canonical,
    { cases: stoppedAfterCanary ? [] : options.cases, paths: options.paths !== false, relations: options.relations !== false, seed: options.seed, runs: options.runs, fuzz: options.fuzz, shard: options.shard },
    unavailable,
  );
  const total = plan.all.length + 1;
  let finished = 1;
  emit({ type: 'cases-planned', total, ...plan.counts });
  emit({ type: 'case-finished', result: toResult(canary, strict), done: finished, total });
  // Subjects for every runnable case at once, when the target can (one round trip).
  const prepared = new Map<string, string>();
  if (target.prepareUsers) {
    const runnable = plan.all.filter((k) => !blockedBy(k.facts, unavailable));
    const ids = await target.prepareUsers(runnable.map((k) => userRequestFor(k, settings, `${runNonce}-${++seq}`)));
    runnable.forEach((k, i) => prepared.set(k.key, ids[i]!));
  }
  const runs = await runPool(plan.all, concurrency, costOf, async (kase): Promise<CaseRun> => {
    const blocked = blockedBy(kase.facts, unavailable);
    const run: CaseRun = blocked ? { kase, exec: null, judgement: null, notCovered: blocked } : await runCase(kase, prepared.get(kase.key));
    emit({ type: 'case-finished', result: toResult(run, strict), done: ++finished, total });
    return run;
  });

  const twinReports = applyRelations(runs, plan, rejudge);
  const results = [canary, ...runs];

  // Timing-dependent divergences are re-run before they are reported.
  const stability = new Map<string, 'deterministic' | 'flaky'>();
  if (options.rerunTiming !== false) {
    const again = results.filter((r) => divergent(r) && isTimingDependent(r.kase.facts));
    await runPool(again, concurrency, (r) => costOf(r.kase), async (first) => {
      const second = await runCase(first.kase);
      const same = second.judgement!.handshake === first.judgement!.handshake && second.judgement!.session === first.judgement!.session;
      stability.set(first.kase.key, same ? 'deterministic' : 'flaky');
      emit({ type: 'rerun', key: first.kase.key, stability: same ? 'deterministic' : 'flaky' });
    });
  }

  const shrunk =
    options.shrink === false
      ? new Map<string, Shrunk>()
      : await shrinkDivergences(results, options.shrink ?? DEFAULT_SHRINK, {
          policy,
          canonical,
          arbitrary: plan.arbitrary,
          runs: options.runs,
          relations: options.relations !== false,
          enabled: plan.enabled,
          unavailable,
          isDivergent: divergent,
          runCase,
          rejudge,
          onStep: (key, steps, description) => emit({ type: 'shrink-step', key, steps, description }),
        });

  const divergences = await collectDivergences(results.filter(divergent), { canonical, shrunk, stability, options, target: { ...targetInfo, mutant: options.mutant ?? null }, policy });
  for (const divergence of divergences) emit({ type: 'divergence', divergence });

  const cases = results.map((run) => {
    const r = toResult(run, strict, options.revealTokens ?? false);
    r.twins = twinReports.get(run.kase.key) ?? [];
    if (stability.has(run.kase.key)) r.stability = stability.get(run.kase.key)!;
    return r;
  });
  const summary = summarise(policy, cases, unavailable, performance.now() - started);
  const run: CompletedRun = {
    kind: 'completed',
    passed: divergences.length === 0 && summary.vacuous === 0,
    target: targetInfo,
    seed: options.seed,
    runs: options.runs,
    strict,
    policyDigest: policyDigest(policy),
    policy,
    profile: policy.profile,
    preflight,
    stoppedAfterCanary,
    cases,
    divergences,
    summary,
  };
  return run;
}

/** Compares each case with its twins; a broken relation is a finding of the case. */
function applyRelations(runs: CaseRun[], plan: CasePlan, rejudge: (run: CaseRun, findings: Finding[]) => void): Map<string, CaseResult['twins']> {
  const byKey = new Map(runs.map((r) => [r.kase.key, r]));
  const reports = new Map<string, CaseResult['twins']>();
  for (const run of runs) {
    const twins = plan.twinsOf.get(run.kase.key);
    if (!twins || !run.exec) continue;
    const findings: Finding[] = [];
    const list: CaseResult['twins'] = [];
    for (const { relation, kase } of twins) {
      const twin = byKey.get(kase.key);
      if (!twin?.exec) continue;
      const finding = RELATIONS.find((r) => r.id === relation)!.compare(run.exec.evidence, twin.exec.evidence, run.kase.facts);
      list.push({ relation, key: kase.key, observed: observedOutcome(twin.exec.evidence), holds: finding === null });
      if (finding) findings.push(finding);
    }
    reports.set(run.kase.key, list);
    if (findings.length) rejudge(run, findings);
  }
  return reports;
}

interface DivergenceContext {
  canonical: Facts;
  shrunk: Map<string, Shrunk>;
  stability: Map<string, 'deterministic' | 'flaky'>;
  options: RunOptions;
  target: { kind: string; description: string; url: string; mutant: string | null };
  policy: Policy;
}

/** One Divergence per divergent case, minimal ones first, each with its counterexample file. */
async function collectDivergences(divergent: CaseRun[], ctx: DivergenceContext): Promise<Divergence[]> {
  const out: Divergence[] = [];
  for (const run of divergent) {
    const j = run.judgement!;
    const key = run.kase.key;
    const stability = ctx.stability.get(key);
    const div: Divergence = {
      key,
      handshake: j.handshake,
      session: j.session,
      expected: `${run.kase.prediction.outcome} (${run.kase.prediction.reason})`,
      observed: observedOutcome(run.exec!.evidence),
      hint: j.hint,
      description: describeFacts(run.kase.facts, ctx.canonical),
      ...(stability ? { stability } : {}),
    };
    const s = ctx.shrunk.get(key);
    if (s) div.shrunk = { facts: s.facts, description: describeFacts(s.facts, ctx.canonical), steps: s.steps, path: s.path };
    if (ctx.options.counterexamplesDir) {
      div.counterexampleFile = s ? await writeFor(s.run, `${key}-shrunk`, ctx, stability, key) : await writeFor(run, key, ctx, stability);
    }
    out.push(div);
  }
  // Minimal cases first: the canary, model paths, their noise variants, fuzz, relation twins.
  const rank = (key: string) => (key === 'canary' ? 0 : key.startsWith('path:') ? (key.endsWith('+noise') ? 2 : 1) : key.includes('~') ? 4 : 3);
  return out.sort((a, b) => rank(a.key) - rank(b.key));
}

function writeFor(run: CaseRun, key: string, ctx: DivergenceContext, stability: 'deterministic' | 'flaky' | undefined, shrunkFrom?: string): Promise<string> {
  const dir = ctx.options.counterexamplesDir!;
  const j = run.judgement!;
  const c = buildCounterexample(
    {
      key,
      source: run.kase.source,
      description: describeFacts(run.kase.facts, ctx.canonical),
      facts: run.kase.facts,
      policy: ctx.policy,
      target: ctx.target,
      request: run.exec!.request,
      prediction: run.kase.prediction,
      observed: observedOutcome(run.exec!.evidence),
      evidence: run.exec!.evidence,
      handshake: j.handshake,
      session: j.session,
      findings: j.findings,
      hint: j.hint,
      ...(stability ? { stability } : {}),
      ...(shrunkFrom ? { shrunkFrom } : {}),
      revealTokens: ctx.options.revealTokens ?? false,
    },
    `${dir}/${counterexampleFileName(key)}`,
  );
  return writeCounterexample(dir, c);
}
