// Fuzz cases, fact-first: fast-check draws facts from the policy's domains; run i of
// seed s is reproducible as fast-check path "i" (the shrinker replays it from there).
import fc from 'fast-check';
import { predict } from '../../model/oracle.ts';
import type { Policy } from '../../model/policy.ts';
import type { Case } from './case.ts';
import { factsArbitrary, type FuzzShape } from './arbitraries/facts.ts';
import type { Facts } from './facts-util.ts';

export function fuzzArbitrary(policy: Policy, canonical: Facts, shape?: FuzzShape): fc.Arbitrary<Facts> {
  return factsArbitrary(policy, canonical, shape);
}

/** The facts fast-check generates for (seed, runs), in run order: nothing is sent yet. */
export function drawFacts(arbitrary: fc.Arbitrary<Facts>, seed: number, runs: number): Facts[] {
  if (runs === 0) return [];
  const drawn: Facts[] = [];
  fc.check(
    fc.property(arbitrary, (facts) => {
      drawn.push(facts);
      return true;
    }),
    { seed, numRuns: runs },
  );
  return drawn;
}

export function fuzzCases(policy: Policy, arbitrary: fc.Arbitrary<Facts>, seed: number, runs: number): Case[] {
  return drawFacts(arbitrary, seed, runs).map((facts, i) => ({
    key: `fuzz:${i}`,
    source: { kind: 'fuzz', seed, path: String(i) },
    facts,
    prediction: predict(policy, facts),
  }));
}
