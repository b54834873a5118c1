// Stage 3: the claims and the typ header of a verified token, with clock skew.
// Our own checks rather than jwtVerify's, so each defect maps to one reason code.
import type { Policy } from '../../model/policy.ts';
import type { HandshakeReason } from '../../model/reasons.ts';
import type { Claims, JoseHeader } from './verify-token.ts';

export type ClaimCheck = 'exp' | 'nbf' | 'iss' | 'aud' | 'typ' | 'sub';
export const ALL_CLAIM_CHECKS: readonly ClaimCheck[] = ['exp', 'nbf', 'iss', 'aud', 'typ', 'sub'];

const isNumericDate = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** Each check returns a reason when the token fails it. */
const CHECKS: Record<ClaimCheck, (h: JoseHeader, c: Claims, p: Policy, now: number) => HandshakeReason | null> = {
  exp: (_h, c, p, now) => {
    if (c.exp === undefined) return p.requiredClaims.includes('exp') ? 'exp-missing' : null;
    if (!isNumericDate(c.exp)) return 'exp-malformed';
    return now >= c.exp + p.clockSkewSeconds ? 'exp-expired' : null;
  },
  nbf: (_h, c, p, now) => {
    if (c.nbf === undefined) return null;
    if (!isNumericDate(c.nbf)) return 'token-malformed';
    return c.nbf > now + p.clockSkewSeconds ? 'nbf-future' : null;
  },
  iss: (_h, c, p) => (c.iss === undefined ? 'iss-missing' : c.iss === p.issuer ? null : 'iss-mismatch'),
  aud: (_h, c, p) => {
    if (c.aud === undefined) return 'aud-missing';
    const audiences = Array.isArray(c.aud) ? c.aud : [c.aud];
    return audiences.includes(p.audience) ? null : 'aud-mismatch';
  },
  typ: (h, _c, p) => {
    if (p.typ === null) return null;
    if (h.typ === undefined) return 'typ-missing';
    return typeof h.typ === 'string' && normaliseTyp(h.typ) === normaliseTyp(p.typ) ? null : 'typ-mismatch';
  },
  sub: (_h, c) => (typeof c.sub === 'string' && c.sub !== '' ? null : 'sub-missing'),
};

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
  return isNumericDate(claims.exp) ? (claims.exp + policy.clockSkewSeconds) * 1000 : null;
}
