// `init` against backends of other shapes, written here with ws + jsonwebtoken. One
// reading the token from the header or ?token=, without user directory or Origin check, answering 400 for any bad token and 413 above
// a 4 KiB token: the draft must learn each answer (the unprobed token defects following
// the probed ones), and a run with it as written must pass. One that decodes tokens
// without verifying them (jwt.decode, a classic): the draft must not learn that as
// contract, and the run with it must report it.
import { spawn } from 'node:child_process';
import { createServer, type IncomingMessage } from 'node:http';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import jwt from 'jsonwebtoken';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pathFindings, type Report } from '../examples/harness.ts';
import { WebSocketServer } from 'ws';

const BIN = join(import.meta.dirname, '..', 'cli', 'bin.mjs');
const SECRET = 'init-shapes-test-secret-0123456789abcdef';
const LIMIT = 4096;
const stops: Array<() => void> = [];
afterAll(() => stops.forEach((stop) => stop()));

type Decide = (token: string, done: (ok: boolean, status?: number, message?: string) => void) => void;

/** A ws backend on a free port whose `verifyClient` reads a Bearer token (or ?token=) and lets `decide` judge it. */
async function startShape(decide: Decide): Promise<string> {
  const http = createServer((_req, res) => res.writeHead(404).end());
  const wss = new WebSocketServer({
    server: http,
    verifyClient: (info: { req: IncomingMessage }, done) => {
      // The Authorization header, or ?token= (what a browser page can send).
      const token = /^Bearer (\S+)$/i.exec(info.req.headers.authorization ?? '')?.[1] ?? new URL(info.req.url ?? '/', 'http://x').searchParams.get('token') ?? undefined;
      if (!token) return done(false, 401, 'Unauthorized', { 'WWW-Authenticate': 'Bearer' });
      decide(token, done);
    },
  });
  wss.on('connection', (socket) => socket.on('message', (m) => socket.send(m)));
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  stops.push(() => {
    for (const c of wss.clients) c.terminate();
    http.close();
  });
  return `ws://127.0.0.1:${(http.address() as { port: number }).port}/`;
}

let url: string;
beforeAll(async () => {
  url = await startShape((token, done) => {
    if (token.length > LIMIT) return done(false, 413, 'Payload Too Large');
    jwt.verify(token, SECRET, { algorithms: ['HS256'], issuer: 'https://id.shapes.test', audience: 'shapes' }, (error) => (error ? done(false, 400, 'Bad Request') : done(true)));
  });
});

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
    expect(draft).toContain('placements: {"authorization-header":true,"subprotocol":false,"query":true,"cookie":false,"first-message":false},');
    expect(draft).toContain('"query":"token"');
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

describe('init against a backend that decodes tokens without verifying them', () => {
  it('lists the accepted forgeries as suspected defects, never learnt, and the run with the draft reports them', async () => {
    const decoding = await startShape((token, done) => (typeof (jwt.decode(token) as { sub?: unknown } | null)?.sub === 'string' ? done(true) : done(false, 401, 'Unauthorized')));
    const dir = await mkdtemp(join(tmpdir(), 'wsac-init-decode-'));
    const out = join(dir, 'ws-auth-conformance.config.ts');
    const init = await cli(['init', '--url', decoding, '--secret-env', 'WSAC_SHAPES_SECRET', '--issuer', 'https://id.shapes.test', '--audience', 'shapes', '--out', out, '--quiet']);
    expect(init.code, init.out).toBe(0);
    const draft = await readFile(out, 'utf8');
    const suspected = draft.slice(draft.indexOf('SUSPECTED DEFECTS'), draft.indexOf('import {'));
    for (const probe of ['signature=wrong-key', 'alg=none', 'alg=not-allowed', 'iss=wrong', 'aud=wrong', 'exp=past', 'exp=now-600s']) expect(suspected).toContain(`probe ${probe} -> 101`);
    const run = await cli(['run', '--config', out, '--seed', '5', '--runs', '20', '--deadline-ms', '5000', '--quiet', '--report', dir]);
    expect(run.code, run.out).toBe(1);
    const report = JSON.parse(await readFile(join(dir, 'report.json'), 'utf8')) as Report;
    for (const finding of ['signature-wrong-key -> accept', 'alg-none -> accept', 'exp-expired -> accept', 'iss-mismatch -> accept']) expect(pathFindings(report)).toContain(finding);
  }, 240_000);
});
