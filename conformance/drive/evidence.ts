// What the wire showed for one case. Every judged case carries some of it; a case
// with none (no TCP connection) is VACUOUS.
import type { Revocation } from '../../model/policy-types.ts';

/** The action recorded when the engine revokes a case's user while its socket is open. */
export const REVOCATION_ACTIONS: Record<Revocation, string> = {
  deactivation: 'user revoked',
  deletion: 'user deleted',
  'role-removal': 'user role removed',
};

export interface Evidence {
  /** Epoch ms when the TCP connect started; every other `ms` is relative to it. */
  startedAt: number;
  /** TCP connect, timed apart from the answer: a failed or slow connect is never a hang. */
  connect: { ok: true; ms: number } | { ok: false; error: string };
  /** When the request had been written to the socket: the answer deadline runs from here. */
  sent: { ms: number } | null;
  /** A non-101 HTTP response: status line, headers (lower-case names), body (first 4 KiB). */
  response: { status: number; statusText: string; headers: Record<string, string>; body: string; ms: number } | null;
  /** HTTP 101: the subprotocol the server selected, if any. */
  upgraded: { ms: number; protocol: string; headers: Record<string, string> } | null;
  /** Text frames from the server after the upgrade (e.g. auth-ok). */
  frames: Array<{ ms: number; text: string }>;
  /** What the client did after the upgrade: auth message sent, user revoked / deleted / role removed, client close. */
  actions: Array<{ ms: number; action: string }>;
  /**
   * Close of an upgraded socket: code (1006 = no close frame), who closed (closing.ts),
   * `ms` when the server's close frame arrived. `crossed`: the server's own close crossed
   * the client's end-of-window close on the wire.
   */
  close: { code: number; reason: string; by: 'server' | 'client'; ms: number; crossed?: boolean } | null;
  /** The server ended the TCP connection without any HTTP response. */
  released: { ms: number; how: string } | null;
  /** No HTTP response and the socket still open at the client's deadline; `waitedMs` since the request was written. */
  hung: { ms: number; waitedMs?: number } | null;
  /** A client-side error not covered above. */
  error: string | null;
  totalMs: number;
}

export function emptyEvidence(startedAt: number): Evidence {
  return {
    startedAt,
    connect: { ok: false, error: 'not attempted' },
    sent: null,
    response: null,
    upgraded: null,
    frames: [],
    actions: [],
    close: null,
    released: null,
    hung: null,
    error: null,
    totalMs: 0,
  };
}

/** What a client saw, as one of the model's outcomes where it is one, or a literal otherwise (`http-500`, `close-1011`, `hang`). */
export function observedOutcome(e: Evidence): string {
  if (!e.connect.ok) return 'no-connection';
  if (e.response) {
    if (e.response.status === 401) return 'reject-401';
    if (e.response.status === 403) return 'reject-403';
    return `http-${e.response.status}`;
  }
  if (e.upgraded) {
    if (!e.close || e.close.by === 'client') return 'accept';
    return e.close.code === 1008 ? 'close-1008' : `close-${e.close.code}`;
  }
  // Released by the target's deadline: the model's timeout. Still open at the client's
  // deadline: a hang, which no policy allows.
  if (e.released) return 'timeout';
  if (e.hung) return 'hang';
  return 'no-evidence';
}
