// Planning a run's cases: the model paths, each handshake path again with one
// bypass-looking header, the edge cases (near misses, proxy identity headers), the
// fuzz cases, and the twins the metamorphic relations compare them with. Cases needing what the target cannot do are marked, not dropped.
import type fc from 'fast-check';
import { predict } from '../../model/oracle.ts';
import { PLACEMENTS, type Placement, type Policy } from '../../model/policy.ts';
import { blockedBy, type Unavailable } from '../capabilities/capabilities.ts';
import { DEFAULT_FUZZ_SHAPE, type FuzzShape } from './arbitraries/facts.ts';
import { RELATIONS, type RelationId } from '../relations/relations.ts';
import type { Case } from './case.ts';
import { hasNoise, type Facts } from './facts-util.ts';
import { edgeCases } from './edge/cases.ts';
import { casesFromPaths } from './from-paths.ts';
import { fuzzArbitrary, fuzzCases } from './fuzz.ts';
import { BYPASS_HEADERS } from './noise.ts';
import { shardPlan, type Shard } from './shard.ts';

export interface PlanInput {
  /** Run exactly these (replay) instead of paths and fuzz. */
  cases?: Case[];
  /** The model paths and the edge cases. */
  paths: boolean;
  relations: boolean;
  /** Proxy identity headers to try besides the built-in ones (config `identityHeaders`). */
  identityHeaders?: ReadonlyArray<readonly [string, string]>;
  seed: number;
  runs: number;
  fuzz?: Partial<FuzzShape>;
  /** Plan everything, keep this shard's share (`--shard K/N`). */
  shard?: Shard | null;
}

export interface CasePlan {
  /** Everything to drive, in order: paths, edge cases, fuzz, then path noise variants and twins. */
  all: Case[];
  /** Cases compared with twins, by key. */
  twinsOf: Map<string, Array<{ relation: RelationId; kase: Case }>>;
  /** `noiseVariants`: model paths again with a bypass header; `edge`: near misses and identity headers; `twins`: relation twins of fuzz cases. */
  counts: { paths: number; noiseVariants: number; edge: number; fuzz: number; twins: number; notCovered: number };
  /** The fuzz arbitrary (the shrinker replays its runs). */
  arbitrary: fc.Arbitrary<Facts>;
  /** Handshake placements the policy enables. */
  enabled: Placement[];
}

export function planCases(policy: Policy, canonical: Facts, input: PlanInput, unavailable: Unavailable): CasePlan {
  const shape: FuzzShape = {
    ...DEFAULT_FUZZ_SHAPE,
    ...input.fuzz,
    unavailable: mergeUnavailable(unavailable as FuzzShape['unavailable'], input.fuzz?.unavailable ?? {}),
  };
  const arbitrary = fuzzArbitrary(policy, canonical, shape);
  const planned: Case[] = [];
  let paths = 0;
  let edge = 0;
  let fuzz = 0;
  if (input.cases) {
    planned.push(...input.cases);
  } else {
    if (input.paths) {
      const fromPaths = casesFromPaths(policy).cases;
      paths = fromPaths.length;
      planned.push(...fromPaths);
      const edges = edgeCases(policy, canonical, input.identityHeaders);
      edge = edges.length;
      planned.push(...edges);
    }
    const drawn = fuzzCases(policy, arbitrary, input.seed, input.runs);
    fuzz = drawn.length;
    planned.push(...drawn);
  }
  const enabled = handshakePlacements(policy);
  const twinsOf = new Map<string, Array<{ relation: RelationId; kase: Case }>>();
  const twins: Case[] = [];
  let noiseVariants = 0;
  if (input.relations) {
    // Noise invariance over the model paths: each handshake path again with one
    // bypass-looking header, so a "test fast path" is found without fuzzing luck.
    planned
      .filter((k) => k.source.kind === 'path')
      .forEach((path, i) => {
        const facts = withBypassHeader(path.facts, i);
        if (!facts || blockedBy(facts, unavailable)) return;
        const noisy: Case = { key: `${path.key}+noise`, source: path.source, facts, prediction: predict(policy, facts), variantKey: path.key };
        twins.push(noisy);
        noiseVariants += 1;
        twinsOf.set(noisy.key, [{ relation: 'noise-invariance', kase: path }]);
      });
    for (const kase of planned) {
      if (kase.source.kind !== 'fuzz' && kase.source.kind !== 'replay') continue;
      for (const twin of twinCases(policy, kase, enabled, unavailable)) {
        twins.push(twin.kase);
        twinsOf.set(kase.key, [...(twinsOf.get(kase.key) ?? []), twin]);
      }
    }
  }
  const all = [...planned, ...twins];
  const plan: CasePlan = {
    all,
    twinsOf,
    counts: { paths, noiseVariants, edge, fuzz, twins: twins.length - noiseVariants, notCovered: all.filter((k) => blockedBy(k.facts, unavailable)).length },
    arbitrary,
    enabled,
  };
  return input.shard ? shardPlan(plan, input.shard, unavailable) : plan;
}

/** The twins of a case, one per relation that says something about it. */
export function twinCases(policy: Policy, kase: Case, enabled: readonly string[], unavailable: Unavailable): Array<{ relation: RelationId; kase: Case }> {
  const out: Array<{ relation: RelationId; kase: Case }> = [];
  for (const relation of RELATIONS) {
    const facts = relation.twin(kase.facts, enabled);
    if (!facts || blockedBy(facts, unavailable)) continue;
    out.push({
      relation: relation.id,
      kase: { key: `${kase.key}~${relation.id}`, source: { kind: 'twin', of: kase.key, relation: relation.id }, facts, prediction: predict(policy, facts), variantKey: kase.variantKey ?? kase.key },
    });
  }
  return out;
}

export function handshakePlacements(policy: Policy): Placement[] {
  return PLACEMENTS.filter((p) => p !== 'first-message' && policy.placements[p]);
}

function withBypassHeader(facts: Facts, i: number): Facts | null {
  if (facts.session !== 'client-closes' || facts.latency !== 'within-budget' || hasNoise(facts.noise)) return null;
  const [name, value] = BYPASS_HEADERS[i % BYPASS_HEADERS.length]!;
  return { ...facts, noise: { headers: [[name, value]], query: [], headerCase: 'canonical', reverseHeaders: false } };
}

function mergeUnavailable(a: FuzzShape['unavailable'], b: FuzzShape['unavailable']): FuzzShape['unavailable'] {
  const out: Record<string, string[]> = {};
  for (const src of [a, b]) for (const [k, v] of Object.entries(src)) out[k] = [...new Set([...(out[k] ?? []), ...((v ?? []) as string[])])];
  return out as FuzzShape['unavailable'];
}
