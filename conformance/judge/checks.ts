// The checks, in one table (Schemathesis's registry): each looks at one aspect of the
// wire evidence against the prediction and returns findings; no finding means OK.
// The names are the ones used in reports and counterexamples.
import type { Finding, JudgeInput } from './context.ts';
import { observedOutcome } from '../drive/evidence.ts';
import { placementEnabled, revocationOf } from '../../model/facts.ts';
import { REVOCATION_ACTIONS } from '../drive/evidence.ts';
import { closeCode, isHandshakeReason, rejectStatus } from '../../model/reasons.ts';

export interface Check {
  id: string;
  description: string;
  run(input: JudgeInput): Finding[];
}

const finding = (check: string, phase: Finding['phase'], verdict: Finding['verdict'], message: string): Finding => ({ check, phase, verdict, message });

const serverClosed = (i: JudgeInput) => i.evidence.close !== null && i.evidence.close.by === 'server';

/**
 * The server closed, but only when the session the case scheduled ended (the token
 * reached exp + skew, the user was revoked): the socket had been accepted.
 */
export function closedBySessionEnd(i: JudgeInput): boolean {
  const e = i.evidence;
  if (!e.close || e.close.by !== 'server') return false;
  if (i.facts.session === 'token-expires' && i.expSeconds !== null) {
    return e.startedAt + e.close.ms >= (i.expSeconds + i.policy.clockSkewSeconds) * 1000 - 1000;
  }
  const revocation = revocationOf(i.facts.session);
  if (revocation !== null) return e.actions.some((a) => a.action === REVOCATION_ACTIONS[revocation] && a.ms <= e.close!.ms);
  return false;
}

/** Reasons whose open-but-unauthenticated socket is a security failure, not just a missed close. */
const UNAUTHENTICATED_SESSION = new Set(['auth-message-invalid', 'auth-message-missing', 'auth-dependency-timeout']);

export const CHECKS: readonly Check[] = [
  {
    id: 'wire-evidence',
    description: 'the case reached the target and produced something observable',
    run(i) {
      const e = i.evidence;
      if (!e.connect.ok) return [finding('wire-evidence', 'handshake', 'VACUOUS', `no TCP connection (${e.connect.error})`)];
      if (!e.response && !e.upgraded && !e.released && !e.hung) {
        return [finding('wire-evidence', 'handshake', 'VACUOUS', `connected but recorded nothing (${e.error ?? 'no error'})`)];
      }
      return [];
    },
  },
  {
    id: 'handshake-outcome',
    description: 'the HTTP answer to the upgrade is the predicted one (101, 401, 403 or the status the policy declares, or none by the deadline)',
    run(i) {
      const e = i.evidence;
      if (!e.connect.ok) return [];
      const p = i.prediction.outcome;
      const obs = observedOutcome(e);
      const f = (v: Finding['verdict'], m: string) => [finding('handshake-outcome', 'handshake', v, m)];
      const want = rejectStatus(p);
      if (want !== null) {
        if (e.response?.status === want) return [];
        if (e.response && (e.response.status === 401 || e.response.status === 403)) {
          return f('WRONG-CODE', `${e.response.status} where ${want} was due (${i.prediction.reason})`);
        }
        if (e.response) return f('FAILED', `HTTP ${e.response.status} where ${want} was due (${i.prediction.reason})`);
        if (e.upgraded) {
          if (serverClosed(i) && !closedBySessionEnd(i)) return f('FAILED', `rejects after accept: 101 then close ${e.close!.code} where ${want} was due (${i.prediction.reason})`);
          return f('FAILED-SECURITY', `accepted (101, socket kept open) where ${want} was due (${i.prediction.reason})`);
        }
        if (e.hung) return f('FAILED', `no answer within ${i.timing.handshakeDeadlineMs} ms where ${want} was due`);
        if (e.released) return f('FAILED', `socket released without a response where ${want} was due`);
        return f('FAILED', `observed ${obs} where ${want} was due`);
      }
      if (p === 'accept' || closeCode(p) !== null) {
        if (e.upgraded) return [];
        if (e.response) return f('FAILED', `HTTP ${e.response.status} where 101 was due (${describeBody(e.response.body)})`);
        if (e.hung) return f('FAILED', `no answer within ${i.timing.handshakeDeadlineMs} ms where 101 was due`);
        return f('FAILED', `observed ${obs} where 101 was due`);
      }
      // timeout: no answer, and the socket released by the deadline.
      if (e.released) return [];
      if (e.upgraded && serverClosed(i) && !closedBySessionEnd(i)) return f('FAILED', `rejects after accept: 101 then close ${e.close!.code} where the stalled lookup should release the socket unanswered`);
      if (e.upgraded) return f('FAILED-SECURITY', `accepted (101) after the user lookup stalled past the deadline`);
      if (e.hung) return f('FAILED', `no answer and no close within ${i.timing.handshakeDeadlineMs} ms: the handshake has no deadline`);
      if (e.response && e.response.status >= 500) return f('NON-STRICT', `HTTP ${e.response.status} where the stall should release the socket without an answer`);
      if (e.response) return f('FAILED', `HTTP ${e.response.status} for a stalled user lookup (the user was never judged)`);
      return f('FAILED', `observed ${obs} where a release by the deadline was due`);
    },
  },
  {
    id: 'www-authenticate',
    description: '401 carries WWW-Authenticate: Bearer, with error="invalid_token" exactly when a token was presented (RFC 6750 3.1)',
    run(i) {
      const r = i.evidence.response;
      if (!r || r.status !== 401 || i.prediction.outcome !== 'reject-401') return [];
      const strictVerdict = i.policy.profile === 'rfc-strict' ? 'FAILED' : 'NON-STRICT';
      const header = r.headers['www-authenticate'];
      if (header === undefined) return [finding('www-authenticate', 'handshake', strictVerdict, '401 without WWW-Authenticate')];
      if (!/^\s*bearer\b/i.test(header)) return [finding('www-authenticate', 'handshake', strictVerdict, `WWW-Authenticate is not a Bearer challenge: ${header}`)];
      const hasError = /error\s*=\s*"?invalid_token"?/i.test(header);
      const presented = bearerTokenPresented(i);
      if (!presented && hasError) return [finding('www-authenticate', 'handshake', 'NON-STRICT', 'error="invalid_token" although no token was presented')];
      if (presented && !hasError) return [finding('www-authenticate', 'handshake', 'NON-STRICT', 'no error="invalid_token" although a token was presented')];
      return [];
    },
  },
  {
    id: 'session-outcome',
    description: 'an accepted session stays open, or closes with the predicted code (1008 unless the policy declares another) for the predicted reason',
    run(i) {
      const e = i.evidence;
      if (!e.upgraded) return [];
      const p = i.prediction;
      const f = (v: Finding['verdict'], m: string) => [finding('session-outcome', 'session', v, m)];
      if (p.outcome === 'accept') {
        if (!serverClosed(i)) return [];
        return f('FAILED', `the server closed an authenticated session (${e.close!.code} ${e.close!.reason})`);
      }
      const due = closeCode(p.outcome);
      if (due === null) return [];
      // Never authenticated: a credential refused after the upgrade (first message, or a declared accept-then-close).
      const unauthenticated = UNAUTHENTICATED_SESSION.has(p.reason) || isHandshakeReason(p.reason);
      if (!serverClosed(i)) {
        if (UNAUTHENTICATED_SESSION.has(p.reason) && e.actions.some((a) => a.action === 'auth message sent') && e.frames.length === 0) {
          return f('FAILED', `the auth message got no answer and the socket no close within the window (${p.reason})`);
        }
        return f(unauthenticated ? 'FAILED-SECURITY' : 'FAILED', `no close ${due} within the observation window (${p.reason})`);
      }
      const { code, reason } = e.close!;
      if (code === due) return [];
      if (code === 1006 || code === 1005) return f('FAILED', `socket dropped without a close frame (${code}) where ${due} was due (${p.reason})`);
      return f('WRONG-CODE', `close ${code} ${reason} where ${due} was due (${p.reason})`);
    },
  },
  {
    id: 'session-timing',
    description: 'a session closed for expiry closes at exp + skew, not before',
    run(i) {
      const e = i.evidence;
      if (i.prediction.reason !== 'session-token-expired' || !e.close || e.close.by !== 'server' || i.expSeconds === null) return [];
      const due = (i.expSeconds + i.policy.clockSkewSeconds) * 1000;
      const at = e.startedAt + e.close.ms;
      // NumericDates have one-second resolution: allow a second early.
      if (at < due - 1000) return [finding('session-timing', 'session', 'FAILED', `closed ${Math.round((due - at) / 1000)} s before exp + skew`)];
      if (at > due + i.timing.expiryToleranceMs) return [finding('session-timing', 'session', 'FAILED', `closed ${at - due} ms after exp + skew`)];
      return [];
    },
  },
];

function describeBody(body: string): string {
  try {
    const parsed = JSON.parse(body) as { error?: unknown };
    if (typeof parsed.error === 'string') return `error ${parsed.error}`;
  } catch {
    /* not JSON */
  }
  return body ? `body ${body.slice(0, 60)}` : 'empty body';
}

/**
 * RFC 6750 3.1, read from the request rather than from any backend's table: a request
 * presents a bearer token when a non-empty credential sits in a placement the target
 * reads, under the Bearer scheme (any letter case). Then a 401 says error="invalid_token";
 * a request without one ("lacks any authentication information", or uses another scheme)
 * gets a challenge without an error code.
 */
export function bearerTokenPresented(i: JudgeInput): boolean {
  const { placement, scheme } = i.facts;
  if (!i.tokenPresented || placement === 'none' || !placementEnabled(i.policy, placement)) return false;
  return !(placement === 'authorization-header' && scheme === 'other');
}
