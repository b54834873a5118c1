// The policy: what a target promises about its handshake authentication. The model,
// the reference backend and the engine all read this one shape (docs/policy.md).
import { createHash } from 'node:crypto';
import { FIXED_REASONS, HANDSHAKE_REASONS, REASONS, type Outcome, type Reason } from './reasons.ts';
import {
  CHECKED_CLAIMS,
  PLACEMENTS,
  PROFILES,
  REVOCATIONS,
  TOKEN_PLACEHOLDER,
  type CredentialWiring,
  type OverridableReason,
  type Policy,
  type PolicyInput,
  type ProfileName,
} from './policy-types.ts';
import { PolicyError, type PolicyProblem } from './errors.ts';
import { defaultJwksContract, resolveJwksContract } from './policy-jwks.ts';
import { checkKeys, checkOutcome, isObject, mergeWiring, validate } from './policy-checks.ts';

export * from './policy-types.ts';

const FORBIDDEN_BY_DEFAULT: readonly Reason[] = [
  'origin-foreign',
  'origin-null',
  'user-unknown',
  'user-inactive',
  'user-lacks-role',
];

const OVERRIDABLE_FIXED = (Object.keys(FIXED_REASONS) as Array<keyof typeof FIXED_REASONS>).filter((r): r is Exclude<typeof r, 'client-closed'> => r !== 'client-closed');

function profileOutcomes(profile: ProfileName): Record<OverridableReason, Outcome> {
  const map = {
    ...Object.fromEntries(HANDSHAKE_REASONS.map((r) => [r, FORBIDDEN_BY_DEFAULT.includes(r) ? 'reject-403' : 'reject-401'])),
    ...Object.fromEntries(OVERRIDABLE_FIXED.map((r) => [r, FIXED_REASONS[r]])),
  } as Record<OverridableReason, Outcome>;
  // RFC 6750 3.1: a token naming no known user is an invalid token.
  if (profile === 'rfc-strict') map['user-unknown'] = 'reject-401';
  return map;
}

function defaultWiring(): CredentialWiring {
  return {
    header: { name: 'Authorization', scheme: 'Bearer' },
    query: 'access_token',
    cookie: 'access_token',
    subprotocol: { marker: 'bearer', prefix: '' },
    requiredSubprotocols: [],
    firstMessage: { template: `{"type":"auth","token":"${TOKEN_PLACEHOLDER}"}` },
  };
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
    credentials: defaultWiring(),
    algorithms: ['HS256'],
    kid: 'required-matched',
    jwks: defaultJwksContract(),
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
    session: { closeAtExp: true, revocation: [...REVOCATIONS] },
    authWindowMs: 1000,
    maxTokenBytes: 8192,
    outcomes: profileOutcomes(profile),
  };
}

export { PolicyError };

/** Resolve a policy file's contents over its profile, rejecting anything unknown; every problem is reported at once. */
export function resolvePolicy(input: PolicyInput = {}): Policy {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new PolicyError('', 'expected a JSON object');
  }
  const problems: PolicyProblem[] = [];
  const bad = (field: string, message: string) => void problems.push({ field, message });
  let profile = input.profile ?? 'default';
  if (!PROFILES.includes(profile)) {
    bad('profile', `unknown profile "${profile}"; use one of ${PROFILES.join(', ')}`);
    profile = 'default';
  }
  const base = profilePolicy(profile);
  const known = new Set(Object.keys(base));
  const unknown = Object.keys(input).filter((key) => !known.has(key));
  for (const key of unknown) bad(key, `unknown field; known fields: ${[...known].join(', ')}`);
  checkKeys('placements', input.placements, PLACEMENTS, 'unknown placement', bad);
  checkKeys('session', input.session, ['closeAtExp', 'revocation'], 'unknown session rule', bad);
  checkKeys('claimChecks', input.claimChecks, CHECKED_CLAIMS, 'not a checked claim', bad);
  const overridable: readonly string[] = REASONS.filter((r) => r !== 'client-closed');
  checkKeys('outcomes', input.outcomes, overridable, 'not an overridable reason (client-closed is always accept)', bad);
  for (const [reason, outcome] of Object.entries(isObject(input.outcomes) ? input.outcomes : {})) {
    if (overridable.includes(reason)) checkOutcome(reason as OverridableReason, outcome, bad);
  }
  const knownInput = Object.fromEntries(Object.entries(input).filter(([key]) => known.has(key))) as PolicyInput;
  const policy: Policy = {
    ...base,
    ...knownInput,
    profile,
    placements: { ...base.placements, ...(isObject(input.placements) ? input.placements : {}) },
    claimChecks: { ...base.claimChecks, ...(isObject(input.claimChecks) ? input.claimChecks : {}) },
    credentials: mergeWiring(base.credentials, input.credentials, bad),
    session: { ...base.session, ...(isObject(input.session) ? input.session : {}) },
    jwks: resolveJwksContract(input.jwks, bad),
    outcomes: { ...base.outcomes, ...input.outcomes },
  };
  validate(policy, bad);
  const error = PolicyError.of(problems);
  if (error) throw error;
  return policy;
}

/**
 * Fields added after the first release count in the digest only when set away from
 * their default, so the digest of a policy written before them does not change.
 */
const LATER_FIELDS: Partial<Record<keyof Policy, unknown>> = {
  kid: 'required-matched',
  claimChecks: { iss: 'required', aud: 'required', typ: 'required' },
  users: 'directory',
  credentials: defaultWiring(),
  session: { closeAtExp: true },
  jwks: defaultJwksContract(),
};

/** Reasons added after the first release; likewise, their outcome counts only when overridden. */
const LATER_REASONS: readonly OverridableReason[] = ['nbf-missing', 'iat-missing', 'jti-missing', ...OVERRIDABLE_FIXED];

/** Short stable digest, written into counterexamples so a replay can tell the contract changed. */
export function policyDigest(policy: Policy): string {
  const digested: Record<string, unknown> = { ...policy };
  // session.revocation came later still: it counts only when it names fewer revocations.
  const { revocation, ...sessionRest } = policy.session;
  if (revocation.length === REVOCATIONS.length) digested.session = sessionRest;
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
