// `serve` as a process: the ready line, a real handshake, a clean stop on SIGTERM,
// and exit 2 with a clear message for bad input.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { exportJWK, generateKeyPair } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attempt, bearer, errorOf, mint, sleep } from '../testing/harness.ts';
import { readConfig } from './serve.ts';

const BIN = join(import.meta.dirname, '../../conformance/cli/bin.mjs');
const SECRET = 'serve-test-secret-0123456789abcdef';
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'serve-test-'));
  await writeFile(
    join(dir, 'users.json'),
    JSON.stringify([
      { user_id: 'alice', email: 'alice@example.test', roles: ['chat'] },
      { user_id: 'bob', is_active: false, roles: ['chat'] },
    ]),
  );
});
afterAll(() => rm(dir, { recursive: true, force: true }));

function serve(args: string[], env: Record<string, string> = {}): ChildProcess {
  return spawn(process.execPath, [BIN, 'serve', ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

async function exitOf(child: ChildProcess): Promise<{ code: number | null; stderr: string }> {
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const [code] = (await once(child, 'exit')) as [number | null];
  return { code, stderr };
}

describe('serve', () => {
  it('prints the ready line, serves the contract, and stops cleanly on SIGTERM', async () => {
    const child = serve(
      ['--port', '0', '--secret-env', 'S', '--issuer', 'I', '--audience', 'A', '--clock-skew', '0', '--users', join(dir, 'users.json')],
      { S: SECRET },
    );
    const exited = exitOf(child);
    const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
    const first = await lines.next();
    const ready = JSON.parse(first.value as string) as { event: string; url: string };
    expect(Object.keys(ready)).toEqual(['event', 'url']);
    expect(ready.event).toBe('ready');
    expect(ready.url).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\/ws$/);

    const claims = { iss: 'I', aud: 'A' };
    const open = attempt(ready.url, { headers: bearer(await mint({ secret: SECRET, claims })), observeMs: 10_000 });
    expect((await attempt(ready.url, {})).status).toBe(401);
    const inactive = await attempt(ready.url, { headers: bearer(await mint({ secret: SECRET, claims: { ...claims, sub: 'bob' } })) });
    expect({ status: inactive.status, error: errorOf(inactive) }).toEqual({ status: 403, error: 'user-inactive' });
    await sleep(200);
    child.kill('SIGTERM');
    const session = await open;
    expect(session.status).toBe(101);
    expect(session.close).toMatchObject({ code: 1001 });
    const { code, stderr } = await exited;
    expect(code).toBe(0);
    // Logs are JSON lines on stderr, and never carry the secret.
    const events = stderr.trim().split('\n').map((l) => JSON.parse(l) as { event: string });
    expect(events.map((e) => e.event)).toEqual(expect.arrayContaining(['listening', 'handshake', 'stopping']));
    expect(stderr).not.toContain(SECRET);
  });

  it.concurrent.each([
    [['--secret-env', 'UNSET_SECRET_VARIABLE'], /environment variable UNSET_SECRET_VARIABLE is not set/],
    [['--secret-env', 'S', '--mutant', 'nope'], /unknown --mutant "nope"; ids: secret-mismatch, .*no-origin-check/],
    [['--secret-env', 'S', '--port', 'x'], /--port must be 0\.\.65535/],
    [['--secret-env', 'S', '--clock-skew', 'soon'], /--clock-skew must be a non-negative number/],
    [[], /give exactly one of --secret-env NAME .* or --jwks FILE/],
    [['--secret-env', 'S', '--users', '/nonexistent/users.json'], /--users \/nonexistent\/users.json: cannot read \(ENOENT\)/],
    [['--secret-env', 'S', '--frobnicate'], /unknown option --frobnicate; see "ws-auth-conformance serve --help"/],
  ])('exits 2 for bad input %j', async (args, message) => {
    const { code, stderr } = await exitOf(serve(args, { S: SECRET }));
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
  });
});

describe('serve flags', () => {
  const env = { S: SECRET };

  it('defaults: the default profile with first-message off, port 8080, flags over the policy', async () => {
    const config = await readConfig(['--secret-env', 'S', '--issuer', 'I', '--audience', 'A', '--clock-skew', '0'], env);
    expect(config.policy).toMatchObject({ profile: 'default', issuer: 'I', audience: 'A', clockSkewSeconds: 0, typ: 'at+jwt', requiredRole: 'chat' });
    expect(config.policy.placements['first-message']).toBe(false);
    expect(config).toMatchObject({ port: 8080, host: '127.0.0.1', keys: { secret: SECRET }, mutant: null, logLevel: 'info' });
  });

  it('--policy FILE replaces the serve default; flags still win', async () => {
    const file = join(dir, 'policy.json');
    await writeFile(file, JSON.stringify({ profile: 'rfc-strict', typ: null, requiredRole: null, issuer: 'from-file', placements: { query: true, 'first-message': true } }));
    const config = await readConfig(['--secret-env', 'S', '--policy', file, '--audience', 'A', '--kid', 'k1', '--mutant', 'sig-403'], env);
    expect(config.policy).toMatchObject({ profile: 'rfc-strict', typ: null, requiredRole: null, issuer: 'from-file', audience: 'A' });
    expect(config.policy.placements).toMatchObject({ query: true, 'first-message': true });
    expect(config.keys).toEqual({ secret: SECRET, kid: 'k1' });
    expect(config.mutant).toBe('sig-403');
  });

  it('--jwks FILE: algorithms follow the keys unless the policy lists them', async () => {
    const rsa = await generateKeyPair('RS256', { extractable: true });
    const ed = await generateKeyPair('EdDSA', { extractable: true });
    const file = join(dir, 'jwks.json');
    await writeFile(file, JSON.stringify({ keys: [await exportJWK(rsa.publicKey), await exportJWK(ed.publicKey)] }));
    const config = await readConfig(['--jwks', file], env);
    expect(config.policy.algorithms).toEqual(['RS256', 'EdDSA']);
    expect('jwks' in config.keys && config.keys.jwks.keys).toHaveLength(2);
    await expect(readConfig(['--jwks', file, '--kid', 'x'], env)).rejects.toThrow(/--kid goes with --secret-env/);
  });

  it('--jwks-url URL: kid "jwks" unless the policy says otherwise; the policy lists the algorithms', async () => {
    const file = join(dir, 'es-policy.json');
    await writeFile(file, JSON.stringify({ algorithms: ['ES256'], jwks: { cooldownMs: 1000 } }));
    const config = await readConfig(['--jwks-url', 'http://127.0.0.1:9/.well-known/jwks.json', '--policy', file], env);
    expect(config.keys).toEqual({ jwksUrl: 'http://127.0.0.1:9/.well-known/jwks.json' });
    expect(config.policy).toMatchObject({ kid: 'jwks', algorithms: ['ES256'], jwks: { refreshOnUnknownKid: true, cooldownMs: 1000, maxAgeMs: 600_000 } });
    await expect(readConfig(['--jwks-url', 'http://127.0.0.1:9/jwks.json'], env)).rejects.toThrow(/--jwks-url: the policy must list its algorithms/);
    await expect(readConfig(['--jwks-url', 'http://x/j', '--secret-env', 'S'], env)).rejects.toThrow(/give exactly one of/);
  });
});
