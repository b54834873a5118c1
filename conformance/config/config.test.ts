// Config files and flags: flags override the file, and a bad config names the field
// and the fix.
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../errors.ts';
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
