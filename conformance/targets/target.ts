// A target: a backend the engine can send cases to, with what it takes to set a case
// up (users in its directory, a stalled lookup). Embedded, url and (later) container
// targets implement this one interface; the engine knows nothing else about them.
import type { Policy, Revocation } from '../../model/policy.ts';
import type { TargetCapabilities, UserKind } from '../capabilities/capabilities.ts';
import type { SigningKeys } from '../keys.ts';
import type { JwksPublisher } from './jwks-publisher.ts';

/** One subject to prepare (see Target.prepareUser). */
export interface UserRequest {
  caseId: string;
  kind: UserKind;
  stall: boolean;
  stallMs?: number;
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
  /** The JWKS the tool publishes for the target (policy.kid "jwks"): the key-rotation steps change it. */
  readonly jwks?: JwksPublisher;
  readonly capabilities: TargetCapabilities;
  /**
   * Puts a fresh subject in the state `kind` for one case; returns the id to use as
   * `sub`. With `stall`, that user's lookup must take at least `stallMs` (longer than
   * both the target's deadline and the client's).
   */
  prepareUser(caseId: string, kind: UserKind, options: { stall: boolean; stallMs?: number }): Promise<string>;
  /** Optional: prepares many subjects in one round trip, in order; the ids prepareUser would give. */
  prepareUsers?(requests: readonly UserRequest[]): Promise<string[]>;
  /** Revokes the user while its socket is open: deactivates it, deletes it or removes its role. */
  revokeUser(userId: string, how: Revocation): Promise<void>;
  /** Stops what the target started and removes what it seeded. */
  close(): Promise<void>;
}
