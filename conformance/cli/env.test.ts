// Settings from the environment: below flags, above the config file; bad values named
// by their variable; every variable documented in docs/ci.md.
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ENV_FLAGS, flagsFromEnv } from './env.ts';
import { RUN_OPTIONS } from './run.ts';

const BIN = join(import.meta.dirname, 'bin.mjs');

function stderrOf(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; stderr: string }> {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('WSAC_') && !k.startsWith('GITHUB_')));
  const child = spawn(process.execPath, [BIN, ...args], { env: { ...clean, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, stderr })));
}

describe('settings from the environment', () => {
  it('reads WSAC_* as the flags they stand for; empty is unset; booleans and integers are checked', () => {
    expect(flagsFromEnv({ WSAC_SEED: '5', WSAC_RUNS: '', WSAC_STRICT: 'TRUE', WSAC_TARGET: 'embedded', WSAC_SHARD: '2/4' })).toEqual({ seed: '5', strict: true, target: 'embedded', shard: '2/4' });
    expect(() => flagsFromEnv({ WSAC_CONCURRENCY: '0' })).toThrow('WSAC_CONCURRENCY (environment) must be an integer >= 1, got "0"');
    expect(() => flagsFromEnv({ WSAC_STRICT: 'yes' })).toThrow('WSAC_STRICT (environment) must be true or false, got "yes"');
  });

  it('flags over the environment over the config file (the seed a run prints)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'wsac-env-'));
    const config = join(dir, 'c.json');
    // A target nothing listens on: the run prints its seed, then ends as unreachable.
    await writeFile(config, JSON.stringify({ target: { kind: 'url', url: 'ws://127.0.0.1:9/ws', healthUrl: null, keys: { secretEnv: 'WSAC_ENV_TEST_SECRET' }, users: { fixed: { active: 'a' } } }, run: { seed: 4 } }));
    const env = { WSAC_ENV_TEST_SECRET: 'x'.repeat(32), WSAC_CONFIG: config };
    const seedOf = async (args: string[], extra: NodeJS.ProcessEnv = {}) => {
      const r = await stderrOf(['run', ...args], { ...env, ...extra });
      expect(r.code, r.stderr).toBe(2);
      return /seed (\d+)/.exec(r.stderr)?.[1];
    };
    expect(await seedOf([])).toBe('4');
    expect(await seedOf([], { WSAC_SEED: '5' })).toBe('5');
    expect(await seedOf(['--seed', '6'], { WSAC_SEED: '5' })).toBe('6');
  });

  it('every variable stands for a flag run has', () => {
    for (const [name, flag] of Object.entries(ENV_FLAGS)) expect(Object.keys(RUN_OPTIONS), name).toContain(flag);
  });

  it('docs/ci.md lists every variable', async () => {
    const doc = await readFile(join(import.meta.dirname, '..', '..', 'docs', 'ci.md'), 'utf8');
    for (const name of [...Object.keys(ENV_FLAGS), 'WSAC_GITHUB']) expect(doc, name).toContain(`| \`${name}\` |`);
  });
});
