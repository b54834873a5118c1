// Shrinking a divergent fuzz case with fast-check: replay the run at its path, then
// let fast-check walk the facts back towards the canonical valid case while the case
// still diverges the same way. A budget of live runs bounds the cost; once spent,
// every further candidate counts as "no longer diverges", which ends the shrink.
import fc from 'fast-check';
import type { Facts } from '../cases/facts-util.ts';

export interface ShrinkResult {
  facts: Facts;
  /** Successful shrink steps. */
  steps: number;
  /** Live runs spent. */
  runs: number;
  /** fast-check path of the shrunk counterexample (replayable with the same seed). */
  path: string;
}

export async function shrinkCase(
  arbitrary: fc.Arbitrary<Facts>,
  seed: number,
  path: string,
  numRuns: number,
  stillDiverges: (facts: Facts) => Promise<boolean>,
  maxRuns: number,
  onStep?: (facts: Facts, steps: number) => void,
): Promise<ShrinkResult | null> {
  let runs = 0;
  let steps = -1;
  const details = await fc.check(
    fc.asyncProperty(arbitrary, async (facts) => {
      if (runs >= maxRuns) return true;
      runs += 1;
      const diverges = await stillDiverges(facts);
      if (diverges) {
        steps += 1;
        onStep?.(facts, steps);
      }
      return !diverges;
    }),
    { seed, path, numRuns, endOnFailure: false },
  );
  if (!details.failed || !details.counterexample) return null;
  return { facts: details.counterexample[0], steps: Math.max(0, steps), runs, path: details.counterexamplePath ?? path };
}
