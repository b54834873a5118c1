// The decision for one upgrade request: origin -> extract -> authenticate, within the
// handshake deadline. Turning a decision into bytes on the wire is server.ts's job.
import type { Placement } from '../../model/policy.ts';
import type { HandshakeReason } from '../../model/reasons.ts';
import type { DirectoryUser } from '../directory/directory.ts';
import { authenticate, type AuthContext } from './authenticate.ts';
import { STALLED, withDeadline } from './deadline.ts';
import type { UpgradeRequest } from './extract.ts';
import type { Claims } from './verify-token.ts';

export type Decision =
  | { kind: 'accept'; placement: Placement; token: string; user: DirectoryUser; claims: Claims; failedOpen: boolean }
  | { kind: 'reject'; reason: HandshakeReason; placement: Placement | null; token: string | null }
  | { kind: 'first-message' }
  | { kind: 'stalled'; placement: Placement; token: string }
  | { kind: 'error'; placement: Placement; token: string; error: Error };

export async function decide(request: UpgradeRequest, ctx: AuthContext): Promise<Decision> {
  const { assembly, policy } = ctx;
  const startedAt = Date.now();
  const originDefect = assembly.checkOrigin(request, policy);
  if (originDefect) return { kind: 'reject', reason: originDefect, placement: null, token: null };
  const credential = assembly.extract(request, policy);
  if (credential.kind === 'first-message') return credential;
  if (credential.kind === 'reject') return { ...credential, token: null };
  const { placement, token } = credential;
  const budget = assembly.deadlineMs(policy);
  let result;
  try {
    result = await withDeadline(authenticate(token, request, ctx), budget === null ? null : budget - (Date.now() - startedAt));
  } catch (error) {
    return { kind: 'error', placement, token, error: error as Error };
  }
  if (result === STALLED) {
    const stall = assembly.onStall(token, policy);
    if (stall.kind === 'release') return { kind: 'stalled', placement, token };
    return { kind: 'accept', placement, token, user: stall.user, claims: stall.claims, failedOpen: true };
  }
  if (!result.ok) return { kind: 'reject', reason: result.reason, placement, token };
  return { kind: 'accept', placement, token, user: result.user, claims: result.claims, failedOpen: false };
}
