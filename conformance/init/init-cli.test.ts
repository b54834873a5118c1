// `init` as a user meets it: its help and its errors (no URL, the secret's variable
// unset, nothing listening, a secret the backend never accepts), and against the
// reference backend under `serve`, whose contract is known: the draft must find that
// contract (skew, size limit, kid, typ, session expiry, ...) and a run with it must pass.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, describe, expect, it } from 'vitest';

const BIN = join(import.meta.dirname, '..', 'cli', 'bin.mjs');
const EXAMPLE = join(import.meta.dirname, '..', 'examples', 'url-target');
const SECRET = 'init-cli-test-secret-0123456789abcdef0123456789';
const children: ChildProcess[] = [];
afterAll(() => children.forEach((c) => c.kill('SIGTERM')));

function cli(args: string[], env: Record<string, string | undefined> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, WSAC_INIT_SECRET: SECRET, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (c: Buffer) => (stdout += c));
  child.stderr!.on('data', (c: Buffer) => (stderr += c));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, stdout, stderr })));
}

/** The reference backend with the url-target example's policy and users, on a free port. */
function startServe(): Promise<string> {
  const args = ['serve', '--port', '0', '--secret-env', 'WSAC_INIT_SECRET', '--policy', join(EXAMPLE, 'policy.json'), '--users', join(EXAMPLE, 'users.json'), '--log-level', 'error'];
  const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, WSAC_INIT_SECRET: SECRET }, stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`serve exited with ${code}`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const msg = JSON.parse(line) as { event?: string; url?: string };
      if (msg.event === 'ready' && msg.url) resolve(msg.url);
    });
  });
}

/** A port nothing listens on: bound, then released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

const USERS = ['--users', 'active=alice,inactive=bob,lacks-role=carol', '--role', 'chat', '--origin', 'https://app.ws-auth-conformance.test'];

describe('init: help and errors', () => {
  it('--help names the required flags and the exit statuses', async () => {
    const { code, stdout } = await cli(['init', '--help']);
    expect(code).toBe(0);
    expect(stdout).toContain('--url URL');
    expect(stdout).toContain('--secret-env NAME');
    expect(stdout).toContain('Exit status: 0 draft written, 2');
  });

  it('without --url, or with the secret variable unset, it says what to give (exit 2), before any probe', async () => {
    const noUrl = await cli(['init', '--secret-env', 'WSAC_INIT_SECRET']);
    expect([noUrl.code, noUrl.stderr]).toEqual([2, "error: init needs --url ws://HOST:PORT/PATH (the backend's WebSocket endpoint)\n"]);
    const unset = await cli(['init', '--url', 'ws://127.0.0.1:1/ws', '--secret-env', 'WSAC_INIT_NOT_SET'], { WSAC_INIT_NOT_SET: '' });
    expect(unset.code).toBe(2);
    expect(unset.stderr).toContain('environment variable WSAC_INIT_NOT_SET is not set or empty');
    const lacksRole = await cli(['init', '--url', 'ws://127.0.0.1:1/ws', '--secret-env', 'WSAC_INIT_SECRET', '--users', 'lacks-role=carol']);
    expect(lacksRole.stderr).toContain('--users lacks-role=ID needs --role NAME');
  });

  it('nothing listening at the URL: "cannot reach", exit 2, no file written', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'wsac-init-'));
    const { code, stderr } = await cli(['init', '--url', `ws://127.0.0.1:${await closedPort()}/ws`, '--secret-env', 'WSAC_INIT_SECRET', '--out', join(dir, 'c.ts'), '--quiet']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/^error: cannot reach ws:\/\/127\.0\.0\.1:\d+\/ws: no connection \(ECONNREFUSED\)/);
    await expect(readFile(join(dir, 'c.ts'))).rejects.toThrow();
  });

  it('an existing file is not overwritten without --force', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'wsac-init-'));
    await writeFile(join(dir, 'c.ts'), 'mine');
    const { code, stderr } = await cli(['init', '--url', 'ws://127.0.0.1:1/ws', '--secret-env', 'WSAC_INIT_SECRET', '--out', join(dir, 'c.ts')]);
    expect(code).toBe(2);
    expect(stderr).toContain('exists; give --out FILE or --force');
    expect(await readFile(join(dir, 'c.ts'), 'utf8')).toBe('mine');
  });
});

describe('init against the reference backend (serve, the url-target example policy)', () => {
  it('a secret the backend does not hold: no placement accepted, each answer listed, exit 2', async () => {
    const url = await startServe();
    const { code, stderr } = await cli(['init', '--url', url, '--secret-env', 'WRONG', ...USERS, '--out', join(await mkdtemp(join(tmpdir(), 'wsac-init-')), 'c.ts'), '--quiet'], { WRONG: 'not-the-secret-of-this-backend' });
    expect(code).toBe(2);
    expect(stderr).toContain('error: no placement accepted a token signed with the secret');
    expect(stderr).toContain('authorization-header -> 401 with WWW-Authenticate: Bearer realm="ws", error="invalid_token"');
    expect(stderr).not.toContain('not-the-secret-of-this-backend');
  }, 120_000);

  it('the draft finds its contract, and a run with it passes with no divergence', async () => {
    const url = await startServe();
    const out = join(await mkdtemp(join(tmpdir(), 'wsac-init-')), 'ws-auth-conformance.config.ts');
    const init = await cli(['init', '--url', url, '--secret-env', 'WSAC_INIT_SECRET', ...USERS, '--out', out]);
    expect(init.code, init.stderr).toBe(0);
    expect(init.stderr).toMatch(/^init: probing ws:\/\/127\.0\.0\.1:\d+\/ws \(secret from WSAC_INIT_SECRET, sha256 [0-9a-f]{12}\)\n\s+1 no-token\s+401 with WWW-Authenticate: Bearer realm="ws"\n/);
    const draft = await readFile(out, 'utf8');
    expect(draft).not.toContain(SECRET);
    expect(draft).not.toContain('SUSPECTED DEFECTS');
    // The url-target policy: the default profile with a 4 s skew; its 8 KiB limit found to a few bytes below the largest token accepted.
    for (const line of ['clockSkewSeconds: 4,', 'typ: "at+jwt",', 'kid: "required-matched",', 'requiredClaims: ["exp","sub"],', 'algorithms: ["HS256"],']) expect(draft).toContain(line);
    expect(draft).toMatch(/session: \{"closeAtExp":true/);
    const limit = Number(/maxTokenBytes: (\d+),/.exec(draft)?.[1]);
    expect(limit).toBeGreaterThan(7900);
    expect(limit).toBeLessThanOrEqual(8192);
    const run = await cli(['run', '--config', out, '--seed', '3', '--runs', '60', '--deadline-ms', '5000', '--quiet']);
    expect(run.stdout, run.stderr).toContain('result: PASS');
    expect(run.code).toBe(0);
  }, 240_000);
});
