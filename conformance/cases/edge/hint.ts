// What a divergence of an edge case says: the near miss (or the identity header) was let
// in, or a valid spelling (an aud array holding ours, a fractional exp) was refused.
// Used by the judge's hints (judge/hints.ts).
import type { FieldFailureId } from '../../../model/field-failures.ts';
import type { Facts } from '../facts-util.ts';
import { IDENTITY_SPELLING } from './cases.ts';
import { SPELLING_FAMILIES } from './spellings.ts';

/** The facts a spelling stands for (an identity header: the noise it travels in, and the missing credential). */
export function standsFor(spelling: string): string[] {
  const [value, form = ''] = spelling.split(':');
  if (value === IDENTITY_SPELLING) return ['noise', 'placement'];
  return Object.keys(SPELLING_FAMILIES.find((f) => f.value === value)?.forms[form] ?? {});
}

export interface EdgeHint {
  id: FieldFailureId | 'near-miss' | 'valid-spelling-refused';
  text: string;
}

/** The field failure a near miss let in points at, by spelling (`value:form`) or value. */
const LET_IN: Record<string, { id: FieldFailureId; why: string }> = {
  aud: { id: 'aud-near-miss', why: 'the audience is compared loosely (includes, prefix, case or Unicode folding), not for equality' },
  sub: { id: 'user-id-normalised', why: "the user lookup folds ids (case, whitespace, Unicode) or matches them loosely: a near miss signs in as another user" },
  'exp:zero': { id: 'exp-falsy-ignored', why: 'exp is read by truthiness: a falsy exp counts as no exp' },
  'exp:null': { id: 'exp-falsy-ignored', why: 'exp is read by truthiness: a falsy exp counts as no exp' },
  'exp:skew-edge': { id: 'leeway-too-wide', why: "the leeway on exp is wider than the policy's clock skew" },
  'nbf:skew-edge': { id: 'leeway-too-wide', why: "the leeway on nbf is wider than the policy's clock skew" },
  scheme: { id: 'scheme-prefix', why: 'the scheme is matched as a prefix (or the token read after any word)' },
  origin: { id: 'origin-prefix', why: 'the Origin is matched loosely (prefix, host only), not for equality' },
  'structure:b64-false': { id: 'b64-unencoded', why: 'an RFC 7797 unencoded payload (b64: false) is honoured for a JWT' },
  kid: { id: 'kid-case-insensitive', why: 'the kid selects a key by a loose match (case, prefix, Unicode folding), not by equality' },
};

/** The field failure a refused valid spelling points at, by value. */
const REFUSED: Record<string, { id: FieldFailureId; why: string }> = {
  aud: { id: 'aud-array-refused', why: 'aud is taken only as a string; RFC 7519 4.1.3 allows an array of audiences, ours among them' },
};

/**
 * The hint of an edge case's divergence, or null. `causeFact`: the fact replays found
 * to decide it (judge/cause.ts); another fact than the near miss's own means the near
 * miss is not what the backend got wrong.
 */
export function edgeHint(facts: Facts, accepted: boolean, predictedAccept: boolean, causeFact?: string): EdgeHint | null {
  const spelling = facts.spelling;
  if (spelling === undefined) return null;
  const [value = ''] = spelling.split(':');
  // Once replays found the cause, the spelling decides only when it is the cause itself (the
  // value spelled plainly is answered as predicted) or, for an identity header, the noise it
  // travels in: a plain wrong value let in too means the check is skipped, not loose.
  if (causeFact !== undefined && causeFact !== 'spelling' && !(value === IDENTITY_SPELLING && standsFor(spelling).includes(causeFact))) return null;
  if (!accepted && predictedAccept) {
    const refused = REFUSED[value];
    if (refused) return { id: refused.id, text: `a valid form refused (${spelling}): ${refused.why}` };
    return { id: 'valid-spelling-refused', text: `a valid form refused (${spelling}): the backend reads this value more narrowly than RFC 7519 allows` };
  }
  if (!accepted || predictedAccept) return null;
  if (value === IDENTITY_SPELLING) {
    const [name] = facts.noise.headers[0] ?? ['an identity header'];
    return { id: 'identity-header-trusted', text: `identity header trusted: with ${name} naming a user, no token was needed (a proxy's header, sent by the client itself)` };
  }
  const known = LET_IN[spelling] ?? LET_IN[value];
  if (known) return { id: known.id, text: `near miss accepted (${spelling}): ${known.why}` };
  return { id: 'near-miss', text: `near miss accepted (${spelling}): ${value} is compared loosely, not for equality with the expected value` };
}
