// One hierarchy: every error class the package throws at a user is a ConformanceError
// with its own stable code; anything else is not (and the CLI prints it as a bug).
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

  it('structured fields: the policy field, the config field and its fix', () => {
    expect(new errors.PolicyError('typ', 'bad')).toMatchObject({ field: 'typ', message: 'policy.typ: bad' });
    expect(new errors.ConfigError('run.seed', 'must be a whole number', 'give 42')).toMatchObject({ field: 'run.seed', fix: 'give 42' });
  });

  it('a Node error with an ERR_ code is not one of ours', () => {
    expect(errors.isConformanceError(Object.assign(new Error('x'), { code: 'ERR_MODULE_NOT_FOUND' }))).toBe(false);
  });
});
