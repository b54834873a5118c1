// One connection attempt with the `ws` client, recording wire evidence. The TCP
// socket is created here (createConnection) so that "the server released the socket
// without a response" and "still open at the client deadline" are told apart.
import net from 'node:net';
import WebSocket from 'ws';
import type { ForgedRequest } from '../cases/forge/request.ts';
import { emptyEvidence, type Evidence } from './evidence.ts';

export interface SessionPlan {
  /** Client deadline for the HTTP answer (the target's deadline plus a grace margin). */
  handshakeDeadlineMs: number;
  /** After the upgrade (and the auth exchange), watch this long for a server close. */
  watchMs: number | (() => number);
  /** First-message auth: how long to wait for the server's answer before going on. */
  authAnswerMs: number;
  /** Done once the session is established (e.g. revoke the user), timed in the evidence. */
  afterEstablished?: { action: string; run: () => Promise<void>; watchMs: number };
}

const BODY_LIMIT = 4096;
const CLOSE_WAIT_MS = 1000;
const BODY_WAIT_MS = 1000;

export function drive(url: string, request: ForgedRequest, plan: SessionPlan): Promise<Evidence> {
  const evidence = emptyEvidence(Date.now());
  const t0 = performance.now();
  const ms = () => Math.round(performance.now() - t0);
  const target = new URL(request.path, url);
  target.protocol = url.startsWith('wss') ? 'wss:' : 'ws:';

  return new Promise<Evidence>((resolve) => {
    let done = false;
    let clientClosing = false;
    let responded = false;
    let socket: net.Socket | null = null;
    const timers: NodeJS.Timeout[] = [];
    const later = (delay: number, fn: () => void) => {
      if (!done) timers.push(setTimeout(fn, delay));
    };

    const finish = () => {
      if (done) return;
      done = true;
      timers.forEach(clearTimeout);
      evidence.totalMs = ms();
      try {
        ws.terminate();
      } catch {
        /* already gone */
      }
      socket?.destroy();
      resolve(evidence);
    };

    const headers: Record<string, string> = {};
    for (const [k, v] of request.headers) headers[k] = k in headers ? `${headers[k]}, ${v}` : v;

    let ws: WebSocket;
    try {
      ws = new WebSocket(target.toString(), request.protocols, {
        headers,
        perMessageDeflate: false,
        followRedirects: false,
        maxPayload: 1 << 20,
        createConnection: (options: net.NetConnectOpts) => {
          const s = net.connect(options);
          socket = s;
          s.once('connect', () => (evidence.connect = { ok: true, ms: ms() }));
          s.once('close', () => {
            if (!responded && evidence.connect.ok && !done) {
              evidence.released = { ms: ms(), how: 'closed without a response' };
              finish();
            }
          });
          return s;
        },
      } as WebSocket.ClientOptions);
    } catch (error) {
      evidence.error = `client refused the request: ${(error as Error).message}`;
      evidence.connect = { ok: false, error: evidence.error };
      resolve(evidence);
      return;
    }

    later(plan.handshakeDeadlineMs, () => {
      if (!responded && !done) {
        if (evidence.connect.ok) evidence.hung = { ms: ms() };
        else evidence.connect = { ok: false, error: `no TCP connection within ${plan.handshakeDeadlineMs} ms` };
        finish();
      }
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
      const established = () => {
        const after = plan.afterEstablished;
        if (after) {
          after
            .run()
            .then(() => evidence.actions.push({ ms: ms(), action: after.action }))
            .catch((e: Error) => evidence.actions.push({ ms: ms(), action: `${after.action} failed: ${e.message}` }))
            .finally(() => later(after.watchMs, closeFromClient));
        } else {
          later(typeof plan.watchMs === "function" ? plan.watchMs() : plan.watchMs, closeFromClient);
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

    const closeFromClient = () => {
      if (done || evidence.close) return;
      clientClosing = true;
      evidence.actions.push({ ms: ms(), action: 'client close 1000' });
      ws.close(1000, 'observation window over');
      later(CLOSE_WAIT_MS, finish);
    };

    ws.on('close', (code, reason) => {
      if (evidence.upgraded && !evidence.close) {
        evidence.close = { code, reason: reason.toString().slice(0, 256), by: clientClosing ? 'client' : 'server', ms: ms() };
      }
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
