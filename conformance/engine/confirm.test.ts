// Confirmation, interruption and adaptive concurrency, against the real reference
// backend. A target wrapper puts a case's subject in the wrong directory state for some
// of its runs (the backend itself stays correct), so the first observation diverges for
// a reason outside the backend's decision, as a spoiled observation would.
import { describe, expect, it } from 'vitest';
import { CANONICAL_FACTS } from '../../model/facts.ts';
import { resolvePolicy } from '../../model/policy.ts';
import { customCase } from '../cases/case.ts';
import { runConformance } from '../engine.ts';
import { exitCodeOf, type CompletedRun, type RunResult } from '../result.ts';
import { startEmbeddedTarget } from '../targets/embedded.ts';
import type { Target } from '../targets/target.ts';
import type { UserKind } from '../capabilities/capabilities.ts';
import { adaptiveConcurrency, ADAPTIVE, fixedConcurrency } from './concurrency.ts';
import { emptyEvidence } from '../drive/evidence.ts';

function completed(r: RunResult): CompletedRun {
  if (r.kind !== 'completed') throw new Error(`run did not complete: ${JSON.stringify(r)}`);
  return r;
}

const policy = resolvePolicy({});

/**
 * The subject of the n-th prepared case is missing when `wrong(n)`: n = 0 is the canary,
 * n = 1 the one planned case's drive, n = 2.. its replays.
 */
async function miswiredTarget(wrong: (n: number) => boolean, how: 'missing' | 'stalled' = 'missing'): Promise<Target> {
  const inner = await startEmbeddedTarget({ policy });
  let n = 0;
  const miswire = (kind: UserKind, options: { stall: boolean; stallMs?: number }) => {
    if (kind !== 'active' || !wrong(n++)) return { kind, options };
    return how === 'missing' ? { kind: 'missing' as const, options } : { kind, options: { stall: true, stallMs: 5000 } };
  };
  return {
    kind: inner.kind,
    description: `${inner.description} (miswired)`,
    url: inner.url,
    healthUrl: inner.healthUrl,
    policy: inner.policy,
    keys: inner.keys,
    capabilities: inner.capabilities,
    prepareUser: (caseId, kind, options) => {
      const m = miswire(kind, options);
      return inner.prepareUser(caseId, m.kind, m.options);
    },
    revokeUser: (userId, how) => inner.revokeUser(userId, how),
    close: () => inner.close(),
  };
}

// One planned case, the canonical valid one: its drive and replays are counted apart.
const ONE_CASE = { seed: 1, runs: 0, shrink: false as const, cases: [customCase(policy, 'valid', CANONICAL_FACTS)] };

describe('confirmation before a verdict', () => {
  it.concurrent('a divergence seen once and never again is not a divergence: listed as not reproduced, the run passes', async () => {
    // Property: an observation that no replay reproduces never fails the run.
    const r = completed(await runConformance({ ...ONE_CASE, target: () => miswiredTarget((n) => n === 1) }));
    expect(r.divergences).toEqual([]);
    expect(r.passed).toBe(true);
    expect(r.notReproduced.length).toBe(1);
    expect(r.notReproduced[0]).toMatchObject({ expected: 'accept (client-closed)', firstObserved: 'reject-403', attempts: 2 });
    expect(r.harness.confirmation).toMatchObject({ candidates: 1, notReproduced: 1, deterministic: 0, flaky: 0 });
  });

  it.concurrent('a divergence every replay reproduces is reported deterministic, with the replay as its evidence', async () => {
    const r = completed(await runConformance({ ...ONE_CASE, target: () => miswiredTarget((n) => n >= 1) }));
    expect(r.divergences.map((d) => [d.key, d.observed, d.confirmation])).toEqual([['custom:valid', 'reject-403', { status: 'deterministic', attempts: 2, reproduced: 2 }]]);
    expect(r.passed).toBe(false);
    expect(r.harness.firstConfirmedMs).not.toBeNull();
  });

  it.concurrent('a divergence some replays reproduce is flaky, with its rate, and still fails the run', async () => {
    // The drive (n = 1) is wrong, then the replays n = 2..5 alternate: right, wrong, right, wrong.
    const r = completed(await runConformance({ ...ONE_CASE, confirm: 4, target: () => miswiredTarget((n) => n % 2 === 1) }));
    expect(r.divergences.map((d) => [d.key, d.confirmation])).toEqual([['custom:valid', { status: 'flaky', attempts: 4, reproduced: 2 }]]);
    expect(r.passed).toBe(false);
  });
});

describe('a slow moment is not a slow case', () => {
  it.concurrent('a time-related replay whose control (the valid case, sent beside it) is slow too does not count', async () => {
    // Property: a replay counts only when the target answered the control in time.
    // n = 1 is the drive (stalled: released at the backend's deadline, a divergence about
    // time); the first replay round stalls both its control (n = 2) and the case (n = 3),
    // as a moment when everything is slow would; the next rounds are on time.
    const r = completed(await runConformance({ ...ONE_CASE, target: () => miswiredTarget((n) => n >= 1 && n <= 3, 'stalled') }));
    expect(r.divergences).toEqual([]);
    expect(r.notReproduced.map((n) => [n.key, n.firstObserved, n.attempts])).toEqual([['custom:valid', 'timeout', 2]]);
  });

  it.concurrent('a moment slow throughout (every replay set aside) proves nothing: not reproduced, never a divergence', async () => {
    // Property: with no replay counted, the unconfirmed first observation is never reported.
    // Every run from the drive on stalls, controls included, so every round is set aside.
    const r = completed(await runConformance({ ...ONE_CASE, target: () => miswiredTarget((n) => n >= 1, 'stalled') }));
    expect(r.divergences).toEqual([]);
    expect(r.notReproduced.map((n) => [n.key, n.firstObserved, n.attempts])).toEqual([['custom:valid', 'timeout', 0]]);
    expect(r.cases.find((c) => c.key === 'custom:valid')?.confirmation).toMatchObject({ status: 'not-reproduced', attempts: 0, spoiled: 5 });
  });
});

describe('interrupting a run', () => {
  it.concurrent('an abort ends the run with what was judged so far, marked partial, exit 130', async () => {
    const controller = new AbortController();
    let finished = 0;
    const r = completed(
      await runConformance(
        { target: () => startEmbeddedTarget(), seed: 3, runs: 200, signal: controller.signal },
        { onEvent: (e) => e.type === 'case-finished' && ++finished === 40 && controller.abort() },
      ),
    );
    expect(r.partial).toBe(true);
    expect(r.passed).toBe(false);
    expect(exitCodeOf(r)).toBe(130);
    expect(r.cases.length).toBeGreaterThanOrEqual(40);
    expect(r.cases.length).toBeLessThan(r.summary.cases + r.summary.twins + 100);
    expect(r.cases.every((c) => c.status === 'judged' || c.status === 'not-covered')).toBe(true);
  });
});

describe('adaptive concurrency (AIMD)', () => {
  const answered = (ms: number) => ({ ...emptyEvidence(0), connect: { ok: true as const, ms: 0 }, response: { status: 401, statusText: '', headers: {}, body: '', ms } });
  const hung = () => ({ ...emptyEvidence(0), connect: { ok: true as const, ms: 0 }, hung: { ms: 1000 } });

  it('grows while answers are fast, halves on a missing or slow answer, and stays within its bounds', () => {
    const c = adaptiveConcurrency(1000, () => 0, 2);
    expect(c.limit()).toBe(2 * ADAPTIVE.perCore);
    for (let i = 0; i < 200; i++) c.record(answered(5), false);
    expect(c.limit()).toBe(ADAPTIVE.ceiling);
    c.record(hung(), false);
    expect(c.limit()).toBe(ADAPTIVE.ceiling / 2);
    // A stalled lookup's slowness is the case's own, not congestion.
    const before = c.limit();
    c.record(answered(900), true);
    expect(c.limit()).toBeGreaterThanOrEqual(before);
    expect(c.stats()).toMatchObject({ mode: 'adaptive', max: ADAPTIVE.ceiling, backoffs: 1 });
  });

  it('the engine loop lagging is congestion too', () => {
    const c = adaptiveConcurrency(1000, () => 500, 2);
    c.record(answered(5), false);
    expect(c.limit()).toBe(ADAPTIVE.perCore);
  });

  it('a fixed concurrency never moves', () => {
    const c = fixedConcurrency(5);
    c.record(hung(), false);
    expect(c.limit()).toBe(5);
  });
});
