// One log line per decision: outcome, reason code, placement, user state, the client's
// request id, token fingerprint (never the token), latency. `check-logs` reads these
// lines against the model (docs/log-conformance.md); keep the field names stable.
import { closeCode } from '../../model/reasons.ts';
import type { Policy } from '../../model/policy.ts';
import type { Assembly } from '../assembly.ts';
import type { DirectoryUser } from '../directory/directory.ts';
import type { UpgradeRequest } from './extract.ts';
import type { Logger } from '../log.ts';
import type { Decision } from './decide.ts';
import { fingerprint } from './fingerprint.ts';

/** The header a client may tag its request with; echoed in the decision line. */
export const REQUEST_ID_HEADER = 'x-request-id';
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** The request id when it is a plain short token; anything else is not logged. */
export function requestIdOf(request: UpgradeRequest): string | null {
  const value = request.headers[REQUEST_ID_HEADER];
  return typeof value === 'string' && REQUEST_ID.test(value) ? value : null;
}

/** The state of the user row the decision was taken on, as the model names it. */
export function userStateOf(user: DirectoryUser | null, policy: Policy): 'active' | 'missing' | 'inactive' | 'lacks-role' {
  if (user === null) return 'missing';
  if (!user.isActive) return 'inactive';
  if (policy.requiredRole !== null && !user.roles.includes(policy.requiredRole)) return 'lacks-role';
  return 'active';
}

const USER_STATE_OF_REASON: Record<string, string> = { 'user-unknown': 'missing', 'user-inactive': 'inactive', 'user-lacks-role': 'lacks-role' };

export function logDecision(logger: Logger, decision: Decision, startedAt: number, assembly: Assembly, policy: Policy, request: UpgradeRequest): void {
  const latencyMs = Math.round((performance.now() - startedAt) * 10) / 10;
  const token = 'token' in decision && decision.token !== null ? fingerprint(decision.token) : null;
  const placement = 'placement' in decision ? decision.placement : 'first-message';
  const requestId = requestIdOf(request);
  switch (decision.kind) {
    case 'accept':
      return logger.info('handshake', {
        outcome: 'accept',
        placement,
        userState: userStateOf(decision.user, policy),
        requestId,
        token,
        user: decision.user.userId,
        latencyMs,
        ...(decision.failedOpen ? { detail: 'failed-open' } : {}),
      });
    case 'first-message':
      return logger.info('handshake', { outcome: 'accept', placement, detail: 'awaiting-auth-message', requestId, latencyMs });
    case 'reject': {
      const close = closeCode(policy.outcomes[decision.reason]);
      const userState = USER_STATE_OF_REASON[decision.reason];
      return logger.info('handshake', {
        outcome: close !== null ? `close-${close}` : `reject-${assembly.status(decision.reason, policy)}`,
        reason: assembly.loggedReason(decision.reason),
        placement,
        ...(userState ? { userState } : {}),
        requestId,
        token,
        latencyMs,
      });
    }
    case 'stalled':
      return logger.info('handshake', { outcome: policy.outcomes['dependency-timeout'], reason: 'dependency-timeout', placement, requestId, token, latencyMs });
    case 'error':
      return logger.error('handshake', {
        outcome: 'error',
        reason: 'directory-error',
        error: decision.error.message,
        placement,
        requestId,
        token,
        latencyMs,
      });
  }
}
