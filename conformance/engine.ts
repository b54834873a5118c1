// The conformance engine, as its phases: preflight (reachable, healthy, canary) -> plan
// (model paths, fuzz, relation twins) -> drive (concurrently, slow cases first, as many
// at once as the machine keeps up with) -> relate (twins compared) -> confirm (every
// divergence replayed on its own) -> shrink -> collect (divergences, counterexamples,
// summary). Results are values; reporters receive events; nothing here prints or exits.
import { browserCollapses } from '../model/browser.ts';
import { predict } from '../model/oracle.ts';
import { policyDigest } from '../model/policy.ts';
import { unavailableFacts, type Unavailable } from './capabilities/capabilities.ts';
import { canonicalFacts, type Case } from './cases/case.ts';
import { adaptPlan, clientCanonical, clientUnavailable } from './cases/client.ts';
import { planCases } from './cases/plan.ts';
import { observedOutcome } from './drive/evidence.ts';
import { explainDivergences, type Explanation } from './engine/cause.ts';
import { caseResults, collectDivergences, finalRuns, notReproduced, reportable, type CollectContext } from './engine/collect.ts';
import { adaptiveConcurrency, fixedConcurrency } from './engine/concurrency.ts';
import { confirmDivergences, type Confirmed } from './engine/confirm.ts';
import { createRunContext } from './engine/context.ts';
import { checkTarget, drive } from './engine/drive.ts';
import { DEFAULT_CONFIRM, DEFAULT_SHRINK, settingsFor, type RunOptions } from './engine/options.ts';
import { relate } from './engine/relate.ts';
import { plannedRotation, rotateKeys } from './engine/rotation.ts';
import { untilAborted } from './engine/until-aborted.ts';
import { isDivergentRun, type CaseRun, type JudgedRun } from './judge/case-run.ts';
import { joinDecisionLog } from './logs/join.ts';
import { DEFAULT_MAPPING } from './logs/mapping.ts';
import type { EngineEvent, Reporter } from './report/events.ts';
import { summarise, toResult } from './report/summary.ts';
import type { CompletedRun, RunResult } from './result.ts';
import { shrinkDivergences, type Shrunk } from './shrink/divergences.ts';
import type { Target } from './targets/target.ts';

export { DEFAULT_CONFIRM, type RunOptions } from './engine/options.ts';

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
      { cases: stoppedAfterCanary ? [] : options.cases, paths: options.paths !== false, identityHeaders: options.identityHeaders, relations: options.relations !== false, seed: options.seed, runs: options.runs, fuzz: options.fuzz, shard: options.shard },
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
    const judged = reportable(final, confirmed);
    // Reason conformance: the log's lines joined to each case as reported (a log states
    // what it states: nothing to confirm by a replay).
    if (options.logs && !signal?.aborted) await joinDecisionLog(final, options.logs.file, options.logs.mapping ?? DEFAULT_MAPPING, policy, (r, f) => ctx.rejudge(r, f));
    const shrunk =
      options.shrink === false || signal?.aborted
        ? new Map<string, Shrunk>()
        : await untilAborted(
            shrinkDivergences(judged, options.shrink ?? DEFAULT_SHRINK, {
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
    const explained = signal?.aborted ? new Map<string, Explanation>() : await untilAborted(explainDivergences(ctx, judged, canonical, concurrency), signal, new Map());

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
    const divergences = await collectDivergences(judged, collect);
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
