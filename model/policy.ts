// The policy: what a target promises about its handshake authentication. The model,
// the reference backend and the engine all read this one shape (docs/policy.md).
import { createHash } from 'node:crypto';
import { FIXED_REASONS, HANDSHAKE_REASONS, REASONS, closeCode, isHandshakeReason, rejectStatus, type Outcome, type Reason } from './reasons.ts';
import {
  ALGORITHMS,
  CHECKED_CLAIMS,
  CLAIM_CHECK_MODES,
  KID_MODES,
  PLACEMENTS,
  PROFILES,
  REQUIRABLE_CLAIMS,
  REVOCATIONS,
  USER_MODES,
  isSymmetric,
  type OverridableReason,
  type CredentialWiring,
  TOKEN_PLACEHOLDER,
  type Policy,
  type PolicyInput,
  type ProfileName,
} from './policy-types.ts';
import { PolicyError, type PolicyProblem } from './errors.ts';
import { defaultJwksContract, resolveJwksContract } from './policy-jwks.ts';

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

type Bad = (field: string, message: string) => void;

const WIRING_KEYS = ['header', 'query', 'cookie', 'subprotocol', 'requiredSubprotocols', 'firstMessage'];

function mergeWiring(base: CredentialWiring, input: PolicyInput['credentials'], bad: Bad): CredentialWiring {
  if (input === undefined) return base;
  checkKeys('credentials', input, WIRING_KEYS, 'unknown credential field', bad);
  if (!isObject(input)) return base;
  checkKeys('credentials.header', input.header, ['name', 'scheme'], 'unknown field', bad);
  checkKeys('credentials.subprotocol', input.subprotocol, ['marker', 'prefix'], 'unknown field', bad);
  checkKeys('credentials.firstMessage', input.firstMessage, ['template'], 'unknown field', bad);
  const part = <T extends object>(v: unknown) => (isObject(v) ? (v as Partial<T>) : {});
  return {
    ...base,
    ...input,
    header: { ...base.header, ...part<CredentialWiring['header']>(input.header) },
    subprotocol: { ...base.subprotocol, ...part<CredentialWiring['subprotocol']>(input.subprotocol) },
    firstMessage: { ...base.firstMessage, ...part<CredentialWiring['firstMessage']>(input.firstMessage) },
  };
}

// RFC 9110 5.1 / 5.6.2: header and cookie names, query names and subprotocols are tokens.
const TOKEN_CHARS = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

function validateWiring(w: CredentialWiring, bad: Bad): void {
  const name = (field: string, v: unknown) => (typeof v !== 'string' || !TOKEN_CHARS.test(v)) && bad(`credentials.${field}`, 'a non-empty token (letters, digits, !#$%&\'*+.^_`|~-)');
  name('header.name', w.header.name);
  if (w.header.scheme !== null) name('header.scheme', w.header.scheme);
  name('query', w.query);
  name('cookie', w.cookie);
  if (w.subprotocol.marker !== null) name('subprotocol.marker', w.subprotocol.marker);
  if (typeof w.subprotocol.prefix !== 'string' || (w.subprotocol.prefix !== '' && !TOKEN_CHARS.test(w.subprotocol.prefix))) bad('credentials.subprotocol.prefix', 'a string of token characters, or ""');
  if (!Array.isArray(w.requiredSubprotocols)) bad('credentials.requiredSubprotocols', 'an array of subprotocol names');
  else w.requiredSubprotocols.forEach((p, i) => name(`requiredSubprotocols.${i}`, p));
  const t = w.firstMessage.template;
  if (typeof t !== 'string' || t.split(TOKEN_PLACEHOLDER).length !== 2) {
    bad('credentials.firstMessage.template', `JSON with ${TOKEN_PLACEHOLDER} exactly once, e.g. {"type":"connection_init","payload":{"token":"${TOKEN_PLACEHOLDER}"}}`);
  } else {
    try {
      JSON.parse(t.replace(TOKEN_PLACEHOLDER, 'x'));
    } catch {
      bad('credentials.firstMessage.template', `not JSON once ${TOKEN_PLACEHOLDER} is replaced (put it inside a JSON string)`);
    }
  }
}

function isObject(value: unknown): value is object {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function checkKeys(field: string, value: object | undefined, allowed: readonly string[], what: string, bad: Bad): void {
  if (value === undefined) return;
  if (!isObject(value)) return bad(field, 'an object');
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) bad(`${field}.${key}`, `${what}; use ${allowed.join(', ')}`);
  }
}

// Close codes a server may send (RFC 6455 7.4): not 1004-1006 or 1015, which never go on the wire.
const SENDABLE_CLOSE = (code: number) => Number.isInteger(code) && code >= 1000 && code <= 4999 && ![1004, 1005, 1006, 1015].includes(code);

/** What each kind of reason may be answered with. */
function checkOutcome(reason: OverridableReason, outcome: unknown, bad: Bad): void {
  const fail = (allowed: string) => bad(`outcomes.${reason}`, `${JSON.stringify(outcome)} is not allowed here; use ${allowed}`);
  const text = typeof outcome === 'string' ? outcome : '';
  const status = /^reject-\d{3}$/.test(text) ? rejectStatus(text as Outcome) : null;
  const close = /^close-\d{4}$/.test(text) ? closeCode(text as Outcome) : null;
  const okClose = close !== null && SENDABLE_CLOSE(close);
  if (isHandshakeReason(reason)) {
    if (!((status !== null && status >= 400 && status <= 599) || okClose)) fail('"reject-<4xx|5xx>" (e.g. "reject-401", "reject-413") or "close-<code>" (accept, then close, e.g. "close-4401")');
  } else if (reason === 'dependency-timeout') {
    if (!(text === 'timeout' || (status !== null && status >= 500 && status <= 599) || okClose)) fail('"timeout", "reject-<5xx>" (e.g. "reject-503") or "close-<code>"');
  } else if (!okClose) {
    fail('"close-<code>" (e.g. "close-1008", "close-4403")');
  }
}

function oneOf<T extends string>(field: string, value: unknown, allowed: readonly T[], bad: Bad): void {
  if (!allowed.includes(value as T)) bad(field, `${JSON.stringify(value)} is not one of ${allowed.join(', ')}`);
}

function validate(p: Policy, bad: Bad): void {
  validateWiring(p.credentials, bad);
  if (typeof p.session.closeAtExp !== 'boolean') bad('session.closeAtExp', 'true or false');
  const revocation: unknown = p.session.revocation;
  if (!Array.isArray(revocation) || revocation.some((r) => !REVOCATIONS.includes(r)) || new Set(revocation).size !== revocation.length) {
    bad('session.revocation', `an array of distinct values among ${REVOCATIONS.join(', ')} (the revocations the target closes an open socket on; [] for none)`);
  }
  if (!Array.isArray(p.algorithms) || p.algorithms.length === 0) {
    bad('algorithms', `at least one of ${ALGORITHMS.join(', ')}`);
  } else {
    for (const alg of p.algorithms) {
      if (!ALGORITHMS.includes(alg)) bad('algorithms', `unsupported "${alg}"; use ${ALGORITHMS.join(', ')}`);
    }
    if (p.algorithms.some(isSymmetric) && p.algorithms.some((a) => !isSymmetric(a))) {
      bad('algorithms', 'mix of HMAC and asymmetric algorithms; a target verifies with one kind of key');
    }
    if (p.kid === 'jwks' && p.algorithms.every(isSymmetric)) bad('kid', '"jwks" needs asymmetric algorithms (a JWKS holds public keys)');
  }
  oneOf('kid', p.kid, KID_MODES, bad);
  for (const field of ['issuer', 'audience'] as const) {
    if (typeof p[field] !== 'string' || p[field] === '') bad(field, 'a non-empty string');
  }
  if (p.typ !== null && (typeof p.typ !== 'string' || p.typ === '')) bad('typ', 'a non-empty string or null');
  for (const claim of CHECKED_CLAIMS) oneOf(`claimChecks.${claim}`, p.claimChecks[claim], CLAIM_CHECK_MODES, bad);
  if (!Array.isArray(p.requiredClaims)) {
    bad('requiredClaims', `an array of ${REQUIRABLE_CLAIMS.join(', ')}`);
  } else {
    for (const claim of p.requiredClaims) {
      if (!REQUIRABLE_CLAIMS.includes(claim)) {
        bad('requiredClaims', `"${claim}" cannot be listed; use ${REQUIRABLE_CLAIMS.join(', ')} (iss, aud and typ have claimChecks)`);
      }
    }
  }
  oneOf('users', p.users, USER_MODES, bad);
  if (p.users === 'stateless' && p.requiredRole !== null) {
    bad('requiredRole', 'must be null when users is "stateless" (there is no user to hold a role)');
  }
  for (const field of ['clockSkewSeconds', 'handshakeDeadlineMs', 'authWindowMs'] as const) {
    const v = p[field];
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) bad(field, 'a non-negative number');
  }
  if (p.maxTokenBytes !== null && (typeof p.maxTokenBytes !== 'number' || !Number.isInteger(p.maxTokenBytes) || p.maxTokenBytes < 256)) {
    bad('maxTokenBytes', 'a whole number of bytes (at least 256), or null for no limit');
  }
  if (p.handshakeDeadlineMs === 0) bad('handshakeDeadlineMs', 'must be positive');
  if (!Object.values(p.placements).some(Boolean)) bad('placements', 'enable at least one placement');
  if (p.requiredRole !== null && typeof p.requiredRole !== 'string') bad('requiredRole', 'a string or null');
  if (!Array.isArray(p.allowedOrigins)) bad('allowedOrigins', 'an array of origins');
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
