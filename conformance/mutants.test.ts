// Every field failure of docs/field-failures.md, assembled into the reference backend as a
// mutant, must make a run diverge with the verdict class the document names and a
// hint naming that failure, and read as the valid case plus at most one defect.
import { describe, expect, it } from 'vitest';
import { MUTANT_IDS } from '../src/index.ts';
import { MUTANT_EXPECTATIONS } from './mutation/expectations.ts';
import { scoreMutant } from './mutation/score.ts';

describe('mutants of the reference backend', () => {
  it('every mutant id has an expectation', () => {
    expect(Object.keys(MUTANT_EXPECTATIONS).sort()).toEqual([...MUTANT_IDS].sort());
  });

  it.concurrent.each(MUTANT_IDS.map((id) => [id]))('%s: killed with the expected verdict and hint', async (id) => {
    const score = await scoreMutant(id, { seed: 1234, runs: 20, concurrency: 16 });
    expect(score.error).toBeUndefined();
    expect(score.killed).toBe(true);
    expect(score.diagnosed, JSON.stringify(score.counterexample)).toBe(true);
    expect(score.counterexample!.defects).toBeLessThanOrEqual(1);
    // check-logs on the mutant's own decision log finds exactly the rules its failure implies.
    expect(Object.keys(score.logViolations).sort(), JSON.stringify(score.logViolations)).toEqual([...(MUTANT_EXPECTATIONS[id].logViolations ?? [])].sort());
  });
});
