// --shard K/N: property — for any seed, fuzz budget and N, the N shards partition the
// one plan (every case in exactly one shard, counts adding up), each case sits in the
// shard of the cases its relations compare it with, and the split is the same each time.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { profilePolicy } from '../../model/policy.ts';
import { canonicalFacts } from './case.ts';
import { planCases } from './plan.ts';
import { parseShard } from './shard.ts';

const policy = profilePolicy('default');
const plan = (seed: number, runs: number, shard?: { index: number; count: number }) =>
  planCases(policy, canonicalFacts(policy), { paths: true, relations: true, seed, runs, shard: shard ?? null }, {});

describe('shards', () => {
  it('partition the plan; twins and noise variants stay with their case; deterministic', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 31 - 1 }), fc.integer({ min: 0, max: 40 }), fc.integer({ min: 1, max: 5 }), (seed, runs, count) => {
        const whole = plan(seed, runs);
        const shards = Array.from({ length: count }, (_, i) => plan(seed, runs, { index: i + 1, count }));
        const keys = shards.flatMap((s) => s.all.map((k) => k.key));
        expect(keys.sort()).toEqual(whole.all.map((k) => k.key).sort());
        for (const field of ['paths', 'noiseVariants', 'edge', 'fuzz', 'twins', 'notCovered'] as const) {
          expect(shards.reduce((n, s) => n + s.counts[field], 0), field).toBe(whole.counts[field]);
        }
        for (const s of shards) {
          const here = new Set(s.all.map((k) => k.key));
          for (const [key, twins] of s.twinsOf) {
            expect(here.has(key)).toBe(true);
            for (const t of twins) expect(here.has(t.kase.key), `${t.kase.key} with ${key}`).toBe(true);
          }
        }
        expect(plan(seed, runs, { index: 1, count }).all.map((k) => k.key)).toEqual(shards[0]!.all.map((k) => k.key));
      }),
      { numRuns: 15 },
    );
  });

  it('K/N is parsed strictly', () => {
    expect(parseShard('2/4')).toEqual({ index: 2, count: 4 });
    for (const bad of ['0/2', '3/2', '1/0', '1', 'a/b', '1/2/3', '-1/2']) expect(parseShard(bad), bad).toBeNull();
  });
});
