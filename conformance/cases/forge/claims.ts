// The claims and protected header a case's facts call for. Times keep a margin of at
// least 2 s from every skew boundary (fuzz-catalogue.md "Timing margins").
import type { Policy } from '../../../model/policy.ts';
import type { Facts } from '../facts-util.ts';

export interface ClaimsPlan {
  claims: Record<string, unknown>;
  /** Header fields besides alg and key selection. */
  typ: string | undefined;
  /** exp as a NumericDate, when present and numeric (the session watches it). */
  expSeconds: number | null;
}

/** Lead time of a token that is meant to expire during the session. */
export const SESSION_EXPIRY_LEAD_SECONDS = 1;

export function planClaims(facts: Facts, policy: Policy, userId: string, nowMs: number): ClaimsPlan {
  const now = Math.floor(nowMs / 1000);
  const skew = policy.clockSkewSeconds;
  const claims: Record<string, unknown> = {};
  if (facts.iss !== 'missing') claims.iss = facts.iss === 'expected' ? policy.issuer : 'https://other-issuer.ws-auth-conformance.test';
  if (facts.aud !== 'missing') claims.aud = facts.aud === 'expected' ? policy.audience : 'some-other-service';
  if (facts.sub === 'present') claims.sub = userId;
  if (facts.iat === 'present') claims.iat = now;
  if (facts.jti === 'present') claims.jti = `${userId}-${nowMs.toString(36)}`;
  let expSeconds: number | null = null;
  switch (facts.exp) {
    case 'future':
      expSeconds = facts.session === 'token-expires' ? Math.ceil(nowMs / 1000) + SESSION_EXPIRY_LEAD_SECONDS : now + 600;
      break;
    case 'past':
      expSeconds = now - skew - 120;
      break;
    case 'within-skew':
      expSeconds = now - Math.floor(skew / 2);
      break;
    case 'wrong-type':
      claims.exp = String(now + 600);
      break;
    case 'missing':
      break;
  }
  if (expSeconds !== null) claims.exp = expSeconds;
  if (facts.nbf === 'past') claims.nbf = now - 60;
  if (facts.nbf === 'future') claims.nbf = now + skew + 120;
  const typ = facts.typ === 'missing' ? undefined : facts.typ === 'expected' ? (policy.typ ?? 'JWT') : wrongTyp(policy.typ);
  return { claims, typ, expSeconds };
}

function wrongTyp(expected: string | null): string {
  return expected?.toLowerCase() === 'jwt' ? 'at+jwt' : 'JWT';
}
