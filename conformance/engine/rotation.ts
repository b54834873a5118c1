// The key-rotation phase (policy.kid "jwks", with a JWKS the tool publishes): after the
// other cases, one step after another, the tool changes the JWKS, waits as long as the
// policy's jwks contract gives the target to see the change, and sends one token
// (model/rotation.ts). Waits are lower bounds, so a slow machine only makes them longer.
// A step is replayed where it stands, not in the confirm phase: its meaning depends on
// the JWKS at that moment. A diverging step is made again (after the same wait) before
// it is reported.
import { randomBytes } from 'node:crypto';
import { predict } from '../../model/oracle.ts';
import { rotationSteps, type RotationStep } from '../../model/rotation.ts';
import type { Case } from '../cases/case.ts';
import { isDivergentRun, sameDivergence, type JudgedRun } from '../judge/case-run.ts';
import { generateKeys, type SigningKeys } from '../keys.ts';
import type { Target } from '../targets/target.ts';
import type { Confirmed } from './confirm.ts';
import type { RunContext } from './context.ts';

/** The steps a run makes: none unless the tool publishes the target's JWKS. */
export function plannedRotation(target: Target): RotationStep[] {
  return target.jwks ? rotationSteps(target.policy) : [];
}

export interface RotationResult {
  runs: JudgedRun[];
  /** Diverging steps, made again `attempts` times. */
  confirmed: Map<string, Confirmed>;
}

/** A wait that ends early when the run is interrupted (a cache time may be minutes). */
function sleep(ms: number, signal: AbortSignal | null): Promise<void> {
  return new Promise((resolve) => {
    const done = () => (clearTimeout(timer), signal?.removeEventListener('abort', done), resolve());
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

export async function rotateKeys(ctx: RunContext, attempts: number, onFinished: (run: JudgedRun, done: number) => void): Promise<RotationResult> {
  const out: RotationResult = { runs: [], confirmed: new Map() };
  const jwks = ctx.target.jwks;
  const steps = plannedRotation(ctx.target);
  if (!jwks || steps.length === 0) return out;
  const { cooldownMs, maxAgeMs } = ctx.policy.jwks;
  // Beyond the contract's time: a fetch answered now lands at the target a little later.
  const margin = Math.max(1000, ctx.settings.deadlineMs);
  const nonce = randomBytes(3).toString('hex');
  const alg = ctx.target.keys.alg;
  const signers: Record<RotationStep['signer'], SigningKeys> = {
    first: ctx.target.keys,
    rotated: await generateKeys(alg, `wsac-rotated-${nonce}`),
    unpublished: await generateKeys(alg, `wsac-unpublished-${nonce}`),
  };
  const firstSet = jwks.keys();
  const rotatedJwk = signers.rotated.verification.kind === 'jwks' ? signers.rotated.verification.keys : [];
  let changedAt = performance.now();

  const waitFor = async (step: RotationStep, again: boolean) => {
    let until = performance.now();
    // Over HTTP the target's fetches are seen; a file's reads are not, so any earlier request may have read it.
    if (step.wait === 'cooldown') until = (jwks.lastFetchMs() ?? performance.now()) + cooldownMs + margin;
    else if (step.wait === 'max-age' && maxAgeMs !== null) until = (again ? performance.now() : changedAt) + maxAgeMs + margin;
    const ms = Math.max(0, Math.round(until - performance.now()));
    ctx.emit({ type: 'rotation-step', key: `rotation:${step.id}`, waitMs: ms, text: again ? `again: ${step.text}` : step.text });
    await sleep(ms, ctx.signal);
  };
  const kaseOf = (step: RotationStep): Case => ({ key: `rotation:${step.id}`, source: { kind: 'rotation', step: step.id }, facts: step.facts, prediction: predict(ctx.policy, step.facts) });

  for (const step of steps) {
    if (ctx.signal?.aborted) break;
    if (step.change !== 'none') {
      await jwks.publish(step.change === 'add-key' ? [...firstSet, ...rotatedJwk] : firstSet);
      changedAt = performance.now();
    }
    const kase = kaseOf(step);
    await waitFor(step, false);
    if (ctx.signal?.aborted) break;
    const run = await ctx.runCase(kase, undefined, signers[step.signer]);
    out.runs.push(run);
    onFinished(run, out.runs.length);
    if (!isDivergentRun(run, ctx.strict) || attempts < 1) continue;
    let reproduced = 0;
    let counted = 0;
    let shown: JudgedRun | null = null;
    let last = run;
    while (counted < attempts) {
      await waitFor(step, true);
      if (ctx.signal?.aborted) break;
      last = await ctx.runCase(kase, undefined, signers[step.signer]);
      counted += 1;
      if (!isDivergentRun(last, ctx.strict)) continue;
      reproduced += 1;
      if (!shown || (!sameDivergence(shown, run) && sameDivergence(last, run))) shown = last;
    }
    const status = reproduced === 0 ? 'not-reproduced' : reproduced === counted ? 'deterministic' : 'flaky';
    const confirmation = { status, attempts: counted, reproduced } as const;
    out.confirmed.set(kase.key, { confirmation, run: shown ?? last, twins: null });
    ctx.emit({ type: 'confirmed', key: kase.key, ...confirmation });
  }
  // The target's JWKS as it was: the first key alone.
  await jwks.publish(firstSet);
  return out;
}
