// Checking a policy's contents: each field's shape and allowed values, reported through
// `bad` so that resolvePolicy (policy.ts) can list every problem at once.
import { closeCode, isHandshakeReason, rejectStatus, type Outcome } from './reasons.ts';
import {
  ALGORITHMS,
  CHECKED_CLAIMS,
  CLAIM_CHECK_MODES,
  KID_MODES,
  REQUIRABLE_CLAIMS,
  REVOCATIONS,
  TOKEN_PLACEHOLDER,
  USER_MODES,
  isSymmetric,
  type CredentialWiring,
  type OverridableReason,
  type Policy,
  type PolicyInput,
} from './policy-types.ts';

export type Bad = (field: string, message: string) => void;

const WIRING_KEYS = ['header', 'query', 'cookie', 'subprotocol', 'requiredSubprotocols', 'firstMessage'];

export function mergeWiring(base: CredentialWiring, input: PolicyInput['credentials'], bad: Bad): CredentialWiring {
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

export function isObject(value: unknown): value is object {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function checkKeys(field: string, value: object | undefined, allowed: readonly string[], what: string, bad: Bad): void {
  if (value === undefined) return;
  if (!isObject(value)) return bad(field, 'an object');
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) bad(`${field}.${key}`, `${what}; use ${allowed.join(', ')}`);
  }
}

// Close codes a server may send (RFC 6455 7.4): not 1004-1006 or 1015, which never go on the wire.
const SENDABLE_CLOSE = (code: number) => Number.isInteger(code) && code >= 1000 && code <= 4999 && ![1004, 1005, 1006, 1015].includes(code);

/** What each kind of reason may be answered with. */
export function checkOutcome(reason: OverridableReason, outcome: unknown, bad: Bad): void {
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

export function validate(p: Policy, bad: Bad): void {
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
