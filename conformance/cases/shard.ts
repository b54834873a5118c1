// `--shard K/N`: a deterministic partition of one run's planned cases. A case travels
// with the cases a relation compares it with (a model path with its noise variant, a
// fuzz case with its twins), and groups are dealt round-robin in plan order, so every
// shard plans the same cases and runs its own share. The canary runs in every shard.
import type { Case } from './case.ts';
import { blockedBy, type Unavailable } from '../capabilities/capabilities.ts';
import type { CasePlan } from './plan.ts';

export interface Shard {
  /** 1-based. */
  index: number;
  count: number;
}

/** `K/N` with 1 <= K <= N, or null. */
export function parseShard(text: string): Shard | null {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  if (!m) return null;
  const [index, count] = [Number(m[1]), Number(m[2])];
  return count >= 1 && index >= 1 && index <= count ? { index, count } : null;
}

/** The case a relation twin or noise variant belongs with. */
export const groupOf = (k: Case) => (k.source.kind === 'twin' ? k.source.of : (k.variantKey ?? k.key));

export function shardPlan(plan: CasePlan, shard: Shard, unavailable: Unavailable): CasePlan {
  const slot = new Map<string, number>();
  for (const k of plan.all) {
    const g = groupOf(k);
    if (!slot.has(g)) slot.set(g, slot.size % shard.count);
  }
  const all = plan.all.filter((k) => slot.get(groupOf(k)) === shard.index - 1);
  const keys = new Set(all.map((k) => k.key));
  const count = (p: (k: Case) => boolean) => all.filter(p).length;
  const noiseVariants = count((k) => k.source.kind === 'path' && k.variantKey !== undefined);
  return {
    ...plan,
    all,
    twinsOf: new Map([...plan.twinsOf].filter(([key]) => keys.has(key))),
    counts: {
      paths: count((k) => k.source.kind === 'path') - noiseVariants,
      noiseVariants,
      edge: count((k) => k.source.kind === 'edge'),
      fuzz: count((k) => k.source.kind === 'fuzz'),
      twins: count((k) => k.source.kind === 'twin'),
      notCovered: count((k) => blockedBy(k.facts, unavailable) !== null),
    },
  };
}
