// Small wire helpers for the container tests: mint a token the reference backend
// accepts, and make one handshake, recording what came back and when.
import { SignJWT } from 'jose';
import WebSocket from 'ws';
import type { Policy } from '../../model/policy.ts';

export async function mintToken(
  secret: string,
  policy: Policy,
  sub: string,
  options: { alg?: 'HS256' | 'none'; expiresInSeconds?: number } = {},
): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const claims = { iss: policy.issuer, aud: policy.audience, sub, iat: now, exp: now + (options.expiresInSeconds ?? 300) };
  if (options.alg === 'none') {
    const enc = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
    return `${enc({ alg: 'none', typ: policy.typ ?? 'JWT' })}.${enc(claims)}.`;
  }
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256', ...(policy.typ ? { typ: policy.typ } : {}) })
    .sign(new TextEncoder().encode(secret));
}

export interface Handshake {
  /** 101, 401, 403, ... or null when no HTTP answer came (timeout or released socket). */
  status: number | null;
  /** How the attempt ended: answered, released (socket closed without an answer), timeout. */
  end: 'answered' | 'released' | 'timeout';
  ms: number;
  /** For 101: the close code once the server closes, if it does within `watchMs`. */
  closeCode?: number;
}

export function handshake(url: string, token: string | null, options: { timeoutMs?: number; watchMs?: number; onOpen?: () => void } = {}): Promise<Handshake> {
  const t0 = performance.now();
  const ms = () => Math.round(performance.now() - t0);
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { headers: token ? { Authorization: `Bearer ${token}` } : {} });
    let settled = false;
    const finish = (h: Handshake) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      ws.removeAllListeners();
      ws.on('error', () => {});
      ws.terminate();
      resolve(h);
    };
    const timer = setTimeout(() => finish({ status: null, end: 'timeout', ms: ms() }), options.timeoutMs ?? 5000);
    ws.on('unexpected-response', (_req, res) => finish({ status: res.statusCode ?? null, end: 'answered', ms: ms() }));
    ws.on('error', () => finish({ status: null, end: 'released', ms: ms() }));
    ws.on('open', () => {
      const opened = ms();
      options.onOpen?.();
      if (!options.watchMs) return finish({ status: 101, end: 'answered', ms: opened });
      clearTimeout(timer);
      const watch = setTimeout(() => finish({ status: 101, end: 'answered', ms: opened }), options.watchMs);
      ws.on('close', (code) => {
        clearTimeout(watch);
        finish({ status: 101, end: 'answered', ms: opened, closeCode: code });
      });
    });
  });
}
