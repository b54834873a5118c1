// Reason codes: why a connection attempt ended where it did. Every terminal state
// of the machine is named after exactly one reason, and every reason has one outcome
// under a given policy (see policy.ts for the profiles and overrides).

/** The profiles' outcomes; a policy may also declare any HTTP status or close code (below). */
export const OUTCOMES = ['accept', 'reject-401', 'reject-403', 'close-1008', 'timeout'] as const;
/** `reject-<status>`: HTTP status before the upgrade; `close-<code>`: 101, then a close frame. */
export type Outcome = (typeof OUTCOMES)[number] | `reject-${number}` | `close-${number}`;

/** The HTTP status of a `reject-<status>` outcome, else null. */
export function rejectStatus(outcome: Outcome): number | null {
  return outcome.startsWith('reject-') ? Number(outcome.slice('reject-'.length)) : null;
}

/** The close code of a `close-<code>` outcome, else null. */
export function closeCode(outcome: Outcome): number | null {
  return outcome.startsWith('close-') ? Number(outcome.slice('close-'.length)) : null;
}

/** Reasons decided before the upgrade: a target may map each to 401 or 403. */
export const HANDSHAKE_REASONS = [
  'origin-foreign',
  'origin-null',
  'credential-missing',
  'credential-empty',
  'credential-scheme',
  'token-malformed',
  'token-encrypted',
  'token-oversize',
  'alg-none',
  'alg-not-allowed',
  'alg-key-confusion',
  'key-unknown-kid',
  'key-attacker-supplied',
  'key-injection',
  'signature-wrong-key',
  'signature-stripped',
  'signature-tampered',
  'exp-expired',
  'exp-missing',
  'exp-malformed',
  'nbf-future',
  'nbf-missing',
  'iat-missing',
  'iss-mismatch',
  'iss-missing',
  'aud-mismatch',
  'aud-missing',
  'typ-mismatch',
  'typ-missing',
  'jti-missing',
  'sub-missing',
  'user-unknown',
  'user-inactive',
  'user-lacks-role',
] as const;
export type HandshakeReason = (typeof HANDSHAKE_REASONS)[number];

/**
 * Reasons decided by time or after the upgrade; their profile outcome is below, and a
 * policy may declare another (a close code, or for a stall an HTTP 5xx). Only
 * `client-closed` is fixed.
 */
export const FIXED_REASONS = {
  'dependency-timeout': 'timeout',
  'auth-message-invalid': 'close-1008',
  'auth-message-missing': 'close-1008',
  'auth-dependency-timeout': 'close-1008',
  'session-token-expired': 'close-1008',
  'session-user-revoked': 'close-1008',
  'client-closed': 'accept',
} as const satisfies Record<string, Outcome>;
export type FixedReason = keyof typeof FIXED_REASONS;

export type Reason = HandshakeReason | FixedReason;
export const REASONS: readonly Reason[] = [
  ...HANDSHAKE_REASONS,
  ...(Object.keys(FIXED_REASONS) as FixedReason[]),
];

export function isHandshakeReason(value: string): value is HandshakeReason {
  return (HANDSHAKE_REASONS as readonly string[]).includes(value);
}

export function isReason(value: string): value is Reason {
  return (REASONS as readonly string[]).includes(value);
}

/**
 * Reasons where no token was presented: RFC 6750 3.1 says the 401 challenge then
 * carries no error code; for every other 401, `error="invalid_token"`.
 */
export const NO_TOKEN_REASONS: readonly HandshakeReason[] = [
  'credential-missing',
  'credential-empty',
  'credential-scheme',
];

/** Reasons decided by the user directory: the subject's state, not the token. */
export const USER_REASONS: readonly HandshakeReason[] = ['user-unknown', 'user-inactive', 'user-lacks-role'];

/** One line per reason, used by the decision table and reports. */
export const REASON_DESCRIPTIONS: Record<Reason, string> = {
  'origin-foreign': 'Origin header not in the allowlist (cross-site WebSocket hijacking)',
  'origin-null': 'Origin: null (sandboxed or file page)',
  'credential-missing': 'no credential in any enabled placement',
  'credential-empty': 'credential present but empty',
  'credential-scheme': 'Authorization scheme other than Bearer',
  'token-malformed': 'not a compact JWS (segments, base64url, JSON)',
  'token-encrypted': 'a JWE where a JWS is expected',
  'token-oversize': 'token larger than the size limit',
  'alg-none': 'unsigned token (alg none, any case)',
  'alg-not-allowed': 'algorithm outside the allowlist',
  'alg-key-confusion': 'HMAC signed with the public key of an asymmetric key',
  'key-unknown-kid': 'kid names no known key',
  'key-attacker-supplied': 'key supplied by the token itself (jwk, jku, x5u)',
  'key-injection': 'kid crafted for path or SQL injection',
  'signature-wrong-key': 'signed with another key or secret',
  'signature-stripped': 'signature removed or truncated',
  'signature-tampered': 'payload changed after signing',
  'exp-expired': 'exp in the past beyond the clock skew',
  'exp-missing': 'required exp claim missing',
  'exp-malformed': 'exp is not a NumericDate',
  'nbf-future': 'nbf in the future beyond the clock skew',
  'nbf-missing': 'required nbf claim missing',
  'iat-missing': 'required iat claim missing',
  'iss-mismatch': 'issuer is not the expected one',
  'iss-missing': 'issuer missing',
  'aud-mismatch': 'audience is not this service',
  'aud-missing': 'audience missing',
  'typ-mismatch': 'typ header is not the expected one (e.g. an ID token)',
  'typ-missing': 'typ header missing',
  'jti-missing': 'required jti claim missing',
  'sub-missing': 'sub claim missing',
  'user-unknown': 'subject not in the user directory',
  'user-inactive': 'user deactivated',
  'user-lacks-role': 'user lacks the required role',
  'dependency-timeout': 'user lookup slower than the handshake deadline',
  'auth-message-invalid': 'first-message auth carried an invalid credential',
  'auth-message-missing': 'no auth message within the auth window',
  'auth-dependency-timeout': 'user lookup for the auth message slower than the window',
  'session-token-expired': 'token reached exp (+ skew) while the socket was open',
  'session-user-revoked': 'user deactivated, deleted or stripped of the required role while the socket was open',
  'client-closed': 'authenticated; the client closed normally',
};
