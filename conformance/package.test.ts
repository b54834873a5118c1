// The package as a user gets it: `npm pack` (which builds dist/ through `prepare`), the
// tarball unpacked into a scratch project's node_modules exactly as npm lays it out, and
// one case run from a plain .mjs file under Node and from a vitest test there. Only the
// packed files stand for ws-auth-conformance; its dependencies are linked from this
// repository's node_modules, so the test needs no registry.
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, '..');
const NPM = process.platform === 'win32' ? 'npm.cmd' : 'npm';

// One case of the user's own: an expired token, which the model says the target rejects with 401.
const ONE_CASE = `
import { CANONICAL_FACTS, closeSharedDirectory, customCase, runConformance, startEmbeddedTarget } from 'ws-auth-conformance';
import { createAuthMachine, OUTCOMES } from 'ws-auth-conformance/model';

export async function oneCase() {
  const target = await startEmbeddedTarget();
  const kase = customCase(target.policy, 'expired', { ...CANONICAL_FACTS, exp: 'past' });
  try {
    const result = await runConformance({ target, seed: 1, runs: 0, cases: [kase], relations: false, shrink: false });
    const mine = result.kind === 'completed' ? result.cases.find((c) => c.key === kase.key) : undefined;
    return {
      kind: result.kind,
      passed: result.passed,
      predicted: kase.prediction.outcome,
      observed: mine?.observed,
      verdict: mine?.handshake,
      machine: typeof createAuthMachine,
      outcomes: OUTCOMES.length,
    };
  } finally {
    await target.close();
    await closeSharedDirectory();
  }
}
`;

let dir: string;
let scratch: string;
let packedFiles: string[];

afterAll(() => rm(dir, { recursive: true, force: true }));

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'wsac-pack-'));
  const { stdout } = await run(NPM, ['pack', '--json', '--pack-destination', dir], { cwd: ROOT, maxBuffer: 16 * 1024 * 1024 });
  const [packed] = JSON.parse(stdout) as Array<{ filename: string; files: Array<{ path: string }> }>;
  packedFiles = packed!.files.map((f) => f.path);

  scratch = join(dir, 'scratch');
  const installed = join(scratch, 'node_modules', 'ws-auth-conformance');
  await mkdir(installed, { recursive: true });
  await run('tar', ['-xzf', join(dir, packed!.filename), '-C', installed, '--strip-components=1']);
  for (const name of await readdir(join(ROOT, 'node_modules'))) {
    if (name === 'ws-auth-conformance' || name === '.bin' || name.startsWith('.')) continue;
    await symlink(join(ROOT, 'node_modules', name), join(scratch, 'node_modules', name));
  }
  await writeFile(join(scratch, 'package.json'), JSON.stringify({ name: 'scratch', private: true, type: 'module' }));
  await writeFile(join(scratch, 'one-case.mjs'), `${ONE_CASE}\nconsole.log(JSON.stringify(await oneCase()));\n`);
  await writeFile(join(scratch, 'one-case.test.mjs'), `import { expect, it } from 'vitest';\n${ONE_CASE}
it('one case from the installed package', async () => {
  expect(await oneCase()).toMatchObject({ kind: 'completed', passed: true, predicted: 'reject-401', observed: 'reject-401', verdict: 'OK' });
}, 60_000);
`);
}, 300_000);

describe('the packed package', () => {
  it('ships compiled JavaScript and declarations, not the TypeScript sources or tests', () => {
    expect(packedFiles).toEqual(expect.arrayContaining(['dist/conformance/index.js', 'dist/conformance/index.d.ts', 'dist/model/index.js', 'dist/src/index.js', 'conformance/cli/bin.mjs']));
    expect(packedFiles.filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))).toEqual([]);
    expect(packedFiles.filter((f) => f.includes('.test.'))).toEqual([]);
  });

  it('runs one case from a plain .mjs file under Node', async () => {
    const { stdout } = await run(process.execPath, ['one-case.mjs'], { cwd: scratch });
    expect(JSON.parse(stdout)).toEqual({ kind: 'completed', passed: true, predicted: 'reject-401', observed: 'reject-401', verdict: 'OK', machine: 'function', outcomes: 5 });
  });

  it('runs one case from a vitest test of the user', async () => {
    const vitest = join(ROOT, 'node_modules', 'vitest', 'vitest.mjs');
    const { stdout } = await run(process.execPath, [vitest, 'run', '--root', scratch, 'one-case.test.mjs'], { cwd: scratch, env: { ...process.env, CI: 'true' } });
    expect(stdout).toMatch(/1 passed/);
  });

  it('its bin loads a .ts config from a directory with neither a package.json nor the package beside it', async () => {
    const elsewhere = join(dir, 'elsewhere');
    await mkdir(elsewhere);
    const target = { kind: 'url', url: 'ws://127.0.0.1:9/ws', keys: { secretEnv: 'WSAC_PACK_SECRET' }, users: { fixed: { active: 'alice' } } };
    await writeFile(join(elsewhere, 'ws-auth-conformance.config.ts'), `import { defineConfig } from 'ws-auth-conformance';\nexport default defineConfig({ target: ${JSON.stringify(target)} as const });\n`);
    const bin = join(scratch, 'node_modules', 'ws-auth-conformance', 'conformance', 'cli', 'bin.mjs');
    const r = await run(process.execPath, [bin, 'run', '--quiet'], { cwd: elsewhere, env: { ...process.env, WSAC_PACK_SECRET: 'x'.repeat(32) } }).catch((e: { code: number; stdout: string; stderr: string }) => e);
    // Loaded: the run got as far as the target (nothing listens on port 9).
    expect(r.stdout).toContain('target unreachable');
    expect((r as { code?: number }).code).toBe(2);
  });

  it('its bin runs the compiled CLI', async () => {
    const bin = join(scratch, 'node_modules', 'ws-auth-conformance', 'conformance', 'cli', 'bin.mjs');
    const { stdout } = await run(process.execPath, [bin, 'paths', '--profile', 'rfc-strict'], { cwd: scratch });
    expect(stdout).toMatch(/^profile rfc-strict: \d+ paths; states (\d+)\/\1, transitions (\d+)\/\2/);
    const { version } = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as { version: string };
    expect((await run(process.execPath, [bin, '--version'], { cwd: scratch })).stdout).toBe(`ws-auth-conformance ${version}\n`);
  });
});
