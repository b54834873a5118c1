// The policy: what a target promises about its handshake authentication. The model,
// the reference backend and the engine all read this one shape (docs/policy.md).
import { createHash } from 'node:crypto';
import { HANDSHAKE_REASONS, isHandshakeReason, type HandshakeReason } from './reasons.ts';
import {
  ALGORITHMS,
  CHECKED_CLAIMS,
  CLAIM_CHECK_MODES,
  KID_MODES,
  PLACEMENTS,
  PROFILES,
  REQUIRABLE_CLAIMS,
  USER_MODES,
  isSymmetric,
  type HandshakeRejection,
  type Policy,
  type PolicyInput,
  type ProfileName,
} from './policy-types.ts';
import { PolicyError } from './errors.ts';

export * from './policy-types.ts';

const FORBIDDEN_BY_DEFAULT: readonly HandshakeReason[] = [
  'origin-foreign',
  'origin-null',
  'user-unknown',
  'user-inactive',
  'user-lacks-role',
];

function profileOutcomes(profile: ProfileName): Record<HandshakeReason, HandshakeRejection> {
  const map = Object.fromEntries(
    HANDSHAKE_REASONS.map((r) => [r, FORBIDDEN_BY_DEFAULT.includes(r) ? 'reject-403' : 'reject-401']),
  ) as Record<HandshakeReason, HandshakeRejection>;
  // RFC 6750 3.1: a token naming no known user is an invalid token.
  if (profile === 'rfc-strict') map['user-unknown'] = 'reject-401';
  return map;
}

export function profilePolicy(profile: ProfileName): Policy {
  return {
    profile,
    placements: {
      'authorization-header': true,
      subprotocol: true,
      query: false, // tokens in URLs end up in access logs
      cookie: true,
      // Off by default: with it on, a request without a credential must be upgraded
      // (the credential may still come), so "no token" cannot be answered with 401.
      'first-message': false,
    },
    algorithms: ['HS256'],
    kid: 'required-matched',
    issuer: 'https://issuer.ws-auth-conformance.test',
    audience: 'ws-chat',
    typ: 'at+jwt',
    claimChecks: { iss: 'required', aud: 'required', typ: 'required' },
    requiredClaims: ['exp'],
    clockSkewSeconds: 5,
    users: 'directory',
    requiredRole: 'chat',
    allowedOrigins: ['https://app.ws-auth-conformance.test'],
    handshakeDeadlineMs: 1000,
    authWindowMs: 1000,
    maxTokenBytes: 8192,
    outcomes: profileOutcomes(profile),
  };
}

export { PolicyError };

/** Resolve a policy file's contents over its profile, rejecting anything unknown. */
export function resolvePolicy(input: PolicyInput = {}): Policy {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new PolicyError('', 'expected a JSON object');
  }
  const profile = input.profile ?? 'default';
  if (!PROFILES.includes(profile)) {
    throw new PolicyError('profile', `unknown profile "${profile}"; use one of ${PROFILES.join(', ')}`);
  }
  const base = profilePolicy(profile);
  const known = new Set(Object.keys(base));
  for (const key of Object.keys(input)) {
    if (!known.has(key)) throw new PolicyError(key, `unknown field; known fields: ${[...known].join(', ')}`);
  }
  checkKeys('placements', input.placements, PLACEMENTS, 'unknown placement');
  checkKeys('claimChecks', input.claimChecks, CHECKED_CLAIMS, 'not a checked claim');
  for (const [reason, outcome] of Object.entries(input.outcomes ?? {})) {
    if (!isHandshakeReason(reason)) {
      throw new PolicyError(`outcomes.${reason}`, 'not an overridable reason (handshake reasons only)');
    }
    if (outcome !== 'reject-401' && outcome !== 'reject-403') {
      throw new PolicyError(`outcomes.${reason}`, `must be "reject-401" or "reject-403", got ${JSON.stringify(outcome)}`);
    }
  }
  const policy: Policy = {
    ...base,
    ...input,
    profile,
    placements: { ...base.placements, ...input.placements },
    claimChecks: { ...base.claimChecks, ...input.claimChecks },
    outcomes: { ...base.outcomes, ...input.outcomes },
  };
  validate(policy);
  return policy;
}

function checkKeys(field: string, value: object | undefined, allowed: readonly string[], what: string): void {
  if (value === undefined) return;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new PolicyError(field, 'an object');
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) throw new PolicyError(`${field}.${key}`, `${what}; use ${allowed.join(', ')}`);
  }
}

function oneOf<T extends string>(field: string, value: unknown, allowed: readonly T[]): void {
  if (!allowed.includes(value as T)) throw new PolicyError(field, `${JSON.stringify(value)} is not one of ${allowed.join(', ')}`);
}

function validate(p: Policy): void {
  if (!Array.isArray(p.algorithms) || p.algorithms.length === 0) {
    throw new PolicyError('algorithms', `at least one of ${ALGORITHMS.join(', ')}`);
  }
  for (const alg of p.algorithms) {
    if (!ALGORITHMS.includes(alg)) throw new PolicyError('algorithms', `unsupported "${alg}"; use ${ALGORITHMS.join(', ')}`);
  }
  if (p.algorithms.some(isSymmetric) && p.algorithms.some((a) => !isSymmetric(a))) {
    throw new PolicyError('algorithms', 'mix of HMAC and asymmetric algorithms; a target verifies with one kind of key');
  }
  oneOf('kid', p.kid, KID_MODES);
  if (p.kid === 'jwks' && p.algorithms.every(isSymmetric)) throw new PolicyError('kid', '"jwks" needs asymmetric algorithms (a JWKS holds public keys)');
  for (const field of ['issuer', 'audience'] as const) {
    if (typeof p[field] !== 'string' || p[field] === '') throw new PolicyError(field, 'a non-empty string');
  }
  if (p.typ !== null && (typeof p.typ !== 'string' || p.typ === '')) throw new PolicyError('typ', 'a non-empty string or null');
  for (const claim of CHECKED_CLAIMS) oneOf(`claimChecks.${claim}`, p.claimChecks[claim], CLAIM_CHECK_MODES);
  if (!Array.isArray(p.requiredClaims)) throw new PolicyError('requiredClaims', `an array of ${REQUIRABLE_CLAIMS.join(', ')}`);
  for (const claim of p.requiredClaims) {
    if (!REQUIRABLE_CLAIMS.includes(claim)) {
      throw new PolicyError('requiredClaims', `"${claim}" cannot be listed; use ${REQUIRABLE_CLAIMS.join(', ')} (iss, aud and typ have claimChecks)`);
    }
  }
  oneOf('users', p.users, USER_MODES);
  if (p.users === 'stateless' && p.requiredRole !== null) {
    throw new PolicyError('requiredRole', 'must be null when users is "stateless" (there is no user to hold a role)');
  }
  for (const field of ['clockSkewSeconds', 'handshakeDeadlineMs', 'authWindowMs'] as const) {
    const v = p[field];
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new PolicyError(field, 'a non-negative number');
  }
  if (p.maxTokenBytes !== null && (typeof p.maxTokenBytes !== 'number' || !Number.isInteger(p.maxTokenBytes) || p.maxTokenBytes < 256)) {
    throw new PolicyError('maxTokenBytes', 'a whole number of bytes (at least 256), or null for no limit');
  }
  if (p.handshakeDeadlineMs === 0) throw new PolicyError('handshakeDeadlineMs', 'must be positive');
  if (!Object.values(p.placements).some(Boolean)) throw new PolicyError('placements', 'enable at least one placement');
  if (p.requiredRole !== null && typeof p.requiredRole !== 'string') throw new PolicyError('requiredRole', 'a string or null');
  if (!Array.isArray(p.allowedOrigins)) throw new PolicyError('allowedOrigins', 'an array of origins');
}

/**
 * Fields added after the first release count in the digest only when set away from
 * their default, so the digest of a policy written before them does not change.
 */
const LATER_FIELDS: Partial<Policy> = {
  kid: 'required-matched',
  claimChecks: { iss: 'required', aud: 'required', typ: 'required' },
  users: 'directory',
};

/** Reasons added after the first release; likewise, their outcome counts only when overridden. */
const LATER_REASONS: readonly HandshakeReason[] = ['nbf-missing', 'iat-missing', 'jti-missing'];

/** Short stable digest, written into counterexamples so a replay can tell the contract changed. */
export function policyDigest(policy: Policy): string {
  const digested: Record<string, unknown> = { ...policy };
  for (const [field, value] of Object.entries(LATER_FIELDS)) {
    if (stableStringify(digested[field]) === stableStringify(value)) delete digested[field];
  }
  const outcomes: Record<string, unknown> = { ...policy.outcomes };
  const base = profileOutcomes(policy.profile);
  for (const reason of LATER_REASONS) if (outcomes[reason] === base[reason]) delete outcomes[reason];
  digested.outcomes = outcomes;
  return createHash('sha256').update(stableStringify(digested)).digest('hex').slice(0, 16);
}

function stableStringify(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableStringify(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
