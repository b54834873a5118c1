// One hierarchy: every error class the package throws at a user is a ConformanceError
// with its own stable code; anything else is not (and the CLI prints it as a bug).
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as errors from './errors.ts';

const CLASSES = [
  () => new errors.PolicyError('typ', 'a non-empty string or null'),
  () => new errors.ConfigError('target.url', 'missing', 'give the WebSocket URL'),
  () => new errors.UsageError('--runs must be an integer >= 0, got "-5"'),
  () => new errors.TargetError('cannot start'),
  () => new errors.ReplayError('not a counterexample'),
  () => new errors.BackendConfigError('no keys'),
  () => new errors.ServeError('port in use'),
  () => new errors.SeedError('users.json[0]: expected an object'),
  () => new errors.EmbeddedHostError('the embedded host ended (exit 1)'),
  () => new errors.DependencyTimeoutError('lookup cancelled after 500 ms'),
];

describe('errors', () => {
  it('each class has its own code and name, and counts as a user error', () => {
    const made = CLASSES.map((make) => make());
    expect(new Set(made.map((e) => e.code)).size).toBe(made.length);
    for (const e of made) {
      expect(errors.isConformanceError(e), e.name).toBe(true);
      expect(e.code).toMatch(/^ERR_[A-Z_]+$/);
      expect(e.name).toBe(e.constructor.name);
    }
  });

  it('ERROR_CODES lists exactly the codes of the classes', () => {
    expect(new Set(CLASSES.map((make) => make().code))).toEqual(new Set(errors.ERROR_CODES));
    expect(errors.isErrorCode('ERR_USER_SEED')).toBe(true);
    expect(errors.isErrorCode('ERR_MODULE_NOT_FOUND')).toBe(false);
  });

  it('an error the embedded host reports keeps the code it was thrown with', () => {
    const e = new errors.EmbeddedHostError('embedded backend: users.json[0]: expected an object', 'ERR_USER_SEED');
    expect(e).toMatchObject({ code: 'ERR_USER_SEED', name: 'EmbeddedHostError' });
    expect(errors.isConformanceError(e)).toBe(true);
  });

  it('no error class is declared outside this module (sources of model/, src/, conformance/, containers/)', async () => {
    const root = join(import.meta.dirname, '..');
    const stray: string[] = [];
    for (const dir of ['model', 'src', 'conformance', 'containers']) {
      for (const e of await readdir(join(root, dir), { withFileTypes: true, recursive: true })) {
        if (!e.isFile() || !/\.(ts|mjs)$/.test(e.name)) continue;
        const file = relative(root, join(e.parentPath, e.name));
        if (file === join('model', 'errors.ts')) continue;
        for (const m of (await readFile(join(root, file), 'utf8')).matchAll(/\bclass\s+(\w+)\s+extends\s+(\w*Error)\b/g)) stray.push(`${file}: ${m[1]} extends ${m[2]}`);
      }
    }
    expect(stray).toEqual([]);
  });

  it('structured fields: the policy field, the config field and its fix', () => {
    expect(new errors.PolicyError('typ', 'bad')).toMatchObject({ field: 'typ', message: 'policy.typ: bad' });
    expect(new errors.ConfigError('run.seed', 'must be a whole number', 'give 42')).toMatchObject({ field: 'run.seed', fix: 'give 42' });
  });

  it('a Node error with an ERR_ code is not one of ours', () => {
    expect(errors.isConformanceError(Object.assign(new Error('x'), { code: 'ERR_MODULE_NOT_FOUND' }))).toBe(false);
  });
});
