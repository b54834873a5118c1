// One log line per handshake decision: outcome, reason code, placement, token
// fingerprint (never the token), latency.
import type { Policy } from '../../model/policy.ts';
import type { Assembly } from '../assembly.ts';
import type { Logger } from '../log.ts';
import type { Decision } from './decide.ts';
import { fingerprint } from './fingerprint.ts';

export function logDecision(logger: Logger, decision: Decision, startedAt: number, assembly: Assembly, policy: Policy): void {
  const latencyMs = Math.round((performance.now() - startedAt) * 10) / 10;
  const token = 'token' in decision && decision.token !== null ? fingerprint(decision.token) : null;
  const placement = 'placement' in decision ? decision.placement : 'first-message';
  switch (decision.kind) {
    case 'accept':
      return logger.info('handshake', {
        outcome: 'accept',
        placement,
        token,
        user: decision.user.userId,
        latencyMs,
        ...(decision.failedOpen ? { detail: 'failed-open' } : {}),
      });
    case 'first-message':
      return logger.info('handshake', { outcome: 'accept', reason: 'auth-message-pending', placement, latencyMs });
    case 'reject': {
      const status = assembly.status(decision.reason, policy);
      return logger.info('handshake', { outcome: `reject-${status}`, reason: decision.reason, placement, token, latencyMs });
    }
    case 'stalled':
      return logger.info('handshake', { outcome: 'timeout', reason: 'dependency-timeout', placement, token, latencyMs });
    case 'error':
      return logger.error('handshake', {
        outcome: 'error',
        reason: 'directory-error',
        error: decision.error.message,
        placement,
        token,
        latencyMs,
      });
  }
}
