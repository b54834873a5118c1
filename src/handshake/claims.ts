// Stage 3: the claims and the typ header of a verified token, with clock skew.
// Our own checks rather than jwtVerify's, so each defect maps to one reason code.
import { claimCheck, requiresClaim, type CheckedClaim, type Policy } from '../../model/policy.ts';
import type { HandshakeReason } from '../../model/reasons.ts';
import type { Claims, JoseHeader } from './verify-token.ts';

export type ClaimCheck = 'exp' | 'nbf' | 'iat' | 'iss' | 'aud' | 'typ' | 'jti' | 'sub';
/** In the model's order (model/stages.ts), so the first defect found is the model's reason. */
export const ALL_CLAIM_CHECKS: readonly ClaimCheck[] = ['exp', 'nbf', 'iat', 'iss', 'aud', 'typ', 'jti', 'sub'];

const isNumericDate = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** Each check returns a reason when the token fails it. */
const CHECKS: Record<ClaimCheck, (h: JoseHeader, c: Claims, p: Policy, now: number) => HandshakeReason | null> = {
  exp: (_h, c, p, now) => {
    if (c.exp === undefined) return requiresClaim(p, 'exp') ? 'exp-missing' : null;
    if (!isNumericDate(c.exp)) return 'exp-malformed';
    return now >= c.exp + p.clockSkewSeconds ? 'exp-expired' : null;
  },
  nbf: (_h, c, p, now) => {
    if (c.nbf === undefined) return requiresClaim(p, 'nbf') ? 'nbf-missing' : null;
    if (!isNumericDate(c.nbf)) return 'token-malformed';
    return c.nbf > now + p.clockSkewSeconds ? 'nbf-future' : null;
  },
  iat: (_h, c, p) => (c.iat === undefined && requiresClaim(p, 'iat') ? 'iat-missing' : null),
  iss: (_h, c, p) => checked(p, 'iss', c.iss, (iss) => iss === p.issuer),
  aud: (_h, c, p) => checked(p, 'aud', c.aud, (aud) => (Array.isArray(aud) ? aud : [aud]).includes(p.audience)),
  typ: (h, _c, p) => checked(p, 'typ', h.typ, (typ) => typeof typ === 'string' && normaliseTyp(typ) === normaliseTyp(p.typ!)),
  jti: (_h, c, p) => (c.jti === undefined && requiresClaim(p, 'jti') ? 'jti-missing' : null),
  sub: (_h, c, p) => (typeof c.sub === 'string' && c.sub !== '') || (c.sub === undefined && !requiresClaim(p, 'sub')) ? null : 'sub-missing',
};

/** A claim checked as the policy says: required, when present, or not at all. */
function checked(p: Policy, claim: CheckedClaim, value: unknown, matches: (v: unknown) => boolean): HandshakeReason | null {
  const mode = claimCheck(p, claim);
  if (mode === 'unchecked') return null;
  if (value === undefined) return mode === 'required' ? (`${claim}-missing` as HandshakeReason) : null;
  return matches(value) ? null : (`${claim}-mismatch` as HandshakeReason);
}

// RFC 8725 3.11 / RFC 7515 4.1.9: media types compare case-insensitively, "application/" optional.
function normaliseTyp(typ: string): string {
  const lower = typ.toLowerCase();
  return lower.startsWith('application/') ? lower.slice('application/'.length) : lower;
}

export function validateClaims(
  header: JoseHeader,
  claims: Claims,
  policy: Policy,
  nowSeconds: number,
  checks: readonly ClaimCheck[] = ALL_CLAIM_CHECKS,
): HandshakeReason | null {
  for (const check of checks) {
    const reason = CHECKS[check](header, claims, policy, nowSeconds);
    if (reason) return reason;
  }
  return null;
}

/** When the session must end: `exp` + skew, in epoch milliseconds; null without `exp`. */
export function sessionDeadline(claims: Claims, policy: Policy): number | null {
  return policy.session.closeAtExp && isNumericDate(claims.exp) ? (claims.exp + policy.clockSkewSeconds) * 1000 : null;
}
