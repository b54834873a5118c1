// What each rule of the SARIF output and the HTML report means: the checks and
// relations of the judge, and the hints (field-failure ids) that name a likely cause.
import { CHECKS } from '../judge/checks.ts';
import { RELATIONS } from '../relations/relations.ts';

export interface RuleText {
  id: string;
  name: string;
  short: string;
  full: string;
  help: string;
}

const FIX = 'Reproduce it with the replay command of its counterexample file; the curl line shows the handshake.';

/** Hints: the likely cause of a divergence and what to change. */
const HINTS: Record<string, [short: string, full: string, help: string]> = {
  'secret-mismatch': ['signing key mismatch', 'Tokens signed with the key the issuer uses are rejected.', 'Resolve the verification key from the same source as the token issuer; remove fallback secrets.'],
  'sig-403': ['401/403 confusion', 'A bad token is answered 403 Forbidden instead of 401 Unauthorized.', 'Answer 401 with WWW-Authenticate for any token or claim defect; keep 403 for a valid user lacking a role.'],
  'missing-user-accept': ['user lookup skipped', 'A subject that is not in the user directory is accepted.', 'Look the subject up in the directory before accepting the upgrade; refuse unknown users with 403.'],
  'inactive-accept': ['is_active not checked', 'A deactivated user is accepted.', 'Check the user\'s active flag at the handshake and refuse inactive users.'],
  'accept-then-1008': ['validation deferred past the handshake', 'The upgrade is accepted and the socket closed 1008 later where a refusal was due.', 'Validate the credential before answering 101; refuse with 401/403 instead of closing afterwards.'],
  'header-bypass': ['header bypass', 'An extra header (a "test fast path") changes the outcome; forged tokens pass with it.', 'Remove any code path keyed on request headers that skips token verification.'],
  'slow-auth-fail-open': ['fail-open under a slow dependency', 'A stalled user lookup ends in an accepted connection.', 'Fail closed when the auth dependency times out: refuse, never fall back to an unverified path.'],
  'no-deadline': ['no handshake deadline', 'A stalled dependency leaves the handshake without answer or close.', 'Put a deadline on the auth lookup and release the socket when it passes.'],
  'fake-token-403': ['non-JWT taken for a user', 'A string that is not a JWT is treated as the token of an unknown user (403).', 'Reject malformed tokens with 401 before any user lookup.'],
  'alg-none': ['alg none accepted', 'Unsigned tokens (alg "none") are accepted.', 'Pin the accepted algorithms in the verifier; never accept "none".'],
  'no-exp': ['exp not checked', 'Expired tokens, or tokens without exp, are accepted.', 'Require exp and check it (with the declared clock skew).'],
  'no-iss-aud': ['iss/aud not checked', 'Tokens for another issuer or service are accepted.', 'Verify iss and aud against the expected values.'],
  'no-session-expiry': ['session outlives its token', 'An open socket is not closed 1008 when its token expires.', 'Schedule a close 1008 at exp + skew for every accepted socket.'],
  'no-revocation': ['session outlives revocation', 'An open socket stays open after its user was deactivated, deleted or stripped of the required role.', 'Close sockets of revoked users with 1008 within the revocation window, for each way the policy\'s session.revocation lists.'],
  'deleted-kept-connected': ['deleted user kept connected', 'An open socket stays open after its user was deleted (sessions are closed on updates of a user, not on its deletion).', 'Close the sockets of a deleted user as for a deactivated one (listen for deletes too).'],
  'no-origin-check': ['Origin not checked', 'A foreign or null Origin is not refused before the credential is judged.', 'Check Origin against the allow-list first (cookie placement needs it against cross-site hijacking).'],
  'scheme-case-sensitive': ['scheme compared case-sensitively', 'The Authorization scheme in another letter case ("bearer", "BEARER") is refused.', 'Compare the auth scheme case-insensitively (RFC 9110 11.1).'],
  'mishandled-fact': ['one fact mishandled', 'One fact of the case, named in the message, makes the backend answer otherwise than the contract says; set back to its canonical value, the backend answers as predicted.', 'Handle the named fact as the contract says (often: refuse it with 401 instead of an error).'],
  'skipped-check': ['a check skipped', 'The backend answered as if one defect of the token or user were not there.', 'Add the missing check named in the message.'],
  'accepted-defect': ['accepted despite a defect', 'A case the model refuses was accepted.', 'Find the check the defect named in the message should have failed.'],
};

export function ruleText(id: string): RuleText {
  const hint = HINTS[id];
  if (hint) return { id, name: id, short: hint[0], full: hint[1], help: `${hint[2]} ${FIX}` };
  const check = [...CHECKS, ...RELATIONS].find((c) => c.id === id);
  if (check) return { id, name: id, short: `${id}: ${check.description}`.slice(0, 120), full: `Check ${id}: ${check.description}.`, help: `The case's findings say what was observed instead. ${FIX}` };
  return { id, name: id, short: id, full: `Divergence ${id}.`, help: FIX };
}

/** Every rule a run can report: all checks and relations, and every hint. */
export const ALL_RULE_IDS = [...CHECKS.map((c) => c.id), ...RELATIONS.map((r) => r.id), ...Object.keys(HINTS)];
