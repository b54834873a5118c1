// The facts of one case (model.md "Inputs"). A case is chosen as facts first; the
// engine's forge then builds a request with exactly these facts. The oracle reads
// facts, never a concrete token.
import { PLACEMENTS, usesSymmetricKey, type Placement, type Policy } from './policy.ts';

export const FACT_VALUES = {
  origin: ['absent', 'allowed', 'foreign', 'null'],
  placement: ['none', ...PLACEMENTS],
  scheme: ['bearer', 'bearer-odd-case', 'other', 'empty'],
  structure: ['jws', 'not-jwt', 'bad-base64url', 'wrong-segment-count', 'jwe', 'oversize'],
  alg: ['allowed', 'none', 'not-allowed', 'key-confusion'],
  key: ['known', 'unknown-kid', 'attacker-jwk', 'attacker-jku', 'attacker-x5u', 'kid-injection'],
  signature: ['valid', 'wrong-key', 'stripped', 'tampered'],
  exp: ['future', 'past', 'within-skew', 'missing', 'wrong-type'],
  nbf: ['absent', 'past', 'future'],
  iss: ['expected', 'wrong', 'missing'],
  aud: ['expected', 'wrong', 'missing'],
  typ: ['expected', 'wrong', 'missing'],
  sub: ['present', 'missing'],
  user: ['active', 'missing', 'inactive', 'lacks-role'],
  latency: ['within-budget', 'stalled'],
  session: ['client-closes', 'token-expires', 'user-revoked', 'auth-message-never-sent'],
} as const;

export type FactName = keyof typeof FACT_VALUES;
export type FactValue<K extends FactName> = (typeof FACT_VALUES)[K][number];

/** Extra request material that must never change the outcome (bypass-looking headers too). */
export interface Noise {
  /** Extra headers, in the order they are sent. */
  headers: Array<[name: string, value: string]>;
  /** Extra query parameters, e.g. `user=admin`. */
  query: Array<[name: string, value: string]>;
  /** How the names of the case's own headers are written. */
  headerCase: 'canonical' | 'lower' | 'upper';
  /** Send the case's own headers in reverse order. */
  reverseHeaders: boolean;
}

export type Facts = { [K in FactName]: FactValue<K> } & { noise: Noise };

export const NO_NOISE: Noise = { headers: [], query: [], headerCase: 'canonical', reverseHeaders: false };

/** The canonical valid case: every other case is this plus defects. */
export const CANONICAL_FACTS: Facts = {
  origin: 'absent',
  placement: 'authorization-header',
  scheme: 'bearer',
  structure: 'jws',
  alg: 'allowed',
  key: 'known',
  signature: 'valid',
  exp: 'future',
  nbf: 'absent',
  iss: 'expected',
  aud: 'expected',
  typ: 'expected',
  sub: 'present',
  user: 'active',
  latency: 'within-budget',
  session: 'client-closes',
  noise: NO_NOISE,
};

export const FACT_NAMES = Object.keys(FACT_VALUES) as FactName[];

/**
 * The values of each fact that make sense under a policy: a fact the target cannot
 * observe (key confusion without an asymmetric key, a typ the target does not check)
 * is left at its canonical value.
 */
export function factDomains(policy: Policy): { [K in FactName]: ReadonlyArray<FactValue<K>> } {
  const all = { ...FACT_VALUES } as { [K in FactName]: ReadonlyArray<FactValue<K>> };
  return {
    ...all,
    origin: policy.allowedOrigins.length > 0 ? all.origin : ['absent'],
    alg: usesSymmetricKey(policy) ? all.alg.filter((a) => a !== 'key-confusion') : all.alg,
    typ: policy.typ === null ? ['expected'] : all.typ,
    user: policy.requiredRole === null ? all.user.filter((u) => u !== 'lacks-role') : all.user,
    session: policy.placements['first-message'] ? all.session : all.session.filter((s) => s !== 'auth-message-never-sent'),
  };
}

export function placementEnabled(policy: Policy, placement: FactValue<'placement'>): placement is Placement {
  return placement !== 'none' && policy.placements[placement];
}

/**
 * The defects of a case: facts that, on their own, make the credential, token,
 * claims or user unacceptable. Written independently of the machine so that the
 * model's tests can state "a defect never predicts accept" without the machine
 * checking itself.
 */
export function defectsOf(facts: Facts, policy: Policy): FactName[] {
  const defects: FactName[] = [];
  const add = (name: FactName, bad: boolean) => bad && defects.push(name);
  add('origin', policy.allowedOrigins.length > 0 && (facts.origin === 'foreign' || facts.origin === 'null'));
  add('placement', !placementEnabled(policy, facts.placement));
  add('scheme', facts.scheme === 'other' || facts.scheme === 'empty');
  add('structure', facts.structure !== 'jws');
  add('alg', facts.alg !== 'allowed');
  add('key', facts.key !== 'known');
  add('signature', facts.signature !== 'valid');
  add('exp', facts.exp === 'past' || facts.exp === 'wrong-type' || (facts.exp === 'missing' && policy.requiredClaims.includes('exp')));
  add('nbf', facts.nbf === 'future');
  add('iss', facts.iss !== 'expected');
  add('aud', facts.aud !== 'expected');
  add('typ', policy.typ !== null && facts.typ !== 'expected');
  add('sub', facts.sub === 'missing');
  add('user', facts.user === 'missing' || facts.user === 'inactive' || (facts.user === 'lacks-role' && policy.requiredRole !== null));
  return defects;
}
