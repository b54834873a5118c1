// `init` against a backend of another shape, written here with ws + jsonwebtoken: no
// user directory, no Origin check, 400 for any bad token, 413 above a 4 KiB token. The
// draft must learn each of those answers (the unprobed token defects following the
// probed ones), and a run with it as written must pass.
import { spawn } from 'node:child_process';
import { createServer, type IncomingMessage } from 'node:http';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import jwt from 'jsonwebtoken';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocketServer } from 'ws';

const BIN = join(import.meta.dirname, '..', 'cli', 'bin.mjs');
const SECRET = 'init-shapes-test-secret-0123456789abcdef';
const LIMIT = 4096;
let url: string;
let stop: () => void;

beforeAll(async () => {
  const http = createServer((_req, res) => res.writeHead(404).end());
  const wss = new WebSocketServer({
    server: http,
    verifyClient: (info: { req: IncomingMessage }, done) => {
      const token = /^Bearer (\S+)$/i.exec(info.req.headers.authorization ?? '')?.[1];
      if (!token) return done(false, 401, 'Unauthorized', { 'WWW-Authenticate': 'Bearer' });
      if (token.length > LIMIT) return done(false, 413, 'Payload Too Large');
      jwt.verify(token, SECRET, { algorithms: ['HS256'], issuer: 'https://id.shapes.test', audience: 'shapes' }, (error) => (error ? done(false, 400, 'Bad Request') : done(true)));
    },
  });
  wss.on('connection', (socket) => socket.on('message', (m) => socket.send(m)));
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  url = `ws://127.0.0.1:${(http.address() as { port: number }).port}/`;
  stop = () => {
    for (const c of wss.clients) c.terminate();
    http.close();
  };
});
afterAll(() => stop());

function cli(args: string[]): Promise<{ code: number | null; out: string }> {
  // The CLI runs as its own process: the backend above lives in this one.
  const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, WSAC_SHAPES_SECRET: SECRET }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (c: Buffer) => (out += c));
  child.stderr!.on('data', (c: Buffer) => (out += c));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, out })));
}

describe('init against a stateless backend answering 400 and 413', () => {
  it('learns those answers, follows them for the unprobed defects, and the run with the draft passes', async () => {
    // Written as .mjs: the draft is plain JavaScript as well as TypeScript.
    const out = join(await mkdtemp(join(tmpdir(), 'wsac-init-shapes-')), 'ws-auth-conformance.config.mjs');
    const init = await cli(['init', '--url', url, '--secret-env', 'WSAC_SHAPES_SECRET', '--issuer', 'https://id.shapes.test', '--audience', 'shapes', '--out', out, '--quiet']);
    expect(init.code, init.out).toBe(0);
    const draft = await readFile(out, 'utf8');
    for (const line of ['users: "stateless",', 'requiredRole: null,', 'allowedOrigins: [],', '"signature-wrong-key": "reject-400",', '"token-oversize": "reject-413",']) expect(draft).toContain(line);
    // Never probed, answered like a wrong signature: a guess the comment owns up to.
    const lines = draft.split('\n');
    const stripped = lines.findIndex((l) => l.trim() === '"signature-stripped": "reject-400",');
    expect(stripped).toBeGreaterThan(0);
    expect(lines.slice(stripped - 2, stripped).join(' ')).toContain('not probed: answered like signature-wrong-key');
    const limit = Number(/maxTokenBytes: (\d+),/.exec(draft)?.[1]);
    expect(limit).toBeGreaterThan(LIMIT - 300);
    expect(limit).toBeLessThanOrEqual(LIMIT);
    const run = await cli(['run', '--config', out, '--seed', '5', '--runs', '60', '--deadline-ms', '5000', '--quiet']);
    expect(run.out).toContain('result: PASS');
    expect(run.code).toBe(0);
  }, 240_000);
});
