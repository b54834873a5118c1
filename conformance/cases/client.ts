// Whose view a run takes. `any`: an HTTP client that can send anything (the default).
// `browser`: a web page, which cannot set an Authorization header and sees only what
// its WebSocket API shows (model/browser.ts). A browser run moves the model's paths to
// the first placement a page can use, and reports what it cannot send as not covered.
import { BROWSER_PLACEMENTS } from '../../model/browser.ts';
import { predict } from '../../model/oracle.ts';
import { PLACEMENTS, type Policy } from '../../model/policy.ts';
import { CANONICAL_FACTS, type Facts } from './facts-util.ts';
import type { Unavailable } from '../capabilities/capabilities.ts';
import type { CasePlan } from './plan.ts';

export const CLIENTS = ['any', 'browser'] as const;
export type Client = (typeof CLIENTS)[number];

export function isClient(value: string): value is Client {
  return (CLIENTS as readonly string[]).includes(value);
}

/** The canonical valid case in the first enabled placement the client can use (policy order). */
export function clientCanonical(canonical: Facts, policy: Policy, client: Client): Facts {
  if (client === 'any') return canonical;
  const placement = PLACEMENTS.find((p) => policy.placements[p] && BROWSER_PLACEMENTS.includes(p));
  return placement ? { ...CANONICAL_FACTS, placement } : canonical;
}

/** Fact values the client cannot send, on top of what the target cannot do. */
export function clientUnavailable(unavailable: Unavailable, client: Client): Unavailable {
  if (client === 'any') return unavailable;
  return { ...unavailable, placement: [...new Set([...(unavailable.placement ?? []), 'authorization-header'])] };
}

/**
 * A browser run: every planned case with a plain Bearer token in the Authorization
 * header moves to the canonical browser placement (its defects stay, its prediction is
 * the model's again). Header-only variations (another scheme, odd case, empty value)
 * stay where they are and are reported as not covered. Cases are shared with the twin
 * map, so they are changed in place.
 */
export function adaptPlan(plan: CasePlan, policy: Policy, canonical: Facts, client: Client): void {
  if (client === 'any' || canonical.placement === 'authorization-header') return;
  for (const kase of plan.all) {
    if (kase.facts.placement !== 'authorization-header' || kase.facts.scheme !== 'bearer') continue;
    kase.facts = { ...kase.facts, placement: canonical.placement };
    kase.prediction = predict(policy, kase.facts);
  }
}
