// One connection attempt with the `ws` client, recording wire evidence. The TCP
// socket is created here (createConnection) so that "the server released the socket
// without a response" and "still open at the client deadline" are told apart, and so
// that connecting is timed apart from answering: a slow connect on a busy machine is
// the machine's, not the backend's.
import net from 'node:net';
import tls from 'node:tls';
import WebSocket from 'ws';
import type { ForgedRequest } from '../cases/forge/request.ts';
import { CLIENT_CLOSE_CODE, closedBy } from './closing.ts';
import { emptyEvidence, type Evidence } from './evidence.ts';
import { tapControlFrames } from './frames.ts';

export interface SessionPlan {
  /** How long the TCP connect may take; no connection by then is "no-connection", never a hang. */
  connectTimeoutMs?: number;
  /** Client deadline for the HTTP answer (the target's deadline plus a grace margin), counted from when the request was written. */
  handshakeDeadlineMs: number;
  /** After the upgrade (and the auth exchange), watch this long for a server close. */
  watchMs: number | (() => number);
  /** First-message auth: how long to wait for the server's answer before going on. */
  authAnswerMs: number;
  /** Done once the session is established (e.g. revoke the user), timed in the evidence. */
  afterEstablished?: { action: string; run: () => Promise<void>; watchMs: number };
}

/** Generous: a loaded machine can take seconds to accept a local connection. */
export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;
const BODY_LIMIT = 4096;
const CLOSE_WAIT_MS = 1000;
const BODY_WAIT_MS = 1000;
const WINDOW_END_PING = 'wsac observe window over';
const CLIENT_CLOSE_REASON = 'observation window over';

export function drive(url: string, request: ForgedRequest, plan: SessionPlan): Promise<Evidence> {
  const evidence = emptyEvidence(Date.now());
  const t0 = performance.now();
  const ms = () => Math.round(performance.now() - t0);
  const target = new URL(request.path, url);
  target.protocol = url.startsWith('wss') ? 'wss:' : 'ws:';
  const connectTimeoutMs = plan.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;

  return new Promise<Evidence>((resolve) => {
    let done = false;
    let responded = false;
    let answerClockStarted = false;
    let socket: net.Socket | null = null;
    // What the tap saw, for closedBy(): see closing.ts.
    let clientClosed = false;
    let pongBeforeClose = false;
    let closeFrame: { code: number; reason: string; ms: number; beforeClientClose: boolean } | null = null;
    const timers: NodeJS.Timeout[] = [];
    const later = (delay: number, fn: () => void) => {
      if (!done) timers.push(setTimeout(fn, delay));
    };

    const recordClose = (code: number, reason: string) => {
      if (!evidence.upgraded || evidence.close) return;
      const frameCode = closeFrame?.code ?? null;
      const by = closedBy({ clientClosed, frameBeforeClientClose: closeFrame?.beforeClientClose ?? false, pongBeforeClose, frameCode });
      evidence.close = {
        code: closeFrame?.code ?? code,
        reason: (closeFrame?.reason ?? reason).slice(0, 256),
        by,
        ms: closeFrame?.ms ?? ms(),
        crossed: by === 'server' && clientClosed && !(closeFrame?.beforeClientClose ?? false),
      };
    };

    const finish = () => {
      if (done) return;
      done = true;
      timers.forEach(clearTimeout);
      // A close frame read but the TCP connection still open: the frame is the evidence.
      if (closeFrame) recordClose(closeFrame.code, closeFrame.reason);
      else if (evidence.upgraded && !evidence.close) {
        // The client closed and the server answered nothing, neither pong nor close.
        if (clientClosed) evidence.close = { code: 1006, reason: '', by: 'client', ms: ms(), crossed: false };
        // The server ended the connection without a close frame; ws had not said so yet.
        else if (ws.readyState !== WebSocket.OPEN) recordClose(1006, '');
      }
      evidence.totalMs = ms();
      try {
        ws.terminate();
      } catch {
        /* already gone */
      }
      socket?.destroy();
      resolve(evidence);
    };

    // The answer deadline runs from when the request was written; a server that does not
    // even read the request gets it from one deadline after the connect.
    const startAnswerClock = () => {
      if (answerClockStarted) return;
      answerClockStarted = true;
      const from = ms();
      later(plan.handshakeDeadlineMs, () => {
        if (responded || done) return;
        evidence.hung = { ms: ms(), waitedMs: ms() - from };
        finish();
      });
    };

    const headers: Record<string, string> = {};
    for (const [k, v] of request.headers) headers[k] = k in headers ? `${headers[k]}, ${v}` : v;

    // ws passes the TLS options (servername, ...) along with the address.
    const connect = (options: net.NetConnectOpts): net.Socket => {
      const s = target.protocol === 'wss:' ? tls.connect(options as tls.ConnectionOptions) : net.connect(options);
      socket = s;
      s.once('connect', () => {
        evidence.connect = { ok: true, ms: ms() };
        later(plan.handshakeDeadlineMs, startAnswerClock);
      });
      s.once('close', () => {
        if (!responded && evidence.connect.ok && !done) {
          evidence.released = { ms: ms(), how: 'closed without a response' };
          finish();
        }
      });
      return s;
    };

    let ws: WebSocket;
    try {
      ws = new WebSocket(target.toString(), request.protocols, {
        headers,
        perMessageDeflate: false,
        followRedirects: false,
        maxPayload: 1 << 20,
        createConnection: connect as typeof net.createConnection,
        finishRequest: (req) => {
          req.end(() => {
            evidence.sent = { ms: ms() };
            startAnswerClock();
          });
        },
      });
    } catch (error) {
      evidence.error = `client refused the request: ${(error as Error).message}`;
      evidence.connect = { ok: false, error: evidence.error };
      resolve(evidence);
      return;
    }

    later(connectTimeoutMs, () => {
      if (evidence.connect.ok || done) return;
      evidence.connect = { ok: false, error: `no TCP connection within ${connectTimeoutMs} ms` };
      finish();
    });

    ws.on('unexpected-response', (_req, res) => {
      responded = true;
      const chunks: Buffer[] = [];
      let size = 0;
      const record = () => {
        if (done) return;
        evidence.response = {
          status: res.statusCode ?? 0,
          statusText: res.statusMessage ?? '',
          headers: flatten(res.headers),
          body: Buffer.concat(chunks).toString('utf8').slice(0, BODY_LIMIT),
          ms: ms(),
        };
        finish();
      };
      res.on('data', (c: Buffer) => {
        if (size < BODY_LIMIT) chunks.push(c);
        size += c.length;
      });
      res.on('end', record);
      // A body that never ends still leaves its status line and headers as evidence.
      later(BODY_WAIT_MS, record);
      res.on('error', record);
      res.on('close', record);
    });

    ws.on('upgrade', (res) => {
      responded = true;
      evidence.upgraded = { ms: ms(), protocol: String(res.headers['sec-websocket-protocol'] ?? ''), headers: flatten(res.headers) };
    });

    ws.on('open', () => {
      // `ws` has put the bytes after the 101 head back into the socket and will read them
      // on the next tick: attached now, the tap sees them too (earlier, it would take them).
      if (socket) {
        tapControlFrames(socket, (frame) => {
          if (frame.kind === 'pong') {
            if (clientClosed && frame.payload === WINDOW_END_PING) pongBeforeClose = true;
          } else {
            closeFrame = { code: frame.code, reason: frame.reason, ms: ms(), beforeClientClose: !clientClosed };
          }
        });
      }
      const established = () => {
        const after = plan.afterEstablished;
        if (after) {
          after
            .run()
            .then(() => evidence.actions.push({ ms: ms(), action: after.action }))
            .catch((e: Error) => evidence.actions.push({ ms: ms(), action: `${after.action} failed: ${e.message}` }))
            .finally(() => later(after.watchMs, closeFromClient));
        } else {
          later(typeof plan.watchMs === 'function' ? plan.watchMs() : plan.watchMs, closeFromClient);
        }
      };
      if (request.authMessage !== null) {
        ws.send(request.authMessage);
        evidence.actions.push({ ms: ms(), action: 'auth message sent' });
        let answered = false;
        ws.once('message', () => {
          if (answered) return;
          answered = true;
          established();
        });
        later(plan.authAnswerMs, () => {
          if (answered) return;
          answered = true;
          established();
        });
      } else {
        established();
      }
    });

    ws.on('message', (data) => {
      evidence.frames.push({ ms: ms(), text: data.toString().slice(0, 512) });
    });

    // The end of the observe window: a ping, then close 1000 (see closing.ts). A server
    // that already started closing (its frame or its FIN arrived) is left to finish it.
    const closeFromClient = () => {
      if (done || evidence.close) return;
      later(CLOSE_WAIT_MS, finish);
      if (closeFrame || ws.readyState !== WebSocket.OPEN) return;
      clientClosed = true;
      evidence.actions.push({ ms: ms(), action: `client ping, close ${CLIENT_CLOSE_CODE}` });
      ws.ping(WINDOW_END_PING);
      ws.close(CLIENT_CLOSE_CODE, CLIENT_CLOSE_REASON);
    };

    ws.on('close', (code, reason) => {
      if (done) return;
      recordClose(code, reason.toString());
      if (evidence.upgraded || evidence.response) finish();
    });

    ws.on('error', (error: NodeJS.ErrnoException) => {
      if (done) return;
      if (!evidence.connect.ok) {
        evidence.connect = { ok: false, error: error.code ?? error.message };
        finish();
      } else if (!responded) {
        evidence.released = { ms: ms(), how: error.code ?? error.message };
        finish();
      } else if (!evidence.response) {
        evidence.error = error.message;
      }
    });
  });
}

function flatten(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) if (v !== undefined) out[k] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}
