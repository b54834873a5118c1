// An authenticated socket: closes 1008 when the token reaches exp (+ skew) or the
// user is revoked (deactivated, deleted or stripped of the required role, as far as the
// policy's session.revocation lists); the client's own close is echoed by ws (1000).
import type { WebSocket } from 'ws';
import type { OverridableReason, Policy, Revocation } from '../../model/policy.ts';
import { closeCode, type FixedReason, type HandshakeReason } from '../../model/reasons.ts';
import type { Assembly } from '../assembly.ts';
import type { DirectoryUser, UserChange } from '../directory/directory.ts';
import type { Claims } from '../handshake/verify-token.ts';
import type { Logger } from '../log.ts';
import type { SessionRegistry } from './registry.ts';

export const POLICY_VIOLATION = 1008;
export const GOING_AWAY = 1001;

// setTimeout holds at most 2^31-1 ms; longer waits are re-armed.
const MAX_TIMER_MS = 2 ** 31 - 1;

export interface SessionContext {
  assembly: Assembly;
  policy: Policy;
  registry: SessionRegistry;
  logger: Logger;
}

/** The close code the policy gives a reason decided after the upgrade (1008 by default). */
export function closeCodeFor(policy: Policy, reason: OverridableReason): number {
  return closeCode(policy.outcomes[reason]) ?? POLICY_VIOLATION;
}

export function closeWithReason(ws: WebSocket, code: number, reason: FixedReason | string): void {
  if (ws.readyState === ws.OPEN) ws.close(code, reason);
}

/** The request id each open socket was tagged with, for its session-closed line. */
const requestIds = new WeakMap<WebSocket, string | null>();

export function openSession(ws: WebSocket, user: DirectoryUser, claims: Claims, fingerprint: string, ctx: SessionContext, requestId: string | null = null): void {
  const { registry, logger } = ctx;
  // A decision taken after the upgrade (first-message auth, accept-then-1008) can come
  // after the client left: its 'close' is past, so an expiry timer armed now would never
  // be cleared and would hold the process until exp.
  if (ws.readyState !== ws.OPEN) return;
  requestIds.set(ws, requestId);
  let timer: NodeJS.Timeout | undefined;
  const endsAt = ctx.assembly.sessionEndsAt(claims, ctx.policy);
  const arm = () => {
    if (endsAt === null) return;
    const wait = endsAt - Date.now();
    if (wait <= 0) {
      const code = closeCodeFor(ctx.policy, 'session-token-expired');
      logger.info('session-closed', { outcome: `close-${code}`, reason: 'session-token-expired', requestId, user: user.userId, token: fingerprint });
      closeWithReason(ws, code, 'session-token-expired');
      return;
    }
    timer = setTimeout(arm, Math.min(wait, MAX_TIMER_MS));
  };
  arm();
  registry.add(user.userId, ws);
  ws.once('close', (code) => {
    clearTimeout(timer);
    registry.delete(user.userId, ws);
    logger.debug('session-ended', { user: user.userId, token: fingerprint, code });
  });
}

/** The revocation a changed user's refusal amounts to (a deleted row is an unknown user). */
const REVOCATION_BY_REFUSAL: Partial<Record<HandshakeReason, Revocation>> = {
  'user-unknown': 'deletion',
  'user-inactive': 'deactivation',
  'user-lacks-role': 'role-removal',
};

/** Applies a user change to that user's open sessions. */
export function revokeOnChange(change: UserChange, ctx: SessionContext): void {
  const sockets = ctx.registry.socketsOf(change);
  if (sockets.length === 0) return;
  const refused = ctx.assembly.authorise(change.user, ctx.policy);
  if (!refused || !ctx.assembly.closesOnRevocation(REVOCATION_BY_REFUSAL[refused] ?? 'deactivation', ctx.policy)) return;
  for (const ws of sockets) {
    const code = closeCodeFor(ctx.policy, 'session-user-revoked');
    ctx.logger.info('session-closed', { outcome: `close-${code}`, reason: 'session-user-revoked', detail: refused, requestId: requestIds.get(ws) ?? null, user: change.userId });
    closeWithReason(ws, code, 'session-user-revoked');
  }
}
