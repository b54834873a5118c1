// The claims and protected header a case's facts call for. Times keep a margin of at
// least 2 s from every skew boundary (fuzz-catalogue.md "Timing margins").
import type { Policy } from '../../../model/policy.ts';
import type { Facts } from '../facts-util.ts';
import { nearMiss, type NearMissForm } from '../edge/near-miss.ts';
import { spellingOf } from '../edge/spellings.ts';

export interface ClaimsPlan {
  claims: Record<string, unknown>;
  /** The typ header (a near miss may be no string at all); undefined: none. */
  typ: unknown;
  /** exp as a NumericDate, when present and numeric (the session watches it). */
  expSeconds: number | null;
}

/** Lead time of a token that is meant to expire during the session. */
export const SESSION_EXPIRY_LEAD_SECONDS = 1;

export function planClaims(facts: Facts, policy: Policy, userId: string, nowMs: number): ClaimsPlan {
  const now = Math.floor(nowMs / 1000);
  const skew = policy.clockSkewSeconds;
  const claims: Record<string, unknown> = {};
  const iss = spellingOf(facts, 'iss');
  // A subject spelled near an active user's id stands for user=missing, and only then.
  const sub = facts.user === 'missing' ? spellingOf(facts, 'sub') : null;
  if (facts.iss !== 'missing') claims.iss = facts.iss === 'expected' ? policy.issuer : iss ? nearMiss(policy.issuer, iss as NearMissForm) : 'https://other-issuer.ws-auth-conformance.test';
  if (facts.aud !== 'missing') claims.aud = audience(facts, policy.audience);
  if (facts.sub === 'present') claims.sub = sub ? nearMiss(userId, sub as NearMissForm) : userId;
  if (facts.iat === 'present') claims.iat = now;
  if (facts.jti === 'present') claims.jti = `${userId}-${nowMs.toString(36)}`;
  let expSeconds: number | null = null;
  const exp = spellingOf(facts, 'exp');
  switch (facts.exp) {
    case 'future':
      expSeconds = facts.session === 'token-expires' ? Math.ceil(nowMs / 1000) + SESSION_EXPIRY_LEAD_SECONDS : now + 600;
      if (exp === 'float') expSeconds += 0.5;
      // Year 33658: still a NumericDate, past any 32-bit or millisecond confusion.
      if (exp === 'huge') expSeconds = 1e12;
      break;
    case 'past':
      // 0 and negatives are past dates, not "no exp"; the skew edge lies just beyond the skew (time only moves away from it).
      expSeconds = exp === 'zero' ? 0 : exp === 'negative' ? -1 : exp === 'skew-edge' ? now - skew - SKEW_EDGE_SECONDS : now - skew - 120;
      break;
    case 'within-skew':
      expSeconds = now - Math.floor(skew / 2);
      break;
    case 'wrong-type':
      claims.exp = wrongTypeExp(exp, now + 600);
      break;
    case 'missing':
      break;
  }
  if (expSeconds !== null) claims.exp = expSeconds;
  if (facts.nbf === 'past') claims.nbf = now - 60;
  if (facts.nbf === 'future') claims.nbf = now + skew + (spellingOf(facts, 'nbf') === 'skew-edge' ? NBF_EDGE_SECONDS : 120);
  const typSpelling = spellingOf(facts, 'typ');
  const typ =
    facts.typ === 'missing' ? undefined : facts.typ === 'expected' ? (policy.typ ?? 'JWT') : typSpelling ? nearMiss(policy.typ ?? 'JWT', typSpelling as NearMissForm) : wrongTyp(policy.typ);
  return { claims, typ, expSeconds };
}

/**
 * How far beyond the skew the edge cases lie. exp: time only moves away from the
 * boundary, so 3 s is safe however slow the machine. nbf: time moves towards it, so
 * the margin is wider than any handshake (yet far inside a 60 s leeway).
 */
export const SKEW_EDGE_SECONDS = 3;
export const NBF_EDGE_SECONDS = 20;

function audience(facts: Facts, expected: string): unknown {
  const form = spellingOf(facts, 'aud');
  if (facts.aud === 'expected') {
    if (form === 'array') return [expected];
    if (form === 'array-with') return ['some-other-service', expected];
    return expected;
  }
  if (form === 'array-without') return ['some-other-service', `x${expected}x`];
  return form ? nearMiss(expected, form as NearMissForm) : 'some-other-service';
}

function wrongTypeExp(form: string | null, future: number): unknown {
  switch (form) {
    case 'null':
      return null;
    case 'boolean':
      return true;
    case 'array':
      return [future];
    case 'object':
      return { exp: future };
    case 'numeric-string':
      return `${future}.0`;
    default:
      return String(future);
  }
}

function wrongTyp(expected: string | null): string {
  return expected?.toLowerCase() === 'jwt' ? 'at+jwt' : 'JWT';
}
