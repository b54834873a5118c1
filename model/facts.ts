// The facts of one case (model.md "Inputs"). A case is chosen as facts first; the
// engine's forge then builds a request with exactly these facts. The oracle reads
// facts, never a concrete token.
import { PLACEMENTS, claimCheck, requiresClaim, revocationsOf, usesSymmetricKey, type Placement, type Policy, type Revocation } from './policy-types.ts';

export const FACT_VALUES = {
  origin: ['absent', 'allowed', 'foreign', 'null'],
  placement: ['none', ...PLACEMENTS],
  scheme: ['bearer', 'bearer-odd-case', 'other', 'empty'],
  structure: ['jws', 'not-jwt', 'bad-base64url', 'wrong-segment-count', 'jwe', 'oversize'],
  alg: ['allowed', 'none', 'not-allowed', 'key-confusion'],
  // rotated-in / retired: a key added to / removed from the JWKS the target reads (kid
  // "jwks"); only the key-rotation phase makes them, in its timed sequence (model/rotation.ts).
  key: ['known', 'unknown-kid', 'attacker-jwk', 'attacker-jku', 'attacker-x5u', 'kid-injection', 'rotated-in', 'retired'],
  signature: ['valid', 'wrong-key', 'stripped', 'tampered'],
  exp: ['future', 'past', 'within-skew', 'missing', 'wrong-type'],
  nbf: ['absent', 'past', 'future'],
  iss: ['expected', 'wrong', 'missing'],
  aud: ['expected', 'wrong', 'missing'],
  typ: ['expected', 'wrong', 'missing'],
  sub: ['present', 'missing'],
  user: ['active', 'missing', 'inactive', 'lacks-role'],
  latency: ['within-budget', 'stalled'],
  // user-revoked: deactivated while connected (the first revocation the model had).
  session: ['client-closes', 'token-expires', 'user-revoked', 'auth-message-never-sent', 'user-deleted', 'user-role-removed'],
  // Observable only when the policy requires the claim.
  iat: ['present', 'missing'],
  jti: ['present', 'missing'],
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

/**
 * Facts, the noise, and optionally a spelling: which near miss of the expected value
 * the forge writes for one of the facts (`aud:containing`, `sub:case`, ...; see
 * conformance/cases/edge/). A spelling never changes the prediction: a near-miss
 * audience is a wrong audience, a near-miss subject a subject not in the directory.
 */
export type Facts = { [K in FactName]: FactValue<K> } & { noise: Noise; spelling?: string };

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
  iat: 'present',
  jti: 'present',
  noise: NO_NOISE,
};

export const FACT_NAMES = Object.keys(FACT_VALUES) as FactName[];

/** Key values only the key-rotation phase makes: never drawn by paths or fuzz. */
export const ROTATION_KEYS: ReadonlyArray<FactValue<'key'>> = ['rotated-in', 'retired'];

/**
 * The values of each fact that make sense under a policy: a fact the target cannot
 * observe (key confusion without an asymmetric key, a typ the target does not check)
 * is left at its canonical value.
 */
export function factDomains(policy: Policy): { [K in FactName]: ReadonlyArray<FactValue<K>> } {
  const all = { ...FACT_VALUES } as { [K in FactName]: ReadonlyArray<FactValue<K>> };
  const stateless = policy.users === 'stateless';
  const checked = <K extends 'iss' | 'aud' | 'typ'>(claim: K) => (claimCheck(policy, claim) === 'unchecked' ? (['expected'] as const) : all[claim]);
  return {
    ...all,
    origin: policy.allowedOrigins.length > 0 ? all.origin : ['absent'],
    // A header without a scheme holds the bare token: no scheme to get wrong.
    scheme: policy.credentials.header.scheme === null ? ['bearer', 'empty'] : all.scheme,
    structure: policy.maxTokenBytes === null ? all.structure.filter((s) => s !== 'oversize') : all.structure,
    alg: usesSymmetricKey(policy) ? all.alg.filter((a) => a !== 'key-confusion') : all.alg,
    key: all.key.filter((k) => !ROTATION_KEYS.includes(k)),
    iss: checked('iss'),
    aud: checked('aud'),
    typ: checked('typ'),
    sub: stateless && !requiresClaim(policy, 'sub') ? ['present'] : all.sub,
    iat: requiresClaim(policy, 'iat') ? all.iat : ['present'],
    jti: requiresClaim(policy, 'jti') ? all.jti : ['present'],
    user: stateless ? ['active'] : policy.requiredRole === null ? all.user.filter((u) => u !== 'lacks-role') : all.user,
    latency: stateless ? ['within-budget'] : all.latency,
    session: all.session.filter(
      (s) =>
        (s !== 'auth-message-never-sent' || policy.placements['first-message']) &&
        (revocationOf(s) === null || revocationsOf(policy).includes(revocationOf(s)!)) &&
        (s !== 'token-expires' || policy.session.closeAtExp),
    ),
  };
}

/** The session fact value of each revocation while connected. */
export const REVOCATION_SESSIONS = {
  deactivation: 'user-revoked',
  deletion: 'user-deleted',
  'role-removal': 'user-role-removed',
} as const satisfies Record<Revocation, FactValue<'session'>>;

/** The revocation a session fact value performs while connected, or null. */
export function revocationOf(session: FactValue<'session'>): Revocation | null {
  const found = Object.entries(REVOCATION_SESSIONS).find(([, value]) => value === session);
  return found ? (found[0] as Revocation) : null;
}

/** The canonical valid case under a policy: a required nbf is present (in the past). */
export function canonicalFor(policy: Policy): Facts {
  return requiresClaim(policy, 'nbf') ? { ...CANONICAL_FACTS, nbf: 'past' } : CANONICAL_FACTS;
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
  const claimDefect = (claim: 'iss' | 'aud' | 'typ') => {
    const mode = claimCheck(policy, claim);
    return (mode !== 'unchecked' && facts[claim] === 'wrong') || (mode === 'required' && facts[claim] === 'missing');
  };
  add('origin', policy.allowedOrigins.length > 0 && (facts.origin === 'foreign' || facts.origin === 'null'));
  add('placement', !placementEnabled(policy, facts.placement));
  add('scheme', facts.scheme === 'other' || facts.scheme === 'empty');
  add('structure', facts.structure !== 'jws' && (facts.structure !== 'oversize' || policy.maxTokenBytes !== null));
  add('alg', facts.alg !== 'allowed');
  // With kid ignored the one key verifies whatever kid a token names (a retired one too).
  const kidIgnored = policy.kid === 'ignored' && (facts.key === 'unknown-kid' || facts.key === 'retired');
  add('key', facts.key !== 'known' && facts.key !== 'rotated-in' && !kidIgnored);
  add('signature', facts.signature !== 'valid');
  add('exp', facts.exp === 'past' || facts.exp === 'wrong-type' || (facts.exp === 'missing' && requiresClaim(policy, 'exp')));
  add('nbf', facts.nbf === 'future' || (facts.nbf === 'absent' && requiresClaim(policy, 'nbf')));
  add('iss', claimDefect('iss'));
  add('aud', claimDefect('aud'));
  add('typ', claimDefect('typ'));
  add('sub', facts.sub === 'missing' && requiresClaim(policy, 'sub'));
  add('iat', facts.iat === 'missing' && requiresClaim(policy, 'iat'));
  add('jti', facts.jti === 'missing' && requiresClaim(policy, 'jti'));
  add(
    'user',
    policy.users === 'directory' && (facts.user === 'missing' || facts.user === 'inactive' || (facts.user === 'lacks-role' && policy.requiredRole !== null)),
  );
  return defects;
}
