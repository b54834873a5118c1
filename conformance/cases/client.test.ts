// The browser client's plan: header cases move to a placement a page can use, what only
// the header can carry is not covered, and the rest of the plan is untouched.
import { describe, expect, it } from 'vitest';
import { profilePolicy, resolvePolicy } from '../../model/policy.ts';
import { canonicalFacts } from './case.ts';
import { adaptPlan, clientCanonical, clientUnavailable } from './client.ts';
import { blockedBy } from '../capabilities/capabilities.ts';
import { planCases } from './plan.ts';

const policy = profilePolicy('default');

describe('browser client plan', () => {
  it('the canonical case goes in the first enabled placement a page can use', () => {
    expect(clientCanonical(canonicalFacts(policy), policy, 'browser').placement).toBe('subprotocol');
    const cookieOnly = resolvePolicy({ placements: { subprotocol: false } });
    expect(clientCanonical(canonicalFacts(cookieOnly), cookieOnly, 'browser').placement).toBe('cookie');
    expect(clientCanonical(canonicalFacts(policy), policy, 'any').placement).toBe('authorization-header');
  });

  it('paths keep their defects and predictions in the browser placement; scheme variants are not covered', () => {
    const canonical = clientCanonical(canonicalFacts(policy), policy, 'browser');
    const unavailable = clientUnavailable({}, 'browser');
    const plain = planCases(policy, canonicalFacts(policy), { paths: true, relations: true, seed: 1, runs: 10 }, {});
    const plan = planCases(policy, canonical, { paths: true, relations: true, seed: 1, runs: 10 }, unavailable);
    adaptPlan(plan, policy, canonical, 'browser');
    const byKey = new Map(plain.all.map((k) => [k.key, k]));
    const headerLeft = plan.all.filter((k) => k.facts.placement === 'authorization-header');
    expect(headerLeft.length).toBeGreaterThan(0);
    for (const k of headerLeft) {
      expect(k.facts.scheme).not.toBe('bearer');
      expect(blockedBy(k.facts, unavailable)).toMatch(/cannot set an Authorization header/);
    }
    const moved = plan.all.filter((k) => k.source.kind === 'path' && byKey.get(k.key)?.facts.placement === 'authorization-header' && k.facts.placement === 'subprotocol');
    expect(moved.length).toBeGreaterThan(10);
    for (const k of moved) expect(k.prediction.outcome).toBe(byKey.get(k.key)!.prediction.outcome);
  });
});
