// The driver against raw TCP servers that misbehave in the ways that matter: it must
// tell "released without a response" from "hung until the client deadline", and keep
// whatever the wire showed (status line, headers, close code, who closed).
import { createHash } from 'node:crypto';
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';
import type { ForgedRequest } from '../cases/forge/request.ts';
import { drive, type SessionPlan } from './client.ts';
import { observedOutcome } from './evidence.ts';

const servers: net.Server[] = [];
afterEach(() => servers.splice(0).forEach((s) => s.close()));

/** A raw server: `onRequest` once per connection with the request head, then `onFrame` per client frame (unmasked). */
async function rawServer(onRequest: (socket: net.Socket, request: string) => void, onFrame?: (socket: net.Socket, opcode: number, payload: Buffer) => void, options: net.ServerOpts = {}): Promise<string> {
  const server = net.createServer(options, (socket) => {
    let head = '';
    let frames = Buffer.alloc(0);
    socket.on('error', () => {});
    socket.on('data', (c) => {
      if (!head.includes('\r\n\r\n')) {
        head += c.toString('latin1');
        if (head.includes('\r\n\r\n')) onRequest(socket, head);
        return;
      }
      frames = Buffer.concat([frames, c]);
      for (let f = clientFrame(frames); f; f = clientFrame(frames)) {
        frames = frames.subarray(f.length);
        onFrame?.(socket, f.opcode, f.payload);
      }
    });
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `ws://127.0.0.1:${(server.address() as net.AddressInfo).port}/ws`;
}

/** One masked client frame with a payload under 126 bytes (pings, closes, short texts). */
function clientFrame(b: Buffer): { opcode: number; payload: Buffer; length: number } | null {
  if (b.length < 6) return null;
  const n = b[1]! & 0x7f;
  if (b.length < 6 + n) return null;
  const payload = Buffer.from(b.subarray(6, 6 + n).map((x, i) => x ^ b[2 + (i % 4)]!));
  return { opcode: b[0]! & 0x0f, payload, length: 6 + n };
}

/** An unmasked server frame. */
const serverFrame = (opcode: number, payload: Buffer) => Buffer.concat([Buffer.from([0x80 | opcode, payload.length]), payload]);
const closeFrame = (code: number | null, reason = '') =>
  serverFrame(0x8, code === null ? Buffer.alloc(0) : Buffer.concat([Buffer.from([code >> 8, code & 0xff]), Buffer.from(reason)]));
const PING = 0x9;
const CLOSE = 0x8;

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
      socket.write(closeFrame(1008, 'alg-none'));
    });
    const e = await drive(url, request, { ...plan, watchMs: 1000 });
    expect(e.upgraded).not.toBeNull();
    expect(e.close).toMatchObject({ code: 1008, reason: 'alg-none', by: 'server' });
    expect(observedOutcome(e)).toBe('close-1008');
  });

  it('a text frame in the same segment as the 101 reaches the client (the frame tap takes nothing)', async () => {
    const url = await rawServer((socket, req) => {
      accept(socket, req);
      socket.write(serverFrame(0x1, Buffer.from('auth-ok')));
    });
    const e = await drive(url, request, plan);
    expect(e.frames.map((f) => f.text)).toEqual(['auth-ok']);
  });

  it('101 then the socket dropped without a close frame is 1006', async () => {
    const url = await rawServer((socket, req) => {
      accept(socket, req);
      setTimeout(() => socket.destroy(), 20);
    });
    const e = await drive(url, request, { ...plan, watchMs: 1000 });
    expect(e.close).toMatchObject({ code: 1006, by: 'server' });
  });

  it('an accepted socket kept open through the window, answering nothing: accept, closed by the client', async () => {
    const url = await rawServer((socket, req) => accept(socket, req));
    const e = await drive(url, request, plan);
    expect(e.close).toMatchObject({ by: 'client', crossed: false });
    expect(observedOutcome(e)).toBe('accept');
  });

  it('hang: the answer deadline runs from when the request was written, the connect timed apart', async () => {
    const url = await rawServer(() => {});
    const e = await drive(url, request, plan);
    expect(e.connect.ok).toBe(true);
    expect(e.sent).not.toBeNull();
    expect(e.hung!.waitedMs).toBeGreaterThanOrEqual(plan.handshakeDeadlineMs - 1);
    expect(e.hung!.ms - e.sent!.ms).toBeGreaterThanOrEqual(plan.handshakeDeadlineMs - 1);
  });
  it('nothing listening: no TCP connection (a vacuous case)', async () => {
    const e = await drive('ws://127.0.0.1:9/ws', request, plan);
    expect(e.connect.ok).toBe(false);
    expect(observedOutcome(e)).toBe('no-connection');
  });
});

// The end of the observe window races a server that closes: the server's close frame
// may cross the client's close on the wire. Each server below makes the order certain.
describe('drive: who closed at the end of the observe window', () => {
  it('a real ws server, silent through the window: it answers the ping, echoes the close: accept', async () => {
    const wss = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    await new Promise((r) => wss.once('listening', r));
    try {
      const e = await drive(`ws://127.0.0.1:${(wss.address() as net.AddressInfo).port}/ws`, request, plan);
      expect(e.close).toMatchObject({ code: 1000, by: 'client', crossed: false });
      expect(observedOutcome(e)).toBe('accept');
    } finally {
      await new Promise((r) => wss.close(r));
    }
  });

  it.each([
    ['1008', 1008, 'close-1008'],
    ['an empty close frame (1005)', null, 'close-1005'],
  ])('the server closes with %s as the client ping arrives, without reading on: the server\'s close, crossed', async (_name, code, outcome) => {
    const url = await rawServer(accept, (socket, opcode) => {
      if (opcode === PING) socket.end(closeFrame(code, code === null ? '' : 'alg-none'));
    });
    const e = await drive(url, request, plan);
    expect(e.close).toMatchObject({ code: code ?? 1005, by: 'server', crossed: true });
    expect(observedOutcome(e)).toBe(outcome);
  });

  it('the server closes 1008 exactly when the client\'s close arrives, never answering the ping: the server\'s close', async () => {
    const url = await rawServer(accept, (socket, opcode) => {
      if (opcode === CLOSE) socket.end(closeFrame(1008, 'token-invalid'));
    });
    const e = await drive(url, request, plan);
    expect(e.close).toMatchObject({ code: 1008, reason: 'token-invalid', by: 'server', crossed: true });
    expect(observedOutcome(e)).toBe('close-1008');
  });

  it('the server sends close 1008 at the window end and reads late: the server\'s close, whichever crossed first', async () => {
    const url = await rawServer((socket, req) => {
      accept(socket, req);
      socket.pause();
      setTimeout(() => socket.write(closeFrame(1008, 'alg-none')), plan.watchMs as number);
      setTimeout(() => socket.end(), (plan.watchMs as number) + 300);
    });
    const e = await drive(url, request, plan);
    expect(e.close).toMatchObject({ code: 1008, by: 'server' });
    expect(observedOutcome(e)).toBe('close-1008');
  });

  it('a close frame whose TCP connection the server holds open is still recorded as the server\'s close', async () => {
    const url = await rawServer((socket, req) => {
      accept(socket, req);
      setTimeout(() => socket.write(closeFrame(1008, 'alg-none')), 20);
    }, undefined, { allowHalfOpen: true });
    const e = await drive(url, request, { ...plan, watchMs: 300 });
    expect(e.close).toMatchObject({ code: 1008, by: 'server', crossed: false });
    expect(observedOutcome(e)).toBe('close-1008');
  });

  it.each([
    ['1008 (its own code)', 1008],
    ['an empty close frame', null],
  ])('the server answers the ping, then replies to the client\'s close with %s: silent at the window end, accept', async (_name, code) => {
    const url = await rawServer(accept, (socket, opcode, payload) => {
      if (opcode === PING) socket.write(serverFrame(0xa, payload));
      if (opcode === CLOSE) socket.end(closeFrame(code, code === null ? '' : 'policy'));
    });
    const e = await drive(url, request, plan);
    expect(e.close).toMatchObject({ by: 'client', crossed: false });
    expect(observedOutcome(e)).toBe('accept');
  });

  it('a server that never answers pings but echoes the client\'s 1000: the client\'s close', async () => {
    const url = await rawServer(accept, (socket, opcode) => {
      if (opcode === CLOSE) socket.end(closeFrame(1000));
    });
    const e = await drive(url, request, plan);
    expect(e.close).toMatchObject({ code: 1000, by: 'client' });
    expect(observedOutcome(e)).toBe('accept');
  });
});
