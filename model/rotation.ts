// Key rotation (policy.kid "jwks", with a JWKS the tool publishes): the steps the tool
// takes on the JWKS, in order, and the facts each one's token has from the target's
// side. The oracle predicts them like any case; what the policy's `jwks` contract
// promises decides which steps exist and how long the tool waits before each.
import { canonicalFor, type Facts } from './facts.ts';
import type { Policy } from './policy-types.ts';

export type RotationStepId = 'new-key' | 'previous-key' | 'unknown-kid' | 'retired-key';

export interface RotationStep {
  id: RotationStepId;
  /** What the tool does to the JWKS before the token is sent. */
  change: 'add-key' | 'none' | 'remove-key';
  /**
   * How long after the change (or, for `cooldown`, after the target's last fetch of the
   * JWKS) the token is sent: until the contract says the target must see the change.
   */
  wait: 'cooldown' | 'max-age' | 'none';
  /** The token: signed by the rotated-in key, the first key, an unpublished key, or the removed key. */
  signer: 'rotated' | 'first' | 'unpublished';
  facts: Facts;
  text: string;
}

/**
 * The rotation steps a policy calls for; none unless kid is "jwks". A new key is seen
 * on its first unknown kid (after the cooldown) when the target refetches then, else
 * once its cache ages out; without either it is picked up only on restart (declared).
 * A removed key is refused once the cache ages out; with no cache time it is kept
 * (declared), so that step is not made.
 */
export function rotationSteps(policy: Policy): RotationStep[] {
  if (policy.kid !== 'jwks') return [];
  const { refreshOnUnknownKid, maxAgeMs } = policy.jwks;
  const canonical = canonicalFor(policy);
  const steps: RotationStep[] = [];
  const seesNewKeys = refreshOnUnknownKid || maxAgeMs !== null;
  if (seesNewKeys) {
    steps.push({
      id: 'new-key',
      change: 'add-key',
      wait: refreshOnUnknownKid ? 'cooldown' : 'max-age',
      signer: 'rotated',
      facts: { ...canonical, key: 'rotated-in' },
      text: refreshOnUnknownKid ? 'a key added to the JWKS signs: accepted (refetched on its unknown kid)' : 'a key added to the JWKS signs: accepted once the cached set ages out',
    });
    steps.push({ id: 'previous-key', change: 'none', wait: 'none', signer: 'first', facts: canonical, text: 'the first key, still in the JWKS, signs: accepted after the refetch' });
  }
  steps.push({ id: 'unknown-kid', change: 'none', wait: 'none', signer: 'unpublished', facts: { ...canonical, key: 'unknown-kid' }, text: 'a kid never published: refused, refetch or not' });
  if (seesNewKeys && maxAgeMs !== null) {
    steps.push({ id: 'retired-key', change: 'remove-key', wait: 'max-age', signer: 'rotated', facts: { ...canonical, key: 'retired' }, text: 'the rotated-in key removed from the JWKS signs: refused once the cached set ages out' });
  }
  return steps;
}
