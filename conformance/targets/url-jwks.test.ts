// A url target whose JWKS the tool publishes (target.keys.jwks.serve): the reference
// backend as its own process (`serve --jwks-url`, jose createRemoteJWKSet), driven
// through the CLI with a config file. It passes, rotation steps included, and no
// private key reaches the output or the report.
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';

const BIN = join(import.meta.dirname, '..', 'cli', 'bin.mjs');
const USERS = join(import.meta.dirname, '..', 'examples', 'url-target', 'users.json');

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer().once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

function cli(args: string[]): { done: Promise<{ code: number | null; output: string }>; ready: Promise<string>; stop(): void } {
  const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stderr!.on('data', (c: Buffer) => (output += c));
  const ready = new Promise<string>((resolve) =>
    createInterface({ input: child.stdout! }).on('line', (line) => {
      output += `${line}\n`;
      if (line.startsWith('{"event":"ready"')) resolve((JSON.parse(line) as { url: string }).url);
    }),
  );
  return { done: new Promise((resolve) => child.once('exit', (code) => resolve({ code, output }))), ready, stop: () => child.kill('SIGTERM') };
}

describe('url target with target.keys.jwks', () => {
  it('the reference backend under `serve --jwks-url`, the tool serving the JWKS: passes, the four rotation steps as predicted', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'wsac-url-jwks-'));
    const port = await freePort();
    const policy = { algorithms: ['ES256'], kid: 'jwks', jwks: { cooldownMs: 500, maxAgeMs: 2000 }, handshakeDeadlineMs: 1000, authWindowMs: 500, clockSkewSeconds: 4 };
    await writeFile(join(dir, 'policy.json'), JSON.stringify(policy));
    const fixed = { active: 'alice', inactive: 'bob', 'lacks-role': 'carol', missing: 'nobody-by-this-name' };
    await writeFile(join(dir, 'config.json'), JSON.stringify({ target: { kind: 'url', url: 'ws://127.0.0.1:1/ws', keys: { jwks: { serve: { port } } }, users: { fixed } }, policy: 'policy.json' }));
    const jwksUrl = `http://127.0.0.1:${port}/.well-known/jwks.json`;
    const serve = cli(['serve', '--port', '0', '--jwks-url', jwksUrl, '--policy', join(dir, 'policy.json'), '--users', USERS, '--log-level', 'error']);
    try {
      const url = await serve.ready;
      const run = await cli(['run', '--config', join(dir, 'config.json'), '--target', `url=${url}`, '--seed', '5', '--runs', '30', '--deadline-ms', '4000', '--report', join(dir, 'report')]).done;
      expect(run.code, run.output).toBe(0);
      expect(run.output).toContain(`JWKS at ${jwksUrl}`);
      const report = await readFile(join(dir, 'report', 'report.json'), 'utf8');
      const cases = (JSON.parse(report) as { cases: Array<{ key: string; observed: string; divergent: boolean }> }).cases;
      expect(cases.filter((c) => c.key.startsWith('rotation:')).map((c) => `${c.key} ${c.observed}${c.divergent ? ' DIVERGENT' : ''}`)).toEqual([
        'rotation:new-key accept',
        'rotation:previous-key accept',
        'rotation:unknown-kid reject-401',
        'rotation:retired-key reject-401',
      ]);
      // Private JWK members never leave the tool.
      for (const text of [report, run.output]) expect(text).not.toMatch(/"d"\s*:/);
    } finally {
      serve.stop();
    }
  }, 240_000);
});
