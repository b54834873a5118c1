// The url target seeding users through PostgreSQL (the default SQL for the reference
// `users` table): `serve --db` on a throw-away local PostgreSQL cluster, so revocation
// cases run too. Needs PostgreSQL's server binaries on this machine; without them the
// test is skipped, loudly.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, describe, expect, it } from 'vitest';

const BIN = join(import.meta.dirname, '..', 'cli', 'bin.mjs');
const SECRET_ENV = 'WSAC_PG_TEST_SECRET';
const SECRET = 'pg-url-target-test-secret-0123456789abcdef01234567';

function findBin(name: string): string | null {
  const dirs = [...(process.env.PATH ?? '').split(':'), '/usr/local/bin', '/usr/lib/postgresql/17/bin', '/usr/lib/postgresql/16/bin', '/usr/lib/postgresql/15/bin'];
  return dirs.map((d) => join(d, name)).find((p) => existsSync(p)) ?? null;
}

const initdb = findBin('initdb');
const pgCtl = findBin('pg_ctl');
const asRoot = process.getuid?.() === 0;
// PostgreSQL refuses to run as root: then it runs as the `postgres` user, if there is one.
const postgresUser = (() => {
  try {
    execFileSync('id', ['postgres'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
const available = initdb !== null && pgCtl !== null && (!asRoot || postgresUser);
if (!available) console.warn('\n*** SKIPPED: url target with PostgreSQL seeding — no initdb/pg_ctl (or, as root, no postgres user) on this machine ***\n');

const children: ChildProcess[] = [];
let dataDir: string | null = null;

function asPostgres(cmd: string, args: string[]): string {
  return asRoot ? execFileSync('runuser', ['-u', 'postgres', '--', cmd, ...args], { encoding: 'utf8' }) : execFileSync(cmd, args, { encoding: 'utf8' });
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

afterAll(() => {
  for (const c of children) c.kill('SIGTERM');
  if (dataDir) {
    try {
      asPostgres(pgCtl!, ['-D', dataDir, '-m', 'immediate', 'stop']);
    } catch {
      /* already stopped */
    }
  }
});

describe.skipIf(!available)('url target with PostgreSQL seeding', () => {
  it('seeds users by SQL and revokes them while connected in each way (deactivate, delete, remove the role); only the stall cases are not covered', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'wsac-pg-'));
    chmodSync(dir, 0o777);
    dataDir = join(dir, 'data');
    const port = await freePort();
    asPostgres(initdb!, ['-D', dataDir, '-A', 'trust', '-U', 'postgres', '--no-sync']);
    asPostgres(pgCtl!, ['-D', dataDir, '-w', '-l', join(dir, 'pg.log'), '-o', `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`, 'start']);
    const db = `postgres://postgres@127.0.0.1:${port}/postgres`;
    const env = { ...process.env, [SECRET_ENV]: SECRET };
    await writeFile(join(dir, 'policy.json'), JSON.stringify({ handshakeDeadlineMs: 1000, clockSkewSeconds: 4 }));
    const serve = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--secret-env', SECRET_ENV, '--policy', join(dir, 'policy.json'), '--db', db, '--log-level', 'error'], { env, stdio: ['ignore', 'pipe', 'inherit'] });
    children.push(serve);
    const url = await new Promise<string>((resolve, reject) => {
      serve.once('exit', (code) => reject(new Error(`serve exited with ${code}`)));
      createInterface({ input: serve.stdout! }).on('line', (line) => {
        const msg = JSON.parse(line) as { event?: string; url?: string };
        if (msg.event === 'ready' && msg.url) resolve(msg.url);
      });
    });
    await writeFile(
      join(dir, 'ws-auth-conformance.config.json'),
      JSON.stringify({ target: { kind: 'url', url, keys: { secretEnv: SECRET_ENV }, users: { connectionString: db } }, policy: 'policy.json', run: { seed: 21, runs: 40 } }),
    );
    const report = join(dir, 'report');
    const child = spawn(process.execPath, [BIN, 'run', '--quiet', '--report', report], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout!.on('data', (c: Buffer) => (out += c));
    child.stderr!.on('data', (c: Buffer) => (out += c));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code, out).toBe(0);
    expect(out).not.toContain(SECRET);
    const doc = JSON.parse(await readFile(join(report, 'report.json'), 'utf8'));
    expect(doc.summary.notCoveredFacts.map((n: { fact: string; value: string }) => `${n.fact}=${n.value}`)).toEqual(['latency=stalled']);
    for (const session of ['user-revoked', 'user-deleted', 'user-role-removed']) {
      const revoked = doc.cases.filter((c: { facts: { session: string }; status: string }) => c.facts.session === session && c.status === 'judged');
      expect(revoked.length, session).toBeGreaterThan(0);
      for (const c of revoked) expect(c.observed, session).toBe('close-1008');
    }
  });
});
