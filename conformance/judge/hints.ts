// Root-cause hints, keyed to the field failures of docs/field-failures.md. Rules are tried
// in order; the first that matches names the likely cause of a divergence. Once the engine
// has found the true cause by replays (judge/cause.ts), the rules are given it: a rule that
// blames something else (the signing key, a bypass header) then stands aside.
import { predict } from '../../model/oracle.ts';
import type { Policy } from '../../model/policy.ts';
import type { Reason } from '../../model/reasons.ts';
import { REASON_DESCRIPTIONS, closeCode, rejectStatus } from '../../model/reasons.ts';
import { outcomeOf } from '../../model/machine.ts';
import { CANONICAL_FACTS, type Facts } from '../../model/facts.ts';
import type { FieldFailureId } from '../../model/field-failures.ts';
import { decidingStage, STAGE_FACT } from '../../model/stage-ids.ts';
import { observedOutcome } from '../drive/evidence.ts';
import { isBypassHeader } from '../cases/noise.ts';
import { edgeHint } from '../cases/edge/hint.ts';
import type { Finding, JudgeInput } from './context.ts';
import { closedBySessionEnd } from './checks.ts';
import { causeName, describeFlip, type TrueCause } from './cause.ts';

export interface Hint {
  /** A docs/field-failures.md id when the divergence matches one, else a generic id. */
  id: string;
  text: string;
}

export interface HintInput extends JudgeInput {
  findings: Finding[];
  keyFingerprint: string;
  /** The fact whose setting back made the backend answer as predicted (engine/cause.ts), once known. */
  cause?: TrueCause | null;
}

/** Hints that name no single field failure. */
type GenericHintId = 'skipped-check' | 'no-revocation' | 'mishandled-fact' | 'near-miss' | 'valid-spelling-refused';

interface Rule {
  id: FieldFailureId | GenericHintId;
  /** The hint's text, or text and a more specific id. */
  match(i: HintInput, ctx: { observed: string; defect: Reason; accepted: boolean }): string | Hint | null;
}

/** Field failures that consist of skipping one check. */
const SKIPPED_CHECK_ID: Partial<Record<Reason, FieldFailureId>> = {
  'alg-none': 'alg-none',
  'exp-expired': 'no-exp',
  'exp-missing': 'no-exp',
  'exp-malformed': 'no-exp',
  'iss-mismatch': 'no-iss-aud',
  'iss-missing': 'no-iss-aud',
  'aud-mismatch': 'no-iss-aud',
  'aud-missing': 'no-iss-aud',
  'user-unknown': 'missing-user-accept',
  'user-inactive': 'inactive-accept',
  'origin-foreign': 'no-origin-check',
  'origin-null': 'no-origin-check',
};

/**
 * A check skipped: the observed outcome is what the model predicts once the defect
 * that decided the case is removed (e.g. iss wrong and user missing answered 403).
 */
function skippedCheck(i: HintInput, observed: string): Hint | null {
  if (i.facts.placement === 'first-message') return null;
  const stage = decidingStage(i.prediction.trace);
  const fact = stage === undefined ? null : STAGE_FACT[stage];
  if (!fact || i.facts[fact] === CANONICAL_FACTS[fact]) return null;
  const without = predict(i.policy, { ...i.facts, [fact]: CANONICAL_FACTS[fact] } as Facts);
  if (without.outcome !== observed || without.outcome === i.prediction.outcome) return null;
  const reason = i.prediction.reason;
  return {
    id: SKIPPED_CHECK_ID[reason] ?? 'skipped-check',
    text: `${reason} not checked: the backend answered as if ${fact} were fine (${observed}, the model's outcome for the same case without it)`,
  };
}

const REVOKED_HOW: Partial<Record<Facts['session'], string>> = {
  'user-revoked': 'deactivated',
  'user-deleted': 'deleted',
  'user-role-removed': 'stripped of the required role',
};

const TOKEN_OR_CLAIM = /^(alg|key|signature|exp|nbf|iss|aud|typ|sub)-/;

const RULES: readonly Rule[] = [
  // An edge case (cases/edge/): a near miss or an identity header let in, or a valid spelling refused.
  // A near miss that is the true cause got through once upgraded, even if its session closed later (at its own leeway).
  { id: 'near-miss', match: (i, c) => edgeHint(i.facts, c.accepted || (i.cause?.fact === 'spelling' && i.evidence.upgraded !== null), i.prediction.outcome === 'accept', i.cause?.fact) },
  {
    id: 'header-bypass',
    match(i, c) {
      // The noise decides when a relation saw it change the outcome, or when taking it away did.
      const f = i.findings.find((x) => x.check === 'noise-invariance');
      if (i.cause ? i.cause.fact !== 'noise' : !f) return null;
      const bypass = i.facts.noise.headers.filter(([k]) => isBypassHeader(k)).map(([k, v]) => `${k}: ${v}`);
      const noise = bypass.length ? bypass.join(', ') : 'the added noise';
      return c.accepted
        ? `header bypass: accepted only with ${noise} (a forged token passes on a "test fast path")`
        : `header bypass: the outcome changes with ${noise} (${f?.message ?? describeFlip(i.cause!.flip)})`;
    },
  },
  {
    id: 'secret-mismatch',
    match(i, c) {
      // A case that one fact set back made pass was signed with the same key as the canonical one.
      if (i.cause) return null;
      const due = i.prediction.outcome === 'accept' || (closeCode(i.prediction.outcome) !== null && i.prediction.reason.startsWith('session-'));
      const refusedAfterAccept = i.facts.placement === 'first-message' && c.observed === `close-${closeCode(outcomeOf(i.policy, 'auth-message-invalid'))}`;
      if (!due || (c.observed !== 'reject-401' && !refusedAfterAccept)) return null;
      return `signing key mismatch: a token signed with key fingerprint ${i.keyFingerprint} is rejected`;
    },
  },
  {
    id: 'accept-then-1008',
    match(i) {
      const p = i.prediction.outcome;
      const e = i.evidence;
      if ((rejectStatus(p) === null && p !== 'timeout') || !e.upgraded || !e.close || e.close.by !== 'server' || closedBySessionEnd(i)) return null;
      return `validation deferred past the handshake: 101 then close ${e.close.code} where ${p} was due`;
    },
  },
  {
    id: 'slow-auth-fail-open',
    match(i, c) {
      const stalled = i.prediction.reason === 'dependency-timeout' || i.prediction.reason === 'auth-dependency-timeout';
      return stalled && c.accepted ? 'fail-open under a slow dependency: accepted after the user lookup passed the deadline' : null;
    },
  },
  {
    id: 'no-deadline',
    match(i) {
      if (i.prediction.outcome === 'timeout' && i.evidence.hung) {
        return `no handshake deadline: no answer and no close within ${i.timing.handshakeDeadlineMs} ms while the user lookup stalls`;
      }
      const e = i.evidence;
      if (i.prediction.reason === 'auth-dependency-timeout' && e.upgraded && !(e.close && e.close.by === 'server') && e.frames.length === 0) {
        return 'no deadline on the auth message: no answer and no close within the window while the user lookup stalls';
      }
      return null;
    },
  },
  // A refusal with the code of a later check (accepts have the specific rules below).
  { id: 'skipped-check', match: (i, c) => (c.accepted ? null : skippedCheck(i, c.observed)) },
  {
    id: 'fake-token-403',
    match(_i, c) {
      return c.defect === 'token-malformed' && c.observed === 'reject-403'
        ? 'a non-JWT string is treated as the token of an unknown user (403 where the malformed token is a 401)'
        : null;
    },
  },
  {
    id: 'sig-403',
    match(i, c) {
      return i.prediction.outcome === 'reject-401' && TOKEN_OR_CLAIM.test(c.defect) && c.observed === 'reject-403'
        ? `401/403 confusion: ${c.defect} answered 403 (a bad token is unauthenticated, not forbidden)`
        : null;
    },
  },
  { id: 'missing-user-accept', match: (_i, c) => (c.accepted && c.defect === 'user-unknown' ? 'user lookup skipped: a subject not in the directory is accepted' : null) },
  { id: 'inactive-accept', match: (_i, c) => (c.accepted && c.defect === 'user-inactive' ? 'is_active not checked: a deactivated user is accepted' : null) },
  { id: 'alg-none', match: (_i, c) => (c.accepted && c.defect === 'alg-none' ? 'alg none accepted: unsigned tokens pass' : null) },
  {
    id: 'no-exp',
    match: (_i, c) => (c.accepted && /^exp-/.test(c.defect) ? `exp not checked: a token with ${c.defect} is accepted` : null),
  },
  {
    id: 'no-iss-aud',
    match: (_i, c) => (c.accepted && /^(iss|aud)-/.test(c.defect) ? `iss/aud not checked: a token for another issuer or service is accepted (${c.defect})` : null),
  },
  {
    id: 'no-session-expiry',
    match: (i, c) => (i.prediction.reason === 'session-token-expired' && c.accepted ? 'session outlives its token: no close 1008 at exp + skew' : null),
  },
  {
    id: 'no-origin-check',
    match(i, c) {
      if (c.defect !== 'origin-foreign' && c.defect !== 'origin-null') return null;
      if (c.accepted) return 'Origin not checked: a cross-site page can open an authenticated socket';
      return c.observed !== i.prediction.outcome ? `Origin not checked: a ${c.defect === 'origin-null' ? 'null' : 'foreign'} Origin went on to be judged on its credential (${c.observed})` : null;
    },
  },
  { id: 'skipped-check', match: (i, c) => skippedCheck(i, c.observed) },
  {
    id: 'deleted-kept-connected',
    match: (i, c) => (i.prediction.reason === 'session-user-revoked' && c.accepted && i.facts.session === 'user-deleted' ? 'deleted user kept connected: no close after the user was deleted while connected' : null),
  },
  {
    id: 'no-revocation',
    match: (i, c) => (i.prediction.reason === 'session-user-revoked' && c.accepted ? `session outlives revocation: no close after the user was ${REVOKED_HOW[i.facts.session] ?? 'revoked'}` : null),
  },
  {
    id: 'scheme-case-sensitive',
    match(i, c) {
      if (i.cause?.fact !== 'scheme' || i.cause.value !== 'bearer-odd-case' || c.accepted) return null;
      return `scheme compared case-sensitively: ${i.policy.credentials.header.scheme} in another letter case answered ${c.observed} (schemes are case-insensitive, RFC 9110 11.1); ${describeFlip(i.cause.flip)}`;
    },
  },
  {
    id: 'mishandled-fact',
    match(i, c) {
      if (!i.cause) return null;
      const answered = c.accepted ? 'accepted' : `answered ${c.observed}`;
      return `${causeName(i.cause)} ${answered} where ${i.prediction.outcome} (${i.prediction.reason}) was due; ${describeFlip(i.cause.flip)}`;
    },
  },
];

/** The reason the handshake would have refused the same credential with (first-message cases). */
function underlyingDefect(i: HintInput): Reason {
  if (i.facts.placement !== 'first-message' || i.prediction.reason !== 'auth-message-invalid') return i.prediction.reason;
  return predictInHeader(i.policy, i);
}

function predictInHeader(policy: Policy, i: HintInput): Reason {
  try {
    return predict(policy, { ...i.facts, placement: 'authorization-header', scheme: 'bearer', origin: 'absent' }).reason;
  } catch {
    return i.prediction.reason;
  }
}

export function hintFor(i: HintInput): Hint | null {
  if (i.findings.length === 0) return null;
  const observed = observedOutcome(i.evidence);
  // A first-message socket counts as accepted once the server answered the auth message.
  const answered = i.facts.placement !== 'first-message' || i.evidence.frames.length > 0 || i.facts.session === 'auth-message-never-sent';
  const accepted = (observed === 'accept' || (Boolean(i.evidence.upgraded) && closedBySessionEnd(i))) && answered;
  const ctx = { observed, defect: underlyingDefect(i), accepted };
  for (const rule of RULES) {
    const found = rule.match(i, ctx);
    if (typeof found === 'string') return { id: rule.id, text: found };
    if (found) return found;
  }
  const worstFinding = i.findings[0]!;
  if (accepted) return { id: 'accepted-defect', text: `accepted despite: ${REASON_DESCRIPTIONS[ctx.defect]}` };
  return worstFinding.hint ?? { id: worstFinding.check, text: worstFinding.message };
}
