// The true cause, against the real reference backend and its mutants: a divergent case is
// replayed with one fact at a time set back to canonical, and the hint names the fact whose
// setting back made the backend answer as predicted, not the first reason of the model's
// trace (which, for a case of several deviations, is often not what the backend got wrong).
import { describe, expect, it } from 'vitest';
import { CANONICAL_FACTS, NO_NOISE, type Facts } from '../../model/facts.ts';
import { resolvePolicy } from '../../model/policy.ts';
import type { MutantId } from '../../src/index.ts';
import { customCase } from '../cases/case.ts';
import { runConformance } from '../engine.ts';
import type { EngineEvent } from '../report/events.ts';
import type { CompletedRun } from '../result.ts';
import { startEmbeddedTarget } from '../targets/embedded.ts';

const policy = resolvePolicy({});

/** One case of the given facts against the mutant (relations off: the flips alone must find the cause). */
async function runOne(mutant: MutantId | null, facts: Partial<Facts>) {
  const kase = customCase(policy, 'case', { ...CANONICAL_FACTS, ...facts });
  const events: EngineEvent[] = [];
  const r = await runConformance(
    { target: () => startEmbeddedTarget({ policy, mutant }), seed: 1, runs: 0, shrink: false, relations: false, cases: [kase] },
    { onEvent: (e) => events.push(e) },
  );
  if (r.kind !== 'completed') throw new Error(`run did not complete: ${r.kind}`);
  return { run: r as CompletedRun, divergence: r.divergences.find((d) => d.key === kase.key), events };
}

const flip = (run: CompletedRun, fact: string) => run.divergences[0]?.cause?.flips.find((f) => f.fact === fact);

describe('the true cause of a divergence', () => {
  it.concurrent('a lower-case scheme refused: the hint names the scheme, not the signing key', async () => {
    const { run, divergence } = await runOne('scheme-case-sensitive', { scheme: 'bearer-odd-case' });
    expect(divergence).toMatchObject({ expected: 'accept (client-closed)', observed: 'reject-401' });
    // Only the first reason of a refused valid-looking token: the rules alone said "signing key mismatch".
    expect(divergence!.hint!.id).toBe('scheme-case-sensitive');
    expect(divergence!.hint!.text).toMatch(/^scheme compared case-sensitively/);
    expect(divergence!.cause).toMatchObject({ fact: 'scheme', value: 'bearer-odd-case', alone: null });
    expect(flip(run, 'scheme')).toMatchObject({ canonical: 'bearer', observed: 'accept', asPredicted: true, text: 'with scheme set back to bearer: observed accept as predicted' });
  });

  it.concurrent('the scheme with an unknown user: the cause is the scheme, shown again by the scheme alone', async () => {
    const { run, divergence } = await runOne('scheme-case-sensitive', { scheme: 'bearer-odd-case', user: 'missing' });
    expect(divergence).toMatchObject({ expected: 'reject-403 (user-unknown)', observed: 'reject-401' });
    expect(divergence!.hint!.id).toBe('scheme-case-sensitive');
    // The hint is read from the scheme alone (the canonical case but for it), and says so.
    expect(divergence!.hint!.text).toMatch(/^scheme compared case-sensitively: .* with scheme set back to bearer: observed accept as predicted \[/);
    expect(divergence!.hint!.text).toContain(
      '[cause: scheme=bearer-odd-case; on its own: observed reject-401 where accept (client-closed) was due; with scheme set back to bearer: observed reject-403 as predicted]',
    );
    expect(flip(run, 'user')).toMatchObject({ canonical: 'active', expected: 'accept (client-closed)', observed: 'reject-401', asPredicted: false });
    expect(divergence!.cause!.alone).toEqual({ expected: 'accept (client-closed)', observed: 'reject-401', divergent: true });
  });

  it.concurrent('alg none for a user revoked while connected: alg-none, not "validation deferred past the handshake"', async () => {
    const { run, divergence } = await runOne('alg-none', { alg: 'none', session: 'user-revoked' });
    expect(divergence).toMatchObject({ expected: 'reject-401 (alg-none)', observed: 'close-1008' });
    expect(divergence!.hint!.id).toBe('alg-none');
    expect(divergence!.cause).toMatchObject({ fact: 'alg', value: 'none', alone: { observed: 'accept', divergent: true } });
    // The session's revocation was handled as predicted; setting it back leaves the accept of alg none.
    expect(flip(run, 'session')).toMatchObject({ expected: 'reject-401 (alg-none)', observed: 'accept', asPredicted: false });
  });

  it.concurrent('a bad audience for an unknown user answered 403: 401/403 confusion, not "aud not checked"', async () => {
    const { divergence } = await runOne('sig-403', { aud: 'wrong', user: 'missing' });
    expect(divergence).toMatchObject({ expected: 'reject-401 (aud-mismatch)', observed: 'reject-403' });
    expect(divergence!.hint!.id).toBe('sig-403');
    expect(divergence!.cause).toMatchObject({ fact: 'aud', alone: { expected: 'reject-401 (aud-mismatch)', observed: 'reject-403', divergent: true } });
  });

  it.concurrent('a bypass header with a forged token: the noise is the cause (its removal changed the answer), not the signature', async () => {
    const noise = { ...NO_NOISE, headers: [['X-E2E-Test', 'true']] as Array<[string, string]> };
    const { run, divergence } = await runOne('header-bypass', { signature: 'wrong-key', noise });
    expect(divergence).toMatchObject({ expected: 'reject-401 (signature-wrong-key)', observed: 'accept' });
    expect(divergence!.hint!.id).toBe('header-bypass');
    expect(divergence!.cause).toMatchObject({ fact: 'noise', value: 'X-E2E-Test: true' });
    // Setting the signature back also removes the divergence, but only by moving the prediction to what the backend did.
    expect(flip(run, 'signature')).toMatchObject({ observed: 'accept', asPredicted: true });
    expect(flip(run, 'noise')).toMatchObject({ observed: 'reject-401', asPredicted: true });
  });

  it.concurrent('a near-miss audience for an unknown user: the near miss is the cause (the same wrong audience written plainly is refused), shown again on its own', async () => {
    const { run, divergence } = await runOne('aud-near-miss', { aud: 'wrong', spelling: 'aud:containing', user: 'missing' });
    expect(divergence).toMatchObject({ expected: 'reject-401 (aud-mismatch)', observed: 'reject-403' });
    expect(divergence!.cause).toMatchObject({ fact: 'spelling', value: 'aud:containing', alone: { expected: 'reject-401 (aud-mismatch)', observed: 'accept', divergent: true } });
    expect(flip(run, 'spelling')).toMatchObject({ canonical: 'none', observed: 'reject-401', asPredicted: true });
    expect(divergence!.hint!.id).toBe('aud-near-miss');
  });

  it.concurrent('a near-miss issuer let in by a backend that checks no issuer at all: iss not checked, not "compared loosely"', async () => {
    const { run, divergence } = await runOne('no-iss-aud', { iss: 'wrong', spelling: 'iss:case' });
    expect(divergence).toMatchObject({ expected: 'reject-401 (iss-mismatch)', observed: 'accept' });
    // The same wrong issuer written plainly is let in too: the spelling is not the cause.
    expect(flip(run, 'spelling')).toMatchObject({ observed: 'accept', asPredicted: false });
    expect(divergence!.cause!.fact).toBe('iss');
    expect(divergence!.hint!.id).toBe('no-iss-aud');
  });

  it.concurrent('deterministic: the same divergent case explained twice gives the same flips, cause and hint', async () => {
    // Two facts each remove the divergence here (the noise and the signature): the choice between them must not depend on timing.
    const noise = { ...NO_NOISE, headers: [['X-Test-Type', 'E2E']] as Array<[string, string]> };
    const facts: Partial<Facts> = { alg: 'none', user: 'inactive', noise };
    const [a, b] = await Promise.all([runOne('header-bypass', facts), runOne('header-bypass', facts)]);
    expect(a.divergence!.cause).toEqual(b.divergence!.cause);
    expect(a.divergence!.hint).toEqual(b.divergence!.hint);
    expect(a.divergence!.cause!.fact).toBe('noise');
  });

  it.concurrent('no single fact explains a 403 for a bad signature of an expired token: the rule hint stays, the flips are still evidence', async () => {
    const { run, divergence } = await runOne('sig-403', { signature: 'wrong-key', exp: 'past' });
    expect(divergence!.hint!.id).toBe('sig-403');
    expect(divergence!.cause!.fact).toBeNull();
    expect(run.divergences[0]!.cause!.flips.map((f) => [f.fact, f.observed, f.asPredicted])).toEqual([
      ['signature', 'reject-403', false],
      ['exp', 'reject-403', false],
    ]);
  });

  it.concurrent('a correct backend: nothing diverges, nothing is replayed', async () => {
    const { run, events } = await runOne(null, { scheme: 'bearer-odd-case', user: 'missing' });
    expect(run.divergences).toEqual([]);
    expect(run.cases.every((c) => c.cause === undefined)).toBe(true);
    expect(events.some((e) => e.type === 'explain-started')).toBe(false);
  });
});
