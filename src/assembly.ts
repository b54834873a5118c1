// The backend is assembled at start-up from these pieces. REFERENCE is the correct
// backend; a mutant (mutants/) swaps one piece for the way a field backend got it
// wrong. Nothing in a request chooses the assembly.
import type { Policy, Revocation } from '../model/policy.ts';
import { rejectStatus, type HandshakeReason } from '../model/reasons.ts';
import type { Directory, DirectoryUser } from './directory/directory.ts';
import { authorise } from './handshake/authorise.ts';
import { sessionDeadline, validateClaims } from './handshake/claims.ts';
import { checkOrigin, extractCredential, type Extraction, type UpgradeRequest } from './handshake/extract.ts';
import type { KeySource, VerificationKeys } from './handshake/keys.ts';
import { verifyToken, type Claims, type JoseHeader, type TokenCheck } from './handshake/verify-token.ts';

/** What happens when the handshake deadline passes before a decision. */
export type StallResponse = { kind: 'release' } | { kind: 'accept'; user: DirectoryUser; claims: Claims };

export interface Assembly {
  /** The keys actually used to verify, from the keys the backend was given. */
  resolveKeys(given: KeySource): KeySource;
  checkOrigin(request: UpgradeRequest, policy: Policy): HandshakeReason | null;
  extract(request: UpgradeRequest, policy: Policy): Extraction;
  verifyToken(token: string, request: UpgradeRequest, keys: VerificationKeys, policy: Policy): Promise<TokenCheck>;
  validateClaims(header: JoseHeader, claims: Claims, policy: Policy, nowSeconds: number): HandshakeReason | null;
  lookUp(directory: Directory, userId: string, policy: Policy): Promise<DirectoryUser | null>;
  authorise(user: DirectoryUser | null, policy: Policy): HandshakeReason | null;
  /** The HTTP status of a handshake rejection. */
  status(reason: HandshakeReason, policy: Policy): number;
  /** Time from the upgrade request to the decision; null waits forever. */
  deadlineMs(policy: Policy): number | null;
  onStall(token: string | null, policy: Policy): StallResponse;
  /** Upgrade first and close 1008 on failure, instead of refusing the upgrade. */
  validateAfterUpgrade: boolean;
  /** Whether an open session closes when its user is revoked this way (as the policy says). */
  closesOnRevocation(revocation: Revocation, policy: Policy): boolean;
  /** When an open session must close (epoch ms), or null for never. */
  sessionEndsAt(claims: Claims, policy: Policy): number | null;
  /** The reason written to the decision log for a refusal (the one acted on, unless the log lies). */
  loggedReason(reason: HandshakeReason): string | undefined;
}

export const REFERENCE: Assembly = {
  resolveKeys: (given) => given,
  checkOrigin,
  extract: extractCredential,
  verifyToken: (token, _request, keys, policy) => verifyToken(token, keys, policy),
  validateClaims: (header, claims, policy, now) => validateClaims(header, claims, policy, now),
  lookUp: (directory, userId) => directory.lookup(userId),
  authorise: (user, policy) => authorise(user, policy),
  status: (reason, policy) => rejectStatus(policy.outcomes[reason]) ?? 401,
  deadlineMs: (policy) => policy.handshakeDeadlineMs,
  onStall: () => ({ kind: 'release' }),
  validateAfterUpgrade: false,
  closesOnRevocation: (revocation, policy) => policy.session.revocation.includes(revocation),
  sessionEndsAt: sessionDeadline,
  loggedReason: (reason) => reason,
};
