// Config files and flags: flags override the file, and a bad config names the field
// and the fix.
import { spawnSync } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../model/errors.ts';
import { resolveConfig } from './resolve.ts';

async function withConfig(name: string, content: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'wsac-config-'));
  await writeFile(join(dir, name), content);
  return dir;
}

describe('config', () => {
  it('no file, no flags: embedded target, default profile, quick timing', async () => {
    const c = await resolveConfig({}, await mkdtemp(join(tmpdir(), 'wsac-empty-')));
    expect(c).toMatchObject({ target: { kind: 'embedded' }, profile: 'default', quickTiming: true, policyGiven: false, mutant: null, strict: false });
  });

  it('a .ts config with defineConfig is found in the working directory; flags override it', async () => {
    const defineConfig = new URL('./schema.ts', import.meta.url).href;
    const dir = await withConfig(
      'ws-auth-conformance.config.ts',
      `import { defineConfig } from '${defineConfig}';\nexport default defineConfig({ policy: { clockSkewSeconds: 6 }, run: { seed: 5, runs: 17 } });\n`,
    );
    const c = await resolveConfig({ runs: 3 }, dir);
    expect(c).toMatchObject({ seed: 5, runs: 3, policyGiven: true, quickTiming: false });
    expect(c.policy.clockSkewSeconds).toBe(6);
  });

  it('a .ts config beside a CommonJS package.json loads; `ws-auth-conformance` resolves to the running package, relative .ts imports are followed', async () => {
    const dir = await withConfig('package.json', JSON.stringify({ name: 'someone-elses-app', type: 'commonjs' }));
    await writeFile(join(dir, 'skew.ts'), 'export const skew: number = 7;\n');
    await writeFile(
      join(dir, 'ws-auth-conformance.config.ts'),
      `import { defineConfig } from 'ws-auth-conformance';\nimport { profilePolicy } from 'ws-auth-conformance/model';\nimport { skew } from './skew';\n` +
        `export default defineConfig({ policy: { clockSkewSeconds: skew, audience: profilePolicy('default').audience + '-x' }, run: { seed: 9 } });\n`,
    );
    const c = await resolveConfig({}, dir);
    expect(c.seed).toBe(9);
    expect(c.policy).toMatchObject({ clockSkewSeconds: 7, audience: 'ws-chat-x' });
  });

  it('a .mjs config in a directory without any package.json loads, its relative paths taken from its own directory', async () => {
    const dir = await withConfig('policy.json', JSON.stringify({ clockSkewSeconds: 8 }));
    await writeFile(join(dir, 'ws-auth-conformance.config.mjs'), `import { defineConfig } from 'ws-auth-conformance';\nexport default defineConfig({ policy: 'policy.json', run: { runs: 4 } });\n`);
    const elsewhere = await mkdtemp(join(tmpdir(), 'wsac-elsewhere-'));
    const c = await resolveConfig({ config: join(dir, 'ws-auth-conformance.config.mjs') }, elsewhere);
    expect(c).toMatchObject({ runs: 4, baseDir: dir });
    expect(c.policy.clockSkewSeconds).toBe(8);
  });

  it('a config that does not compile names the file and the line', async () => {
    const dir = await withConfig('ws-auth-conformance.config.ts', 'export default {\n  run: { seed: 1 ,, }\n};\n');
    await expect(resolveConfig({}, dir)).rejects.toThrow(/ws-auth-conformance\.config\.ts: cannot load .*:2:/);
  });

  it('the CLI loads a .ts config from a directory with a CommonJS package.json and no node_modules', async () => {
    const dir = await withConfig('package.json', JSON.stringify({ name: 'someone-elses-app' }));
    const target = { kind: 'url', url: 'ws://127.0.0.1:9/ws', keys: { secretEnv: 'WSAC_CONFIG_TEST_SECRET' }, users: { fixed: { active: 'alice' } } };
    await writeFile(join(dir, 'ws-auth-conformance.config.ts'), `import { defineConfig } from 'ws-auth-conformance';\nexport default defineConfig({ target: ${JSON.stringify(target)} as const });\n`);
    const bin = join(import.meta.dirname, '..', 'cli', 'bin.mjs');
    const r = spawnSync(process.execPath, [bin, 'run', '--quiet'], { cwd: dir, env: { ...process.env, WSAC_CONFIG_TEST_SECRET: 'x'.repeat(32) }, encoding: 'utf8' });
    // Loaded: the run got as far as the target (port 9 is not listening).
    expect(r.stdout + r.stderr).toContain('target unreachable');
    expect(r.status).toBe(2);
  });

  it('an unknown field is named, with the known ones', async () => {
    const dir = await withConfig('ws-auth-conformance.config.json', JSON.stringify({ run: { sedd: 1 } }));
    await expect(resolveConfig({}, dir)).rejects.toThrow(/config run\.sedd: unknown field; known fields here: seed/);
  });

  it('a url target without keys says how to give them', async () => {
    const dir = await withConfig('c.json', JSON.stringify({ target: { kind: 'url', url: 'ws://127.0.0.1:1/ws', users: { fixed: { active: 'a' } } } }));
    await expect(resolveConfig({ config: join(dir, 'c.json') }, dir)).rejects.toThrow(/target\.keys: missing; give \{ secretEnv/);
  });

  it('--target url=... without a config file explains what else a url target needs', async () => {
    const err = await resolveConfig({ target: 'url=ws://127.0.0.1:1/ws' }, await mkdtemp(join(tmpdir(), 'wsac-empty-'))).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).field).toBe('target.keys');
  });

  it('--mutant only with a target that assembles the reference backend', async () => {
    const dir = await withConfig('c.json', JSON.stringify({ target: { kind: 'url', url: 'ws://127.0.0.1:1/ws', keys: { secretEnv: 'X' }, users: { fixed: { active: 'a' } } } }));
    await expect(resolveConfig({ config: join(dir, 'c.json'), mutant: 'alg-none' }, dir)).rejects.toThrow(/--mutant/);
  });

  it('--policy and --profile together are refused', async () => {
    await expect(resolveConfig({ policy: 'p.json', profile: 'default' })).rejects.toThrow(/--profile/);
  });
});
