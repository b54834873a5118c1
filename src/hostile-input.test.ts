// The reference backend under hostile input: request heads that never end (slowloris)
// are dropped a second after the handshake deadline while valid handshakes answer, and a
// validly signed `sub` no directory can store gets a reason (403 user-unknown when the
// token is well-formed JSON, 401 token-malformed when its bytes are not UTF-8), never a 503.
// Timing figures for the same attack: `npm run slowloris`.
import { createHmac } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolvePolicy } from '../model/policy.ts';
import type { SqlDirectory } from './directory/directory.ts';
import { openPgliteDirectory } from './directory/pglite.ts';
import { userSeeder } from './directory/seed.ts';
import { startReferenceBackend, type ReferenceBackend } from './server.ts';
import { attempt, AUDIENCE, bearer, errorOf, ISSUER, mint, SECRET } from './testing/harness.ts';

const DEADLINE_MS = 1000;
let directory: SqlDirectory;
let backend: ReferenceBackend;

beforeAll(async () => {
  directory = await openPgliteDirectory();
  await userSeeder(directory.sql).insert([{ user_id: 'alice', roles: ['chat'] }]);
  backend = await startReferenceBackend({ policy: resolvePolicy({ handshakeDeadlineMs: DEADLINE_MS }), keys: { secret: SECRET }, directory });
});

afterAll(async () => {
  await backend?.close();
  await directory?.close();
});

/** An HS256 token over raw payload bytes (jose only signs well-formed JSON text). */
function signRaw(payload: Buffer): string {
  const head = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'at+jwt' })).toString('base64url');
  const body = payload.toString('base64url');
  const signature = createHmac('sha256', SECRET).update(`${head}.${body}`).digest('base64url');
  return `${head}.${body}.${signature}`;
}

describe('a subject no directory can store', () => {
  it.each([
    ['a NUL byte', 'ali\u0000ce'],
    ['a lone surrogate', 'alice\ud800'],
  ])('%s in sub: 403 user-unknown, not 503', async (_what, sub) => {
    const obs = await attempt(backend.url, { headers: bearer(await mint({ claims: { sub } })) });
    expect(obs.status).toBe(403);
    expect(errorOf(obs)).toBe('user-unknown');
  });

  // A payload that is not UTF-8 is not JSON text (RFC 8259): the token is malformed.
  it('invalid UTF-8 in sub: 401 token-malformed, not 503', async () => {
    const now = Math.floor(Date.now() / 1000);
    const before = Buffer.from(`{"iss":"${ISSUER}","aud":"${AUDIENCE}","iat":${now},"exp":${now + 300},"sub":"ali`);
    const obs = await attempt(backend.url, { headers: bearer(signRaw(Buffer.concat([before, Buffer.from([0xff, 0xc3]), Buffer.from('ce"}')]))) });
    expect(obs.status).toBe(401);
    expect(errorOf(obs)).toBe('token-malformed');
  });
});

interface SlowSocket {
  socket: Socket;
  /** Set when the server ended the socket; the test never closes one itself. */
  released: Promise<{ answer: string; afterMs: number }>;
}

// Sends a request line and a header, then one more header line every 300 ms: a head that never ends.
function slowSocket(port: number): Promise<SlowSocket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const openedAt = performance.now();
    let answer = '';
    let trickle: NodeJS.Timeout | undefined;
    const released = new Promise<{ answer: string; afterMs: number }>((done) => {
      socket.on('data', (chunk) => (answer += chunk.toString('latin1')));
      socket.on('close', () => {
        clearInterval(trickle);
        done({ answer, afterMs: performance.now() - openedAt });
      });
    });
    socket.on('error', () => {});
    socket.once('connect', () => {
      socket.write('GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n');
      trickle = setInterval(() => socket.write(`X-Slow-${Math.floor(performance.now())}: 1\r\n`), 300);
      resolve({ socket, released });
    });
    socket.once('error', reject);
  });
}

describe('slow request heads (slowloris)', () => {
  it('2,000 sockets trickling a head are each released by the server, no sooner than the deadline, and a valid handshake answers during the mass release', async () => {
    const slow: SlowSocket[] = [];
    // In batches: a burst of 2,000 connects would overflow the listen backlog.
    for (let i = 0; i < 2000; i += 200) slow.push(...(await Promise.all(Array.from({ length: 200 }, () => slowSocket(backend.port)))));
    const firstRelease = Promise.race(slow.map((s) => s.released));
    await firstRelease;
    const valid = await attempt(backend.url, { headers: bearer(await mint()), handshakeTimeoutMs: 30_000 });
    expect(valid.status).toBe(101);
    const releases = await Promise.all(slow.map((s) => s.released));
    for (const r of releases) {
      // Dropped with 408 (Node's answer to an unfinished head) or without a word; never upgraded.
      expect(r.answer === '' || r.answer.startsWith('HTTP/1.1 408')).toBe(true);
      expect(r.afterMs).toBeGreaterThanOrEqual(DEADLINE_MS - 50);
    }
  });
});
