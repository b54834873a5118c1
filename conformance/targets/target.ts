// A target: a backend the engine can send cases to, with what it takes to set a case
// up (users in its directory, a stalled lookup). Embedded, url and (later) container
// targets implement this one interface; the engine knows nothing else about them.
import { factDomains, type FactName, type FactValue } from '../../model/facts.ts';
import type { Policy } from '../../model/policy.ts';
import type { SigningKeys } from '../keys.ts';
import { clientLimitReason } from '../cases/client.ts';
import { MIN_SKEW_FOR_WITHIN_SKEW } from '../cases/forge/claims.ts';

export type UserKind = FactValue<'user'>;

/** One subject to prepare (see Target.prepareUser). */
export interface UserRequest {
  caseId: string;
  kind: UserKind;
  stall: boolean;
  stallMs?: number;
}

export interface TargetCapabilities {
  /** Can make one user's lookup slower than the handshake deadline, per case. */
  stall: boolean;
  /** Can deactivate or delete a user while a socket is open. */
  revoke: boolean;
  /** User states the target can put a case's subject in. */
  userKinds: readonly UserKind[];
}

export interface Target {
  /** `embedded`, `url`, `container`, ... */
  readonly kind: string;
  /** One line for reports, e.g. `embedded (reference backend, mutant alg-none)`. */
  readonly description: string;
  /** ws://host:port/path of the endpoint. */
  readonly url: string;
  /** http://host:port/healthz, or null when the target has no health endpoint. */
  readonly healthUrl: string | null;
  readonly policy: Policy;
  readonly keys: SigningKeys;
  readonly capabilities: TargetCapabilities;
  /**
   * Puts a fresh subject in the state `kind` for one case; returns the id to use as
   * `sub`. With `stall`, that user's lookup must take at least `stallMs` (longer than
   * both the target's deadline and the client's).
   */
  prepareUser(caseId: string, kind: UserKind, options: { stall: boolean; stallMs?: number }): Promise<string>;
  /** Optional: prepares many subjects in one round trip, in order; the ids prepareUser would give. */
  prepareUsers?(requests: readonly UserRequest[]): Promise<string[]>;
  /** Deactivates or deletes the user while its socket is open. */
  revokeUser(userId: string): Promise<void>;
  /** Stops what the target started and removes what it seeded. */
  close(): Promise<void>;
}

/** Fact values a target cannot exercise: cases needing them are reported as not covered. */
export function unavailableFacts(target: Target): Partial<{ [K in FactName]: Array<FactValue<K>> }> {
  const out: Partial<{ [K in FactName]: Array<FactValue<K>> }> = {};
  if (!target.capabilities.stall) out.latency = ['stalled'];
  if (!target.capabilities.revoke) out.session = ['user-revoked'];
  const kinds = target.capabilities.userKinds;
  const missingKinds = (['active', 'missing', 'inactive', 'lacks-role'] as const).filter((k) => !kinds.includes(k));
  if (missingKinds.length) out.user = [...missingKinds];
  // exp within skew needs 2 s from both boundaries (fuzz-catalogue.md timing margins).
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

/** Why a fact value is unavailable, for "not covered" lines. */
export function unavailableReason(fact: FactName, value: string): string {
  if (fact === 'latency') return 'the target cannot stall its user lookup';
  if (fact === 'session') return 'the target cannot revoke a user while a socket is open';
  if (fact === 'user') return `the target has no user in state "${value}"`;
  const clientLimit = clientLimitReason(fact, value);
  if (clientLimit) return clientLimit;
  if (fact === 'exp') return `the clock skew is under ${MIN_SKEW_FOR_WITHIN_SKEW} s, so "exp within skew" cannot keep a 2 s margin`;
  return 'not supported by the target';
}
