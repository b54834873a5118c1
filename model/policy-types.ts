// The vocabulary of a policy: placements, algorithms, and the switches with which a
// policy says what a real backend checks (docs/policy.md describes each field).
import type { Outcome, Reason } from './reasons.ts';
import type { JwksContract } from './policy-jwks.ts';

export type { JwksContract } from './policy-jwks.ts';

export const PLACEMENTS = ['authorization-header', 'subprotocol', 'query', 'cookie', 'first-message'] as const;
export type Placement = (typeof PLACEMENTS)[number];

export const PROFILES = ['default', 'rfc-strict'] as const;
export type ProfileName = (typeof PROFILES)[number];

/** Reasons whose outcome a policy sets: every reason but `client-closed` (always accept). */
export type OverridableReason = Exclude<Reason, 'client-closed'>;

/** Every JOSE signing algorithm of RFC 7518 and RFC 8037 that jose signs with. */
export const ALGORITHMS = [
  'HS256', 'HS384', 'HS512',
  'RS256', 'RS384', 'RS512',
  'PS256', 'PS384', 'PS512',
  'ES256', 'ES384', 'ES512',
  'EdDSA',
] as const;
export type Algorithm = (typeof ALGORITHMS)[number];

/**
 * How the target picks its verification key: `required-matched` (the token's kid must
 * name the target's key), `ignored` (one key verifies every token, whatever its kid),
 * `jwks` (the kid is looked up in a JWKS; unknown kids are refused).
 */
export const KID_MODES = ['required-matched', 'ignored', 'jwks'] as const;
export type KidMode = (typeof KID_MODES)[number];

/** How a claim is checked: present and equal; equal when present; not at all. */
export const CLAIM_CHECK_MODES = ['required', 'when-present', 'unchecked'] as const;
export type ClaimCheckMode = (typeof CLAIM_CHECK_MODES)[number];
export const CHECKED_CLAIMS = ['iss', 'aud', 'typ'] as const;
export type CheckedClaim = (typeof CHECKED_CLAIMS)[number];

/** Claims a policy may require to be present (iss, aud and typ have their own modes). */
export const REQUIRABLE_CLAIMS = ['exp', 'sub', 'iat', 'nbf', 'jti'] as const;
export type RequirableClaim = (typeof REQUIRABLE_CLAIMS)[number];

/** `directory`: users are looked up by `sub`; `stateless`: the token alone decides. */
export const USER_MODES = ['directory', 'stateless'] as const;
export type UserMode = (typeof USER_MODES)[number];

/**
 * Ways a user loses the right to an open session: deactivated (`is_active` false),
 * deleted (the row is gone), or stripped of the required role.
 */
export const REVOCATIONS = ['deactivation', 'deletion', 'role-removal'] as const;
export type Revocation = (typeof REVOCATIONS)[number];

/** What an open session is held to (docs/policy.md "session"). */
export interface SessionRules {
  /** Closed when the token reaches exp (+ skew), or not. */
  closeAtExp: boolean;
  /** The revocations the target notices while a socket is open, and closes it on. */
  revocation: Revocation[];
}

/** Where and how each placement carries the token (docs/policy.md "credentials"). */
export interface CredentialWiring {
  /** The header and its scheme; scheme null: the header holds the bare token (e.g. `X-Auth-Token`). */
  header: { name: string; scheme: string | null };
  /** Query parameter name. */
  query: string;
  /** Cookie name. */
  cookie: string;
  /** Offered as `[marker, prefix + token]`, or `[prefix + token]` when marker is null. */
  subprotocol: { marker: string | null; prefix: string };
  /** Subprotocols offered on every request (e.g. graphql-ws needs `graphql-transport-ws`). */
  requiredSubprotocols: string[];
  /** The first message, JSON with `{{token}}` where the token goes. */
  firstMessage: { template: string };
}

export const TOKEN_PLACEHOLDER = '{{token}}';

export interface Policy {
  profile: ProfileName;
  /** Placements the target reads a credential from; others are ignored. */
  placements: Record<Placement, boolean>;
  /** Names, scheme, subprotocols and first-message template of the placements. */
  credentials: CredentialWiring;
  /** Accepted JWS algorithms; HS* means a shared secret, the rest a JWKS. */
  algorithms: Algorithm[];
  /** How the token's kid selects the verification key. */
  kid: KidMode;
  /** With kid "jwks": how the backend refreshes its JWKS (unknown-kid refetch, cooldown, cache time). */
  jwks: JwksContract;
  issuer: string;
  audience: string;
  /** Expected JOSE `typ` header, or null when the target does not check it. */
  typ: string | null;
  /** How iss, aud and typ are checked. */
  claimChecks: Record<CheckedClaim, ClaimCheckMode>;
  /** Claims that must be present; `sub` is required anyway when users are looked up by it. */
  requiredClaims: RequirableClaim[];
  clockSkewSeconds: number;
  /** Whether users are looked up in a directory (by `sub`) or not at all. */
  users: UserMode;
  /** Role the user must hold, or null for none. */
  requiredRole: string | null;
  /** Browser origins allowed to connect; a foreign or `null` Origin is refused. */
  allowedOrigins: string[];
  /** Time within which the target must answer the upgrade or release the socket. */
  handshakeDeadlineMs: number;
  /** What an open session is held to: close at exp (+ skew), and on which revocations. */
  session: SessionRules;
  /** Time after accept within which a first-message auth must arrive. */
  authWindowMs: number;
  /** Largest token the target accepts; a larger one is `token-oversize`. null: no limit of its own. */
  maxTokenBytes: number | null;
  /** Reason -> outcome: the profile's map with the target's overrides (docs/policy.md "outcomes"). */
  outcomes: Record<OverridableReason, Outcome>;
}

/** What a policy file may contain: any field, outcomes as single overrides. */
export type PolicyInput = Partial<Omit<Policy, 'outcomes' | 'placements' | 'claimChecks' | 'credentials' | 'session' | 'jwks'>> & {
  session?: Partial<Policy['session']>;
  jwks?: Partial<JwksContract>;
  credentials?: Partial<Omit<CredentialWiring, 'header' | 'subprotocol' | 'firstMessage'>> & {
    header?: Partial<CredentialWiring['header']>;
    subprotocol?: Partial<CredentialWiring['subprotocol']>;
    firstMessage?: Partial<CredentialWiring['firstMessage']>;
  };
  placements?: Partial<Record<Placement, boolean>>;
  claimChecks?: Partial<Record<CheckedClaim, ClaimCheckMode>>;
  outcomes?: Partial<Record<OverridableReason, Outcome>>;
};

export function isSymmetric(alg: Algorithm): boolean {
  return alg.startsWith('HS');
}

export function usesSymmetricKey(policy: Pick<Policy, 'algorithms'>): boolean {
  return policy.algorithms.every(isSymmetric);
}

/** The mode a claim is checked with: a null `typ` means not checked. */
export function claimCheck(policy: Policy, claim: CheckedClaim): ClaimCheckMode {
  if (claim === 'typ' && policy.typ === null) return 'unchecked';
  return policy.claimChecks[claim];
}

/** Whether the target refuses a token without `claim`. */
export function requiresClaim(policy: Policy, claim: RequirableClaim): boolean {
  if (claim === 'sub' && policy.users === 'directory') return true;
  return policy.requiredClaims.includes(claim);
}

/**
 * The revocations a case can exercise under a policy: none without a directory, and no
 * role removal without a required role (there is no role to lose).
 */
export function revocationsOf(policy: Policy): Revocation[] {
  if (policy.users === 'stateless') return [];
  return REVOCATIONS.filter((r) => policy.session.revocation.includes(r) && (r !== 'role-removal' || policy.requiredRole !== null));
}
