// The engine's plumbing around its phases: the preflight checks, and driving the
// planned cases through the pool until they are done or the run is aborted.
import { blockedBy, type Unavailable } from '../capabilities/capabilities.ts';
import type { Case } from '../cases/case.ts';
import { estimatedCost, userRequestFor } from '../drive/execute.ts';
import type { CaseRun } from '../judge/case-run.ts';
import { runPool } from '../pool/pool.ts';
import { checkHealth, checkReachable } from '../preflight.ts';
import type { PreflightReport } from '../result.ts';
import type { Target } from '../targets/target.ts';
import type { RunContext } from './context.ts';
import { untilAborted } from './until-aborted.ts';

export async function checkTarget(target: Target, deadlineMs: number): Promise<PreflightReport> {
  // A busy machine connects slowly: these limits allow for it (an absent target is refused at once).
  const reachable = await checkReachable(target, Math.max(10_000, deadlineMs));
  const health = reachable.ok ? await checkHealth(target, Math.max(10_000, deadlineMs)) : null;
  return { reachable, health, canary: null };
}

/** Drives the planned cases; once aborted, returns the ones finished so far (blocked ones included). */
export async function drive(ctx: RunContext, all: readonly Case[], unavailable: Unavailable, onFinished: (run: CaseRun, done: number) => void, limit: () => number): Promise<CaseRun[]> {
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
