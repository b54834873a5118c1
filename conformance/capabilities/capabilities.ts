// What a run cannot exercise, and why: what a target cannot do (stall a lookup, revoke
// a user, hold a user state), what a client cannot send, and the timing margins a
// policy's skew must leave. Below both cases/ (planning marks blocked cases) and
// targets/ (each target declares its capabilities); it knows only the model.
import { BROWSER_UNUSABLE_REASON } from '../../model/browser.ts';
import { REVOCATION_SESSIONS, factDomains, type FactName, type FactValue, type Facts } from '../../model/facts.ts';
import { REVOCATIONS, type Policy, type Revocation } from '../../model/policy.ts';

export type UserKind = FactValue<'user'>;

export interface TargetCapabilities {
  /** Can make one user's lookup slower than the handshake deadline, per case. */
  stall: boolean;
  /** The revocations it can perform while a socket is open (deactivate, delete, remove the role). */
  revoke: readonly Revocation[];
  /** User states the target can put a case's subject in. */
  userKinds: readonly UserKind[];
}

/** Fact values a run cannot exercise, by fact. */
export type Unavailable = Partial<Record<FactName, string[]>>;

/** Smallest clock skew for which `exp within skew` keeps 2 s from both boundaries (fuzz-catalogue.md timing margins). */
export const MIN_SKEW_FOR_WITHIN_SKEW = 4;

/** Fact values a target cannot exercise: cases needing them are reported as not covered. */
export function unavailableFacts(target: { capabilities: TargetCapabilities; policy: Policy }): Partial<{ [K in FactName]: Array<FactValue<K>> }> {
  const out: Partial<{ [K in FactName]: Array<FactValue<K>> }> = {};
  if (!target.capabilities.stall) out.latency = ['stalled'];
  const cannotRevoke = REVOCATIONS.filter((r) => !target.capabilities.revoke.includes(r)).map((r) => REVOCATION_SESSIONS[r]);
  if (cannotRevoke.length) out.session = cannotRevoke;
  const kinds = target.capabilities.userKinds;
  const missingKinds = (['active', 'missing', 'inactive', 'lacks-role'] as const).filter((k) => !kinds.includes(k));
  if (missingKinds.length) out.user = [...missingKinds];
  if (target.policy.clockSkewSeconds < MIN_SKEW_FOR_WITHIN_SKEW) out.exp = ['within-skew'];
  // Values the policy never generates (a stateless target's user states) are declared, not missing.
  const domains = factDomains(target.policy) as Record<FactName, readonly string[]>;
  for (const fact of Object.keys(out) as FactName[]) {
    const values = (out[fact] as string[]).filter((v) => domains[fact].includes(v));
    if (values.length) (out as Record<string, string[]>)[fact] = values;
    else delete out[fact];
  }
  return out;
}

/** What a client cannot send: a web page has no Authorization header. */
export function clientLimitReason(fact: string, value: string): string | null {
  return fact === 'placement' && value === 'authorization-header' ? BROWSER_UNUSABLE_REASON : null;
}

const REVOKE_VERBS: Record<string, string> = { 'user-revoked': 'deactivate', 'user-deleted': 'delete', 'user-role-removed': 'remove the required role of' };

/** Why a fact value is unavailable, for "not covered" lines. */
export function unavailableReason(fact: FactName, value: string): string {
  if (fact === 'latency') return 'the target cannot stall its user lookup';
  if (fact === 'session') return `the target cannot ${REVOKE_VERBS[value] ?? 'revoke'} a user while a socket is open`;
  if (fact === 'user') return `the target has no user in state "${value}"`;
  const clientLimit = clientLimitReason(fact, value);
  if (clientLimit) return clientLimit;
  if (fact === 'exp') return `the clock skew is under ${MIN_SKEW_FOR_WITHIN_SKEW} s, so "exp within skew" cannot keep a 2 s margin`;
  return 'not supported by the target';
}

/** The reason a case cannot run on this target, or null. */
export function blockedBy(facts: Facts, unavailable: Unavailable): string | null {
  for (const [fact, values] of Object.entries(unavailable) as Array<[FactName, string[]]>) {
    if (values.includes(facts[fact] as string)) return `${fact}=${facts[fact]}: ${unavailableReason(fact, facts[fact] as string)}`;
  }
  return null;
}
