// Slowloris against the reference backend (`serve`, its own process, PGlite): N sockets
// trickle a request head that never ends; prints when the server released them (after
// each socket's connect), and the latency of valid handshakes sent every 100 ms from
// the first connect to the last release. Loopback only; bounded in count and time.
//
//   npm run slowloris [-- --sockets 2000 --deadline-ms 1000]
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { SignJWT } from 'jose';
import WebSocket from 'ws';

const { values } = parseArgs({ options: { sockets: { type: 'string', default: '2000' }, 'deadline-ms': { type: 'string', default: '1000' } } });
const SOCKETS = Number(values.sockets);
const DEADLINE_MS = Number(values['deadline-ms']);
const GIVE_UP_MS = DEADLINE_MS + 60_000;
const SECRET = `slowloris-${process.pid}-0123456789abcdef0123456789abcdef`;
const [ISSUER, AUDIENCE] = ['https://issuer.slowloris.test', 'slowloris'];

const dir = await mkdtemp(join(tmpdir(), 'wsac-slowloris-'));
await writeFile(join(dir, 'users.json'), JSON.stringify([{ user_id: 'alice', roles: ['chat'] }]));
await writeFile(join(dir, 'policy.json'), JSON.stringify({ handshakeDeadlineMs: DEADLINE_MS, issuer: ISSUER, audience: AUDIENCE }));
const bin = new URL('../cli/bin.mjs', import.meta.url).pathname;
const server = spawn(process.execPath, [bin, 'serve', '--port', '0', '--secret-env', 'SLOWLORIS_SECRET', '--users', join(dir, 'users.json'), '--policy', join(dir, 'policy.json'), '--log-level', 'error'], {
  env: { ...process.env, SLOWLORIS_SECRET: SECRET },
  stdio: ['ignore', 'pipe', 'inherit'],
});
const guard = setTimeout(() => {
  process.stderr.write(`slowloris: gave up after ${GIVE_UP_MS} ms\n`);
  server.kill();
  process.exit(1);
}, GIVE_UP_MS);

try {
  const url = await new Promise<string>((resolve, reject) => {
    server.once('exit', (code) => reject(new Error(`serve exited with ${code}`)));
    createInterface({ input: server.stdout! }).on('line', (line) => {
      const event = JSON.parse(line) as { event?: string; url?: string };
      if (event.event === 'ready' && event.url) resolve(event.url);
    });
  });
  const port = Number(new URL(url).port);
  const token = await new SignJWT({}).setProtectedHeader({ alg: 'HS256', typ: 'at+jwt' }).setIssuer(ISSUER).setAudience(AUDIENCE).setSubject('alice').setIssuedAt().setExpirationTime('10m').sign(new TextEncoder().encode(SECRET));

  const handshake = () =>
    new Promise<number | null>((resolve) => {
      const started = performance.now();
      const ws = new WebSocket(url, { headers: { Authorization: `Bearer ${token}` }, handshakeTimeout: 30_000 });
      ws.once('open', () => {
        resolve(performance.now() - started);
        ws.close();
      });
      ws.once('error', () => resolve(null));
      ws.once('unexpected-response', () => resolve(null));
    });

  const releases: number[] = [];
  let answered408 = 0;
  const slowSocket = () =>
    new Promise<{ released: Promise<void> }>((opened) => {
      const socket = connect(port, '127.0.0.1');
      let openedAt = 0;
      let trickle: NodeJS.Timeout | undefined;
      const released = new Promise<void>((done) => {
        socket.on('data', (chunk) => {
          if (chunk.toString('latin1').startsWith('HTTP/1.1 408')) answered408++;
        });
        socket.on('close', () => {
          clearInterval(trickle);
          releases.push(performance.now() - openedAt);
          done();
        });
      });
      socket.on('error', () => {});
      socket.once('connect', () => {
        openedAt = performance.now();
        socket.write('GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\n');
        trickle = setInterval(() => socket.write('X-Slow: 1\r\n'), 300);
        opened({ released });
      });
    });

  const t0 = performance.now();
  const probes: Array<Promise<number | null>> = [];
  let probing = true;
  const probe = setInterval(() => probing && probes.push(handshake()), 100);
  const released: Array<Promise<void>> = [];
  // In batches: a burst of thousands of connects would overflow the listen backlog.
  for (let i = 0; i < SOCKETS; i += 200) {
    const batch = await Promise.all(Array.from({ length: Math.min(200, SOCKETS - i) }, slowSocket));
    released.push(...batch.map((s) => s.released));
  }
  const openMs = performance.now() - t0;
  await Promise.all(released);
  const allReleasedMs = performance.now() - t0;
  probing = false;
  clearInterval(probe);
  const latencies = (await Promise.all(probes)).filter((ms): ms is number => ms !== null);
  const failed = probes.length - latencies.length;

  const sorted = [...releases].sort((a, b) => a - b);
  const q = (xs: number[], p: number) => xs[Math.min(xs.length - 1, Math.floor(p * xs.length))] ?? NaN;
  const f = (ms: number) => `${Math.round(ms)} ms`;
  const within = sorted.filter((ms) => ms <= DEADLINE_MS + 1000).length;
  const lat = [...latencies].sort((a, b) => a - b);
  process.stdout.write(
    [
      `slowloris: ${SOCKETS} sockets trickling a request head; handshake deadline ${DEADLINE_MS} ms`,
      `  opened all in ${f(openMs)}; all released ${f(allReleasedMs)} after the first connect`,
      `  released after connect: min ${f(sorted[0]!)}, median ${f(q(sorted, 0.5))}, p99 ${f(q(sorted, 0.99))}, max ${f(sorted.at(-1)!)}`,
      `  released within deadline + 1 s: ${within}/${SOCKETS}; answered 408: ${answered408}`,
      `  valid handshakes meanwhile: ${latencies.length} answered, ${failed} failed; latency median ${f(q(lat, 0.5))}, p99 ${f(q(lat, 0.99))}, max ${f(lat.at(-1) ?? NaN)}`,
      '',
    ].join('\n'),
  );
} finally {
  clearTimeout(guard);
  server.kill();
  await rm(dir, { recursive: true, force: true });
}
