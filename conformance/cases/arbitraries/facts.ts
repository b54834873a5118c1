// Facts of a fuzz case under a policy: each fact from the policy's domain
// (factDomains), most of them canonical; session facts are rarer because they cost
// seconds of wall time each; facts the target cannot exercise are held canonical.
import fc from 'fast-check';
import { factDomains, type FactName, type FactValue } from '../../../model/facts.ts';
import type { Policy } from '../../../model/policy.ts';
import { FACT_NAMES, type Facts } from '../facts-util.ts';
import { factArbitrary } from './fact.ts';
import { noiseArbitrary } from './noise.ts';

export interface FuzzShape {
  /** Weight of a fact's canonical value against all its other values together. */
  canonicalWeight: number;
  /** The same for the slow facts (session, latency). */
  slowCanonicalWeight: number;
  /** Values the target cannot exercise (e.g. no stall): held at canonical. */
  unavailable: Partial<{ [K in FactName]: ReadonlyArray<FactValue<K>> }>;
}

export const DEFAULT_FUZZ_SHAPE: FuzzShape = { canonicalWeight: 9, slowCanonicalWeight: 30, unavailable: {} };

const SLOW: ReadonlySet<FactName> = new Set(['session', 'latency']);

export function factsArbitrary(policy: Policy, canonical: Facts, shape: FuzzShape = DEFAULT_FUZZ_SHAPE): fc.Arbitrary<Facts> {
  const domains = factDomains(policy) as Record<FactName, readonly string[]>;
  const fields = Object.fromEntries(
    FACT_NAMES.map((name) => {
      const banned = (shape.unavailable[name] ?? []) as readonly string[];
      const domain = domains[name].filter((v) => !banned.includes(v));
      const weight = SLOW.has(name) ? shape.slowCanonicalWeight : shape.canonicalWeight;
      return [name, factArbitrary(canonical[name] as string, domain, weight)];
    }),
  ) as Record<FactName, fc.Arbitrary<string>>;
  return fc.record({ ...fields, noise: noiseArbitrary() }) as unknown as fc.Arbitrary<Facts>;
}
