// The conformance engine, as its phases: preflight (reachable, healthy, canary) -> plan
// (model paths, fuzz, relation twins) -> drive (concurrently, slow cases first, as many
// at once as the machine keeps up with) -> relate (twins compared) -> confirm (every
// divergence replayed on its own) -> shrink -> collect (divergences, counterexamples,
// summary). Results are values; reporters receive events; nothing here prints or exits.
import { predict } from '../model/oracle.ts';
import { policyDigest } from '../model/policy.ts';
import type { FuzzShape } from './cases/arbitraries/facts.ts';
import { canonicalFacts, type Case } from './cases/case.ts';
import { planCases } from './cases/plan.ts';
import type { Shard } from './cases/shard.ts';
import { observedOutcome } from './drive/evidence.ts';
import { estimatedCost, userRequestFor, type DriveSettings } from './drive/execute.ts';
import { runPool } from './pool/pool.ts';
import { isDivergentRun, type CaseRun, type JudgedRun } from './judge/case-run.ts';
import { checkHealth, checkReachable } from './preflight.ts';
import type { EngineEvent, Reporter } from './report/events.ts';
import { summarise, toResult } from './report/summary.ts';
import type { CompletedRun, PreflightReport, RunResult } from './result.ts';
import { shrinkDivergences, type ShrinkBudget, type Shrunk } from './shrink/divergences.ts';
import type { Target } from './targets/target.ts';
import { blockedBy, unavailableFacts, type Unavailable } from './capabilities/capabilities.ts';
import { caseResults, collectDivergences, finalRuns, notReproduced, type CollectContext } from './engine/collect.ts';
import { adaptiveConcurrency, fixedConcurrency } from './engine/concurrency.ts';
import { explainDivergences, type Explanation } from './engine/cause.ts';
import { confirmDivergences, type Confirmed } from './engine/confirm.ts';
import { createRunContext, type RunContext } from './engine/context.ts';
import { relate } from './engine/relate.ts';
import { untilAborted } from './engine/until-aborted.ts';
import { plannedRotation, rotateKeys } from './engine/rotation.ts';
import { browserCollapses } from '../model/browser.ts';
import { adaptPlan, clientCanonical, clientUnavailable, type Client } from './cases/client.ts';
import { joinDecisionLog } from './logs/join.ts';
import { DEFAULT_MAPPING, type FieldMapping } from './logs/mapping.ts';

export interface RunOptions {
  /** A started target, or a function starting one (then the engine also closes it). */
  target: Target | (() => Promise<Target>);
  seed: number;
  /** Fuzz budget: cases drawn by fast-check on top of the model paths. */
  runs: number;
  /** Cases in flight at once; default adaptive (from the cores, backing off under load). */
  concurrency?: number | null;
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
  /** Replays of each divergence before it is reported (default 2; 0 reports first observations unconfirmed). */
  confirm?: number;
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
  /** Aborting ends the run with what was judged so far (a partial result, exit 130). */
  signal?: AbortSignal;
  /**
   * The target's JSON-lines decision log, read after the cases ran: each case's stated
   * reason is checked against the model's (logs/join.ts).
   */
  logs?: { file: string; mapping?: FieldMapping } | null;
  /** Whose view to judge on: any HTTP client (default), or a web page (cases/client.ts). */
  client?: Client;
}

const DEFAULT_SHRINK: ShrinkBudget = { maxCases: 4, maxRunsPerCase: 60, maxMs: 5000 };
export const DEFAULT_CONFIRM = 2;

export async function runConformance(options: RunOptions, reporter?: Reporter): Promise<RunResult> {
  const emit = (e: EngineEvent) => reporter?.onEvent(e);
  const finish = (result: RunResult) => (emit({ type: 'run-finished', result }), result);
  const interrupted = () => finish({ kind: 'interrupted', detail: 'interrupted before the first case was judged' });
  let target: Target;
  const owned = typeof options.target === 'function';
  try {
    target = typeof options.target === 'function' ? await options.target() : options.target;
  } catch (error) {
    return options.signal?.aborted ? interrupted() : finish({ kind: 'setup-error', error: error as Error });
  }
  try {
    const result = await runAgainst(target, options, emit);
    return finish(result ?? { kind: 'interrupted', detail: 'interrupted before the first case was judged' });
  } catch (error) {
    return options.signal?.aborted ? interrupted() : finish({ kind: 'setup-error', error: error as Error });
  } finally {
    // After an interrupt, a failing clean-up is not news: the run already ended.
    if (owned) await target.close().catch(() => {});
  }
}

function settingsFor(target: Target, options: RunOptions): DriveSettings {
  return {
    deadlineMs: options.deadlineMs ?? target.policy.handshakeDeadlineMs + 500,
    observeMs: options.observeMs ?? 150,
    revokeWatchMs: 1500,
    // Timers of a loaded server fire late; a close this late still counts as on time.
    expiryToleranceMs: 1500,
  };
}

async function runAgainst(target: Target, options: RunOptions, outer: (e: EngineEvent) => void): Promise<RunResult | null> {
  const started = performance.now();
  const signal = options.signal ?? null;
  let firstConfirmedMs: number | null = null;
  const emit = (e: EngineEvent) => {
    if (e.type === 'confirmed' && e.status !== 'not-reproduced') firstConfirmedMs ??= Math.round(performance.now() - started);
    outer(e);
  };
  const strict = options.strict ?? false;
  const client = options.client ?? 'any';
  const ctx = createRunContext(target, settingsFor(target, options), strict, emit, signal, client);
  const policy = target.policy;
  const targetInfo = { kind: target.kind, description: target.description, url: target.url };
  const attempts = options.confirm ?? DEFAULT_CONFIRM;
  ctx.lag.start();
  try {
    emit({ type: 'run-started', target: target.description, seed: options.seed, policyDigest: policyDigest(policy), profile: policy.profile });

    // Preflight: reachable and healthy, or the run ends here as "unreachable".
    const preflight = await checkTarget(target, ctx.settings.deadlineMs);
    if (!preflight.reachable.ok || (preflight.health && !preflight.health.ok)) {
      emit({ type: 'preflight', preflight });
      return { kind: 'unreachable', target: targetInfo, preflight, detail: !preflight.reachable.ok ? preflight.reachable.detail : preflight.health!.detail };
    }
    if (signal?.aborted) return null;

    // The canary: the canonical valid case, before anything else, confirmed at once.
    const canonical = clientCanonical(canonicalFacts(policy), policy, client);
    const canaryCase: Case = { key: 'canary', source: { kind: 'canary' }, facts: canonical, prediction: predict(policy, canonical) };
    const canary = await ctx.runCase(canaryCase);
    const confirmed = isDivergentRun(canary, false) ? await confirmDivergences(ctx, [canary], new Map(), attempts, canaryCase) : new Map<string, Confirmed>();
    const canaryFinal = confirmed.get('canary')?.run ?? canary;
    const canaryOk = !isDivergentRun(canaryFinal, false);
    preflight.canary = {
      ok: canaryOk,
      detail: canaryOk ? `canonical valid case accepted (key ${target.keys.fingerprint})` : `canonical valid case: ${canaryFinal.judgement.hint?.text ?? observedOutcome(canaryFinal.exec.evidence)}`,
    };
    emit({ type: 'preflight', preflight });
    if (signal?.aborted) return null;
    const stoppedAfterCanary = !canaryOk && !options.cases && options.stopAfterCanaryFailure !== false;

    // Plan.
    const unavailable = clientUnavailable(unavailableFacts(target) as Unavailable, client);
    const plan = planCases(
      policy,
      canonical,
      { cases: stoppedAfterCanary ? [] : options.cases, paths: options.paths !== false, relations: options.relations !== false, seed: options.seed, runs: options.runs, fuzz: options.fuzz, shard: options.shard },
      unavailable,
    );
    adaptPlan(plan, policy, canonical, client);
    // Key rotation changes the target's JWKS: once per run (the first shard), never in a replay.
    const rotation = stoppedAfterCanary || options.cases || (options.shard && options.shard.index !== 1) ? [] : plannedRotation(target);
    const total = plan.all.length + 1 + rotation.length;
    emit({ type: 'cases-planned', total, ...plan.counts });
    emit({ type: 'case-finished', result: toResult(canaryFinal, strict), done: 1, total });

    // Drive.
    const concurrency = options.concurrency ? fixedConcurrency(options.concurrency) : adaptiveConcurrency(ctx.settings.deadlineMs, (w) => ctx.lag.recentMax(w));
    const driven = await drive(ctx, plan.all, unavailable, (run, done) => {
      if (run.status === 'judged') concurrency.record(run.exec.evidence, run.kase.facts.latency === 'stalled');
      emit({ type: 'case-finished', result: toResult(run, strict), done: done + 1, total });
    }, concurrency.limit);
    const rotated = rotation.length && !signal?.aborted ? await rotateKeys(ctx, attempts, (run, done) => emit({ type: 'case-finished', result: toResult(run, strict), done: 1 + driven.length + done, total })) : null;
    for (const [k, v] of rotated?.confirmed ?? []) confirmed.set(k, v);
    const first: CaseRun[] = [canary, ...driven, ...(rotated?.runs ?? [])];

    // Relate, confirm, shrink: skipped once interrupted.
    const twinReports = relate(ctx, driven, plan);
    if (!signal?.aborted) {
      const candidates = driven.filter((r): r is JudgedRun => isDivergentRun(r, strict));
      for (const [k, v] of await untilAborted(confirmDivergences(ctx, candidates, plan.twinsOf, attempts, { ...canaryCase, key: 'control' }), signal, new Map())) confirmed.set(k, v);
    }
    const final = finalRuns(first, confirmed);
    // Reason conformance: the log's lines joined to each case as reported (a log states
    // what it states: nothing to confirm by a replay).
    if (options.logs && !signal?.aborted) await joinDecisionLog(final, options.logs.file, options.logs.mapping ?? DEFAULT_MAPPING, policy, (r, f) => ctx.rejudge(r, f));
    const shrunk =
      options.shrink === false || signal?.aborted
        ? new Map<string, Shrunk>()
        : await untilAborted(
            shrinkDivergences(final, options.shrink ?? DEFAULT_SHRINK, {
              policy,
              canonical,
              arbitrary: plan.arbitrary,
              runs: options.runs,
              relations: options.relations !== false,
              enabled: plan.enabled,
              unavailable,
              isDivergent: (r) => isDivergentRun(r, strict),
              runCase: (k) => ctx.runCase(k),
              rejudge: (r, f) => ctx.rejudge(r, f),
              onStep: (key, steps, description) => emit({ type: 'shrink-step', key, steps, description }),
            }),
            signal,
            new Map<string, Shrunk>(),
          );

    // True causes: each divergence replayed with one fact at a time set back to canonical.
    const explained = signal?.aborted ? new Map<string, Explanation>() : await untilAborted(explainDivergences(ctx, final, canonical), signal, new Map());

    // Collect.
    const collect: CollectContext = {
      policy,
      canonical,
      strict,
      shrunk,
      confirmed,
      twinReports,
      explained,
      target: { ...targetInfo, mutant: options.mutant ?? null },
      counterexamplesDir: options.counterexamplesDir ?? null,
      revealTokens: options.revealTokens ?? false,
    };
    const divergences = await collectDivergences(final, collect);
    for (const divergence of divergences) emit({ type: 'divergence', divergence });
    const cases = caseResults(first, collect);
    const summary = summarise(policy, cases, unavailable, performance.now() - started);
    if (client === 'browser') summary.client = { name: 'browser', collapses: browserCollapses(policy) };
    const confirmations = [...confirmed.values()].map((c) => c.confirmation);
    const partial = Boolean(signal?.aborted);
    const run: CompletedRun = {
      kind: 'completed',
      passed: !partial && divergences.length === 0 && summary.vacuous === 0,
      target: targetInfo,
      seed: options.seed,
      runs: options.runs,
      strict,
      policyDigest: policyDigest(policy),
      policy,
      profile: policy.profile,
      preflight,
      stoppedAfterCanary,
      partial,
      cases,
      divergences,
      notReproduced: notReproduced(first, collect),
      summary,
      harness: {
        concurrency: concurrency.stats(),
        loopDelay: ctx.lag.stop(),
        confirmation: {
          candidates: confirmations.length,
          deterministic: confirmations.filter((c) => c.status === 'deterministic').length,
          flaky: confirmations.filter((c) => c.status === 'flaky').length,
          notReproduced: confirmations.filter((c) => c.status === 'not-reproduced').length,
          attempts,
        },
        firstConfirmedMs,
      },
    };
    return run;
  } finally {
    ctx.lag.stop();
  }
}

async function checkTarget(target: Target, deadlineMs: number): Promise<PreflightReport> {
  // A busy machine connects slowly: these limits allow for it (an absent target is refused at once).
  const reachable = await checkReachable(target, Math.max(10_000, deadlineMs));
  const health = reachable.ok ? await checkHealth(target, Math.max(10_000, deadlineMs)) : null;
  return { reachable, health, canary: null };
}

/** Drives the planned cases; once aborted, returns the ones finished so far (blocked ones included). */
async function drive(ctx: RunContext, all: readonly Case[], unavailable: Unavailable, onFinished: (run: CaseRun, done: number) => void, limit: () => number): Promise<CaseRun[]> {
  // Subjects for every runnable case at once, when the target can (one round trip).
  const prepared = new Map<string, string>();
  if (ctx.target.prepareUsers) {
    const runnable = all.filter((k) => !blockedBy(k.facts, unavailable));
    const ids = await ctx.target.prepareUsers(runnable.map((k) => userRequestFor(k, ctx.settings, ctx.nextCaseId())));
    runnable.forEach((k, i) => prepared.set(k.key, ids[i]!));
  }
  const runs: Array<CaseRun | undefined> = new Array(all.length);
  let done = 0;
  const cost = (k: Case) => estimatedCost(k, ctx.policy.authWindowMs, ctx.policy.clockSkewSeconds, ctx.settings);
  const pool = runPool(all, limit, cost, async (kase, i) => {
    const blocked = blockedBy(kase.facts, unavailable);
    const run: CaseRun = blocked ? { status: 'blocked', kase, reason: blocked } : await ctx.runCase(kase, prepared.get(kase.key));
    if (ctx.signal?.aborted) return;
    runs[i] = run;
    onFinished(run, ++done);
  }, ctx.signal);
  await untilAborted(pool, ctx.signal, undefined);
  return runs.filter((r): r is CaseRun => r !== undefined);
}
