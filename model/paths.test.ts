import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { policyArb } from './arbitraries.test-support.ts';
import { CANONICAL_FACTS, FACT_NAMES } from './facts.ts';
import { predict } from './oracle.ts';
import { generatePaths } from './paths.ts';
import { profilePolicy, resolvePolicy } from './policy.ts';
import { OUTCOMES } from './reasons.ts';

describe('test paths', () => {
  it.each(['default', 'rfc-strict'] as const)('cover every state and transition and reach all five outcomes under %s', (profile) => {
    const { coverage, paths } = generatePaths(profilePolicy(profile));
    expect(coverage.states.covered).toBe(coverage.states.total);
    expect(coverage.transitions.covered).toBe(coverage.transitions.total);
    expect(coverage.states.total).toBeGreaterThan(50);
    expect(new Set(paths.map((p) => p.outcome))).toEqual(new Set(OUTCOMES));
  });

  it('property: under any policy, paths cover every state and transition of that policy\'s machine', () => {
    fc.assert(
      fc.property(policyArb, (policy) => {
        const { coverage } = generatePaths(policy);
        expect(coverage.states.covered).toBe(coverage.states.total);
        expect(coverage.transitions.covered).toBe(coverage.transitions.total);
      }),
      { numRuns: 25 },
    );
  });

  it('carry facts whose prediction is the path itself', () => {
    const policy = profilePolicy('default');
    for (const path of generatePaths(policy).paths) {
      const p = predict(policy, path.facts);
      expect({ outcome: p.outcome, reason: p.reason, states: p.trace }).toEqual({
        outcome: path.outcome,
        reason: path.reason,
        states: path.states,
      });
    }
  });

  it('are the canonical case plus only the defects they need, and unique', () => {
    const { paths } = generatePaths(profilePolicy('default'));
    const ids = paths.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(paths.find((p) => p.id === 'client-closed')?.facts).toEqual(CANONICAL_FACTS);
    for (const path of paths) {
      const changed = FACT_NAMES.filter((f) => path.facts[f] !== CANONICAL_FACTS[f]);
      // a handshake defect needs one changed fact; an after-accept one adds the placement
      expect(changed.length).toBeLessThanOrEqual(2);
    }
    expect(paths.find((p) => p.id === 'alg-none:alg=none')?.outcome).toBe('reject-401');
    expect(paths.find((p) => p.id === 'client-closed:exp=within-skew')?.outcome).toBe('accept');
  });

  it('follow the target\'s contract: an override moves a path to the other outcome', () => {
    const policy = resolvePolicy({ outcomes: { 'user-inactive': 'reject-401' } });
    const path = generatePaths(policy).paths.find((p) => p.reason === 'user-inactive');
    expect(path?.outcome).toBe('reject-401');
  });
});
