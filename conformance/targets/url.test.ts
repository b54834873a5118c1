// The url target against backends started separately: the reference backend as its
// own process (`serve`), driven through the CLI with a config file; and a deliberately
// broken backend written here (not one of the mutants: its directory adapter grants
// every user the required role), which the run must catch.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, describe, expect, it } from 'vitest';
import { resolvePolicy } from '../../model/policy.ts';
import { openPgliteDirectory, startReferenceBackend, userSeeder, type Directory } from '../../src/index.ts';
import { runConformance } from '../engine.ts';
import { keysFromSecret } from '../keys.ts';
import { startUrlTarget } from './url.ts';

const BIN = join(import.meta.dirname, '..', 'cli', 'bin.mjs');
const EXAMPLE = join(import.meta.dirname, '..', 'examples', 'url-target');
const SECRET_ENV = 'WSAC_URL_TEST_SECRET';
const SECRET = 'url-target-test-secret-0123456789abcdef0123456789';
const POLICY_INPUT = { handshakeDeadlineMs: 1000, authWindowMs: 500, clockSkewSeconds: 4 };
const USERS = [
  { user_id: 'alice', is_active: true, roles: ['chat'] },
  { user_id: 'bob', is_active: false, roles: ['chat'] },
  { user_id: 'carol', is_active: true, roles: ['viewer'] },
];
const FIXED = { active: 'alice', inactive: 'bob', 'lacks-role': 'carol', missing: 'nobody-by-this-name' };
const children: ChildProcess[] = [];

afterAll(() => {
  for (const c of children) c.kill('SIGTERM');
});

function startServe(args: string[], env: NodeJS.ProcessEnv): Promise<string> {
  const child = spawn(process.execPath, [BIN, 'serve', ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`serve exited with ${code}`)));
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const msg = JSON.parse(line) as { event?: string; url?: string };
      if (msg.event === 'ready' && msg.url) resolve(msg.url);
    });
  });
}

function runCli(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (c: Buffer) => (stdout += c));
  child.stderr!.on('data', (c: Buffer) => (stderr += c));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, stdout, stderr })));
}

describe('url target', () => {
  it('the reference backend under `serve`, driven by `run --target url=... --config FILE` (examples/url-target): passes; stalls and revocation reported as not covered', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'wsac-url-'));
    const env = { ...process.env, WSAC_SECRET: SECRET };
    const url = await startServe(['--port', '0', '--secret-env', 'WSAC_SECRET', '--policy', join(EXAMPLE, 'policy.json'), '--users', join(EXAMPLE, 'users.json'), '--log-level', 'error'], env);
    const report = join(dir, 'report');
    const r = await runCli(['run', '--target', `url=${url}`, '--config', join(EXAMPLE, 'ws-auth-conformance.config.ts'), '--seed', '11', '--runs', '40', '--quiet', '--report', report], env);
    expect(r.stdout + r.stderr).not.toContain(SECRET);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const doc = JSON.parse(await readFile(join(report, 'report.json'), 'utf8'));
    expect(doc).toMatchObject({ schema: 'ws-auth-conformance/report@1', kind: 'completed', passed: true, exitCode: 0 });
    const notCovered = doc.summary.notCoveredFacts.map((n: { fact: string; value: string }) => `${n.fact}=${n.value}`);
    expect(notCovered).toEqual(expect.arrayContaining(['latency=stalled', 'session=user-revoked', 'session=user-deleted', 'session=user-role-removed']));
    // Stall cases are never reported as passed.
    for (const c of doc.cases.filter((x: { facts: { latency: string } }) => x.facts.latency === 'stalled')) expect(c.status).toBe('not-covered');
    expect(await readFile(join(report, 'junit.xml'), 'utf8')).toContain('<skipped message="latency=stalled');
  });

  it('a target that is not there: exit 2, "target unreachable"', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'wsac-url-'));
    const env = { ...process.env, [SECRET_ENV]: SECRET };
    await writeFile(join(dir, 'config.json'), JSON.stringify({ target: { kind: 'url', url: 'ws://127.0.0.1:9/ws', keys: { secretEnv: SECRET_ENV }, users: { fixed: FIXED } }, policy: POLICY_INPUT }));
    const r = await runCli(['run', '--config', join(dir, 'config.json'), '--quiet'], env);
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('target unreachable');
  });

  it('a deliberately broken backend (its directory adapter grants every role) is caught', async () => {
    const policy = resolvePolicy(POLICY_INPUT);
    const store = await openPgliteDirectory();
    await userSeeder(store.sql).insert(USERS);
    // The bug: roles are "normalised" to always include the required one.
    const roleBlind: Directory = {
      lookup: async (id) => {
        const user = await store.lookup(id);
        return user && { ...user, roles: [...user.roles, policy.requiredRole ?? 'chat'] };
      },
      subscribe: (l) => store.subscribe(l),
      ping: () => store.ping(),
      close: async () => {},
    };
    const backend = await startReferenceBackend({ policy, keys: { secret: SECRET }, directory: roleBlind });
    try {
      const keys = keysFromSecret(new TextEncoder().encode(SECRET), 'HS256');
      const r = await runConformance({ target: () => startUrlTarget({ url: backend.url, policy, keys, users: { kind: 'fixed', users: FIXED } }), seed: 3, runs: 20 });
      expect(r.kind).toBe('completed');
      if (r.kind !== 'completed') return;
      expect(r.passed).toBe(false);
      const lacksRole = r.divergences.find((d) => d.key === 'path:user-lacks-role:user=lacks-role');
      expect(lacksRole).toMatchObject({ handshake: 'FAILED-SECURITY', observed: 'accept' });
      expect(lacksRole?.hint?.text).toContain('role');
    } finally {
      await backend.close();
      await store.close();
    }
  });
});
