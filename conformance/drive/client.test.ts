// The driver against raw TCP servers that misbehave in the ways that matter: it must
// tell "released without a response" from "hung until the client deadline", and keep
// whatever the wire showed (status line, headers, close code, who closed).
import { createHash } from 'node:crypto';
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { ForgedRequest } from '../cases/forge/request.ts';
import { drive, type SessionPlan } from './client.ts';
import { observedOutcome } from './evidence.ts';

const servers: net.Server[] = [];
afterEach(() => servers.splice(0).forEach((s) => s.close()));

async function rawServer(onRequest: (socket: net.Socket, request: string) => void): Promise<string> {
  const server = net.createServer((socket) => {
    let buf = '';
    socket.on('error', () => {});
    socket.on('data', (c) => {
      buf += c.toString('latin1');
      if (buf.includes('\r\n\r\n')) onRequest(socket, buf);
    });
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `ws://127.0.0.1:${(server.address() as net.AddressInfo).port}/ws`;
}

const request: ForgedRequest = { path: '/ws', headers: [['Authorization', 'Bearer x']], protocols: [], authMessage: null, token: 'x', tokenInfo: null, expSeconds: null };
const plan: SessionPlan = { handshakeDeadlineMs: 400, watchMs: 100, authAnswerMs: 100 };

function accept(socket: net.Socket, req: string): void {
  const key = /sec-websocket-key: (.*)\r\n/i.exec(req)![1]!.trim();
  const acceptKey = createHash('sha1').update(`${key}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest('base64');
  socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${acceptKey}\r\n\r\n`);
}

describe('drive: wire evidence', () => {
  it('a socket closed without any response is "released", not a hang', async () => {
    const url = await rawServer((socket) => socket.destroy());
    const e = await drive(url, request, plan);
    expect(e.released).not.toBeNull();
    expect(e.hung).toBeNull();
    expect(observedOutcome(e)).toBe('timeout');
  });

  it('no answer by the client deadline is a hang', async () => {
    const url = await rawServer(() => {});
    const e = await drive(url, request, plan);
    expect(e.hung).not.toBeNull();
    expect(e.released).toBeNull();
  });

  it('keeps the status line, headers and body of a refusal', async () => {
    const url = await rawServer((socket) =>
      socket.end('HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Bearer realm="ws"\r\nContent-Length: 26\r\nConnection: close\r\n\r\n{"error":"alg-none"}      '),
    );
    const e = await drive(url, request, plan);
    expect(e.response).toMatchObject({ status: 401, statusText: 'Unauthorized', headers: { 'www-authenticate': 'Bearer realm="ws"' } });
    expect(e.response?.body).toContain('alg-none');
  });

  it('a refusal whose body never ends is still recorded', async () => {
    const url = await rawServer((socket) => socket.write('HTTP/1.1 500 Internal Server Error\r\nContent-Length: 1000\r\n\r\n{"partial"'));
    const e = await drive(url, request, { ...plan, handshakeDeadlineMs: 3000 });
    expect(e.response?.status).toBe(500);
  });

  it('101 then a close frame 1008 from the server: code, reason, who closed', async () => {
    const url = await rawServer((socket, req) => {
      accept(socket, req);
      const reason = Buffer.from('alg-none');
      socket.write(Buffer.concat([Buffer.from([0x88, 2 + reason.length, 0x03, 0xf0]), reason]));
    });
    const e = await drive(url, request, { ...plan, watchMs: 1000 });
    expect(e.upgraded).not.toBeNull();
    expect(e.close).toMatchObject({ code: 1008, reason: 'alg-none', by: 'server' });
    expect(observedOutcome(e)).toBe('close-1008');
  });

  it('101 then the socket dropped without a close frame is 1006', async () => {
    const url = await rawServer((socket, req) => {
      accept(socket, req);
      setTimeout(() => socket.destroy(), 20);
    });
    const e = await drive(url, request, { ...plan, watchMs: 1000 });
    expect(e.close).toMatchObject({ code: 1006, by: 'server' });
  });

  it('an accepted socket kept open through the window is closed by the client: accept', async () => {
    const url = await rawServer((socket, req) => accept(socket, req));
    const e = await drive(url, request, plan);
    expect(e.close?.by).toBe('client');
    expect(observedOutcome(e)).toBe('accept');
  });

  it('nothing listening: no TCP connection (a vacuous case)', async () => {
    const e = await drive('ws://127.0.0.1:9/ws', request, plan);
    expect(e.connect.ok).toBe(false);
    expect(observedOutcome(e)).toBe('no-connection');
  });
});
