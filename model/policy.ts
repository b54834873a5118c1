// The policy: what a target promises about its handshake authentication. The model,
// the reference backend and the engine all read this one shape.
import { createHash } from 'node:crypto';
import { HANDSHAKE_REASONS, isHandshakeReason, type HandshakeReason } from './reasons.ts';

export const PLACEMENTS = [
  'authorization-header',
  'subprotocol',
  'query',
  'cookie',
  'first-message',
] as const;
export type Placement = (typeof PLACEMENTS)[number];

export const PROFILES = ['default', 'rfc-strict'] as const;
export type ProfileName = (typeof PROFILES)[number];

export type HandshakeRejection = 'reject-401' | 'reject-403';

export const ALGORITHMS = ['HS256', 'RS256', 'ES256', 'EdDSA'] as const;
export type Algorithm = (typeof ALGORITHMS)[number];

export interface Policy {
  profile: ProfileName;
  /** Placements the target reads a credential from; others are ignored. */
  placements: Record<Placement, boolean>;
  /** Accepted JWS algorithms; HS* means a shared secret, the rest a JWKS. */
  algorithms: Algorithm[];
  issuer: string;
  audience: string;
  /** Expected JOSE `typ` header, or null when the target does not check it. */
  typ: string | null;
  /** Claims that must be present besides `iss`, `aud` and `sub` (always required: the user is looked up by `sub`). */
  requiredClaims: Array<'exp'>;
  clockSkewSeconds: number;
  /** Role the user must hold, or null for none. */
  requiredRole: string | null;
  /** Browser origins allowed to connect; a foreign or `null` Origin is refused. */
  allowedOrigins: string[];
  /** Time within which the target must answer the upgrade or release the socket. */
  handshakeDeadlineMs: number;
  /** Time after accept within which a first-message auth must arrive. */
  authWindowMs: number;
  /** Largest token the target must handle; a larger one is `token-oversize`. */
  maxTokenBytes: number;
  /** Reason -> outcome for the handshake; the profile's map with the target's overrides. */
  outcomes: Record<HandshakeReason, HandshakeRejection>;
}

/** What a policy file may contain: any field, outcomes as single overrides. */
export type PolicyInput = Partial<Omit<Policy, 'outcomes' | 'placements'>> & {
  placements?: Partial<Record<Placement, boolean>>;
  outcomes?: Partial<Record<HandshakeReason, HandshakeRejection>>;
};

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
    issuer: 'https://issuer.ws-auth-conformance.test',
    audience: 'ws-chat',
    typ: 'at+jwt',
    requiredClaims: ['exp'],
    clockSkewSeconds: 5,
    requiredRole: 'chat',
    allowedOrigins: ['https://app.ws-auth-conformance.test'],
    handshakeDeadlineMs: 1000,
    authWindowMs: 1000,
    maxTokenBytes: 8192,
    outcomes: profileOutcomes(profile),
  };
}

export class PolicyError extends Error {
  readonly code = 'ERR_POLICY';
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`policy.${field}: ${message}`);
    this.name = 'PolicyError';
  }
}

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
  for (const key of Object.keys(input.placements ?? {})) {
    if (!(PLACEMENTS as readonly string[]).includes(key)) {
      throw new PolicyError(`placements.${key}`, `unknown placement; use ${PLACEMENTS.join(', ')}`);
    }
  }
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
    outcomes: { ...base.outcomes, ...input.outcomes },
  };
  validate(policy);
  return policy;
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
  for (const field of ['issuer', 'audience'] as const) {
    if (typeof p[field] !== 'string' || p[field] === '') throw new PolicyError(field, 'a non-empty string');
  }
  if (p.typ !== null && (typeof p.typ !== 'string' || p.typ === '')) throw new PolicyError('typ', 'a non-empty string or null');
  for (const claim of p.requiredClaims) {
    if (claim !== 'exp') throw new PolicyError('requiredClaims', `"${claim}" is not optional-but-required; only "exp" may be listed`);
  }
  for (const field of ['clockSkewSeconds', 'handshakeDeadlineMs', 'authWindowMs', 'maxTokenBytes'] as const) {
    const v = p[field];
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new PolicyError(field, 'a non-negative number');
  }
  if (p.handshakeDeadlineMs === 0) throw new PolicyError('handshakeDeadlineMs', 'must be positive');
  if (!Object.values(p.placements).some(Boolean)) throw new PolicyError('placements', 'enable at least one placement');
  if (p.requiredRole !== null && typeof p.requiredRole !== 'string') throw new PolicyError('requiredRole', 'a string or null');
  if (!Array.isArray(p.allowedOrigins)) throw new PolicyError('allowedOrigins', 'an array of origins');
}

export function isSymmetric(alg: Algorithm): boolean {
  return alg.startsWith('HS');
}

export function usesSymmetricKey(policy: Policy): boolean {
  return policy.algorithms.every(isSymmetric);
}

/** Short stable digest, written into counterexamples so a replay can tell the contract changed. */
export function policyDigest(policy: Policy): string {
  return createHash('sha256').update(stableStringify(policy)).digest('hex').slice(0, 16);
}

function stableStringify(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableStringify(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
