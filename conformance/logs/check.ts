// One stated decision against the model: the facts a line states (reason, outcome, user
// state, placement) are put into the canonical valid case, and every decision the model
// forbids for those facts is a violation. The line is never trusted for what it omits.
import { FACT_VALUES, type Facts } from '../../model/facts.ts';
import { outcomeOf } from '../../model/machine.ts';
import { predict } from '../../model/oracle.ts';
import type { Policy } from '../../model/policy.ts';
import { isReason, OUTCOMES, REASON_DESCRIPTIONS, REASONS, USER_REASONS } from '../../model/reasons.ts';
import { canonicalFacts } from '../cases/case.ts';
import type { StatedDecision } from './mapping.ts';

export const LOG_RULES = {
  'unknown-outcome': 'the outcome is none of the model\'s outcomes',
  'reject-without-reason': 'a refusal or close without a reason code',
  'unknown-reason': 'the reason is none of the model\'s reason codes',
  'wrong-outcome': 'the outcome is not the one the contract maps the stated reason to',
  'forbidden-accept': 'an accept the model refuses for the stated user state or placement',
  'reason-contradicts-user': 'a user reason that is not the model\'s reason for the stated user state',
} as const;
export type LogRule = keyof typeof LOG_RULES;

export interface LogViolation {
  line: number;
  rule: LogRule;
  message: string;
  requestId: string | null;
}

const oneOf = <K extends keyof typeof FACT_VALUES>(fact: K, value: string | null): value is (typeof FACT_VALUES)[K][number] =>
  value !== null && (FACT_VALUES[fact] as readonly string[]).includes(value);

/** The canonical valid case with what the line states about the user and the placement. */
export function statedFacts(d: StatedDecision, policy: Policy): Facts {
  const facts: Facts = { ...canonicalFacts(policy) };
  if (oneOf('placement', d.placement)) facts.placement = d.placement;
  if (oneOf('user', d.userState)) facts.user = d.userState;
  return facts;
}

/** The outcomes the contract can give: the model's five and any the policy declares. */
function outcomesOf(policy: Policy): Set<string> {
  return new Set<string>([...OUTCOMES, ...REASONS.map((r) => outcomeOf(policy, r))]);
}

export function checkDecision(d: StatedDecision, policy: Policy): LogViolation[] {
  const out: LogViolation[] = [];
  const add = (rule: LogRule, message: string) => out.push({ line: d.line, rule, message, requestId: d.requestId });
  const outcomes = outcomesOf(policy);
  const outcomeKnown = d.outcome !== null && outcomes.has(d.outcome);
  if (d.outcome !== null && !outcomeKnown) add('unknown-outcome', `outcome "${d.outcome}" is none of the contract's (${[...outcomes].join(', ')})${d.reason ? ` (reason ${d.reason})` : ''}`);
  if (outcomeKnown && d.outcome !== 'accept' && d.reason === null) add('reject-without-reason', `${d.outcome} without a reason`);
  if (d.reason !== null && !isReason(d.reason)) add('unknown-reason', `reason "${d.reason}" is none of the model's reason codes`);
  if (d.reason !== null && isReason(d.reason) && outcomeKnown) {
    const due = outcomeOf(policy, d.reason);
    if (due !== d.outcome) add('wrong-outcome', `${d.outcome} for ${d.reason}: the contract maps ${d.reason} to ${due}`);
  }
  if (d.outcome === 'accept' && (d.reason === null || d.reason === 'client-closed')) {
    const p = predict(policy, statedFacts(d, policy));
    if (p.outcome !== 'accept') add('forbidden-accept', `accept where the model answers ${p.outcome} (${p.reason}: ${REASON_DESCRIPTIONS[p.reason]})${stated(d)}`);
  }
  if (d.reason !== null && (USER_REASONS as readonly string[]).includes(d.reason) && oneOf('user', d.userState)) {
    const p = predict(policy, statedFacts(d, policy));
    if (p.reason !== d.reason) add('reason-contradicts-user', `${d.reason} for a user in state ${d.userState} (the model's reason: ${p.reason})`);
  }
  return out;
}

function stated(d: StatedDecision): string {
  const parts = [d.userState && `user ${d.userState}`, d.placement && `placement ${d.placement}`].filter(Boolean);
  return parts.length ? `; the line states ${parts.join(', ')}` : '';
}
