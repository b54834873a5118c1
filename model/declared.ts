// Weaker contracts a policy declares: checks the target does not make (kid ignored,
// no size limit, iss checked only when present, ...). The model already predicts what
// such a target does, so these never show up as divergences; a report names each one
// once, so a reader sees what the run did not hold the target to.
import { CHECKED_CLAIMS, REVOCATIONS, claimCheck, requiresClaim, type Policy } from './policy-types.ts';

export interface DeclaredContract {
  /** Stable id, e.g. `kid-ignored`, `iss-when-present`, `no-size-limit`. */
  id: string;
  /** The policy field that declares it. */
  field: string;
  text: string;
}

export function declaredContracts(policy: Policy): DeclaredContract[] {
  const out: DeclaredContract[] = [];
  const add = (id: string, field: string, text: string) => out.push({ id, field, text });
  if (policy.kid === 'ignored') add('kid-ignored', 'kid', 'kid ignored: one key verifies every token, whatever kid it names');
  if (policy.kid === 'jwks' && !policy.jwks.refreshOnUnknownKid) {
    add('jwks-no-refresh', 'jwks.refreshOnUnknownKid', policy.jwks.maxAgeMs === null ? 'JWKS not refetched: a new key is used only after a restart (no new-key case)' : 'JWKS not refetched on an unknown kid: a new key is used only once the cached set ages out (jwks.maxAgeMs)');
  }
  if (policy.kid === 'jwks' && policy.jwks.maxAgeMs === null) add('jwks-removed-key-kept', 'jwks.maxAgeMs', 'JWKS cached until restart: a key removed from the JWKS stays accepted (no removed-key case)');
  for (const claim of CHECKED_CLAIMS) {
    const mode = claimCheck(policy, claim);
    const field = claim === 'typ' && policy.typ === null ? 'typ' : `claimChecks.${claim}`;
    if (mode === 'when-present') add(`${claim}-when-present`, field, `${claim} checked only when present: a token without ${claim} is accepted`);
    if (mode === 'unchecked') add(`${claim}-unchecked`, field, `${claim} not checked: any ${claim}, or none, is accepted`);
  }
  if (!requiresClaim(policy, 'exp')) add('exp-optional', 'requiredClaims', 'exp not required: a token without exp is accepted and never expires');
  if (!requiresClaim(policy, 'sub')) add('sub-optional', 'requiredClaims', 'sub not required: a token without sub is accepted');
  if (!policy.session.closeAtExp) add('no-session-expiry', 'session.closeAtExp', 'no close at exp: an open session outlives its token (expiry-while-connected cases are not generated)');
  for (const r of REVOCATIONS) {
    const applies = policy.users === 'directory' && (r !== 'role-removal' || policy.requiredRole !== null);
    if (applies && !policy.session.revocation.includes(r)) {
      add(`no-close-on-${r}`, 'session.revocation', `no close on ${r} while connected: an open session outlives its user's ${r} (those cases are not generated)`);
    }
  }
  if (policy.maxTokenBytes === null) add('no-size-limit', 'maxTokenBytes', 'no token size limit of its own: oversize tokens are not generated');
  if (policy.users === 'stateless') {
    add('stateless', 'users', 'stateless: no user directory, so unknown, inactive and role-less users, stalled lookups and revocation are not generated');
  }
  if (policy.allowedOrigins.length === 0) add('no-origin-check', 'allowedOrigins', 'no Origin allowlist: foreign and null Origins are accepted');
  return out;
}
