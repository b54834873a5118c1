// First-message auth: the upgrade was accepted without a credential; the client must
// send the policy's first message (default {"type":"auth","token":"<jwt>"}) within the auth window; anything else closes as the policy says (1008).
import type { RawData, WebSocket } from 'ws';
import { authenticate, type AuthContext } from '../handshake/authenticate.ts';
import { STALLED, withDeadline } from '../handshake/deadline.ts';
import { tokenFromMessage } from './auth-message.ts';
import type { UpgradeRequest } from '../handshake/extract.ts';
import { fingerprint } from '../handshake/fingerprint.ts';
import { requestIdOf, userStateOf } from '../handshake/log-decision.ts';
import { closeCodeFor, closeWithReason, openSession, type SessionContext } from './session.ts';

export function awaitAuthMessage(ws: WebSocket, request: UpgradeRequest, ctx: AuthContext & SessionContext): void {
  const { policy, logger, assembly } = ctx;
  const startedAt = Date.now();
  const requestId = requestIdOf(request);
  const window = setTimeout(() => {
    ws.off('message', onMessage);
    logger.info('auth-message', { outcome: `close-${closeCodeFor(policy, 'auth-message-missing')}`, reason: 'auth-message-missing', placement: 'first-message', requestId });
    closeWithReason(ws, closeCodeFor(policy, 'auth-message-missing'), 'auth-message-missing');
  }, policy.authWindowMs);
  ws.once('close', () => clearTimeout(window));
  ws.once('message', onMessage);

  async function onMessage(data: RawData, isBinary: boolean): Promise<void> {
    clearTimeout(window);
    const token = isBinary ? null : tokenFromMessage(policy.credentials.firstMessage.template, data.toString()) || null;
    const log = (reason: 'auth-message-invalid' | 'auth-dependency-timeout' | null, extra: Record<string, unknown> = {}) =>
      logger.info('auth-message', {
        outcome: reason === null ? 'accept' : `close-${closeCodeFor(policy, reason)}`,
        ...(reason === null ? {} : { reason }),
        placement: 'first-message',
        requestId,
        token: token && fingerprint(token),
        latencyMs: Date.now() - startedAt,
        ...extra,
      });
    if (token === null) {
      log('auth-message-invalid', { detail: 'not an auth message' });
      return closeWithReason(ws, closeCodeFor(policy, 'auth-message-invalid'), 'auth-message-invalid');
    }
    let result;
    try {
      result = await withDeadline(authenticate(token, request, ctx), assembly.deadlineMs(policy));
    } catch (error) {
      log('auth-dependency-timeout', { detail: 'directory-error', error: (error as Error).message });
      return closeWithReason(ws, closeCodeFor(policy, 'auth-dependency-timeout'), 'auth-dependency-timeout');
    }
    if (result === STALLED) {
      const stall = assembly.onStall(token, policy);
      if (stall.kind === 'release') {
        log('auth-dependency-timeout');
        return closeWithReason(ws, closeCodeFor(policy, 'auth-dependency-timeout'), 'auth-dependency-timeout');
      }
      result = { ok: true as const, user: stall.user, claims: stall.claims };
    }
    if (!result.ok) {
      log('auth-message-invalid', { detail: result.reason });
      return closeWithReason(ws, closeCodeFor(policy, 'auth-message-invalid'), 'auth-message-invalid');
    }
    if (ws.readyState !== ws.OPEN) return;
    log(null, { userState: userStateOf(result.user, policy), user: result.user.userId });
    ws.send(JSON.stringify({ type: 'auth-ok' }));
    openSession(ws, result.user, result.claims, fingerprint(token), ctx, requestId);
  }
}
