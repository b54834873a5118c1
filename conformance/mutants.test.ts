// Every field failure of field-failures.md, assembled into the reference backend as a
// mutant, must make a run diverge with the verdict class the document names and a
// hint naming that failure.
import { describe, expect, it } from 'vitest';
import { MUTANT_IDS } from '../src/index.ts';
import { runConformance } from './engine.ts';
import type { Verdict } from './judge/verdict.ts';
import { startEmbeddedTarget } from './targets/embedded.ts';

const EXPECTED: Record<(typeof MUTANT_IDS)[number], { verdict: Verdict; hint: string }> = {
  'secret-mismatch': { verdict: 'FAILED', hint: 'secret-mismatch' },
  'sig-403': { verdict: 'WRONG-CODE', hint: 'sig-403' },
  'missing-user-accept': { verdict: 'FAILED-SECURITY', hint: 'missing-user-accept' },
  'accept-then-1008': { verdict: 'FAILED', hint: 'accept-then-1008' },
  'header-bypass': { verdict: 'FAILED-SECURITY', hint: 'header-bypass' },
  'slow-auth-fail-open': { verdict: 'FAILED-SECURITY', hint: 'slow-auth-fail-open' },
  'no-deadline': { verdict: 'FAILED', hint: 'no-deadline' },
  'fake-token-403': { verdict: 'WRONG-CODE', hint: 'fake-token-403' },
  'alg-none': { verdict: 'FAILED-SECURITY', hint: 'alg-none' },
  'no-exp': { verdict: 'FAILED-SECURITY', hint: 'no-exp' },
  'no-iss-aud': { verdict: 'FAILED-SECURITY', hint: 'no-iss-aud' },
  'inactive-accept': { verdict: 'FAILED-SECURITY', hint: 'inactive-accept' },
  'no-session-expiry': { verdict: 'FAILED', hint: 'no-session-expiry' },
  'no-origin-check': { verdict: 'FAILED-SECURITY', hint: 'no-origin-check' },
};

describe('mutants of the reference backend', () => {
  it('every mutant id has an expectation', () => {
    expect(Object.keys(EXPECTED).sort()).toEqual([...MUTANT_IDS].sort());
  });

  it.concurrent.each(MUTANT_IDS.map((id) => [id]))('%s: diverges with the expected verdict and hint', async (id) => {
    const want = EXPECTED[id];
    const r = await runConformance({ target: () => startEmbeddedTarget({ mutant: id }), seed: 1234, runs: 20, concurrency: 16, mutant: id });
    expect(r.kind).toBe('completed');
    if (r.kind !== 'completed') return;
    expect(r.passed).toBe(false);
    const matching = r.divergences.filter((d) => d.hint?.id === want.hint && (d.handshake === want.verdict || d.session === want.verdict));
    expect(matching.map((d) => d.key), `divergences: ${r.divergences.map((d) => `${d.key} ${d.handshake}/${d.session} ${d.hint?.id}`).join('; ')}`).not.toEqual([]);
  });
});
