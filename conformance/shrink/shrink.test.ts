// Shrinking: a divergent fuzz case walks back towards the canonical valid case while
// it still diverges the same way, so the counterexample reads "valid case plus one
// defect" (here: one forged token plus one bypass header).
import { describe, expect, it } from 'vitest';
import { CANONICAL_FACTS } from '../../model/facts.ts';
import { deviations } from '../cases/facts-util.ts';
import { isBypassHeader } from '../cases/noise.ts';
import { runConformance } from '../engine.ts';
import { startEmbeddedTarget } from '../targets/embedded.ts';

describe('shrinking', () => {
  it('header-bypass found by fuzzing alone shrinks to one defect and one bypass header', async () => {
    const r = await runConformance({ target: () => startEmbeddedTarget({ mutant: 'header-bypass' }), seed: 1, runs: 200, paths: false });
    expect(r.kind).toBe('completed');
    if (r.kind !== 'completed') return;
    const shrunk = r.divergences.filter((d) => d.shrunk && d.hint?.id === 'header-bypass');
    expect(shrunk.length).toBeGreaterThan(0);
    const facts = shrunk[0]!.shrunk!.facts;
    expect(deviations(facts, CANONICAL_FACTS)).toHaveLength(1);
    expect(facts.noise.headers).toHaveLength(1);
    expect(isBypassHeader(facts.noise.headers[0]![0])).toBe(true);
  });
});
