// Errors crossing the embedded host's thread: a user's error keeps its code (the CLI
// prints it as `error: ...`), a bug keeps its stack (printed as an internal error).
import { describe, expect, it } from 'vitest';
import { SeedError, isConformanceError } from '../../model/errors.ts';
import { fromHostFailure, toHostFailure } from './embedded-protocol.ts';

describe('embedded host failures', () => {
  it('a user error thrown in the worker arrives as an EmbeddedHostError with its code', () => {
    const wire = structuredClone(toHostFailure(new SeedError('users.json[0]: expected an object')));
    const error = fromHostFailure(wire);
    expect(isConformanceError(error)).toBe(true);
    expect(error).toMatchObject({ name: 'EmbeddedHostError', code: 'ERR_USER_SEED', message: 'embedded backend: users.json[0]: expected an object' });
  });

  it('a bug thrown in the worker arrives as an internal error with the worker stack', () => {
    const bug = new TypeError("Cannot read properties of undefined (reading 'sql')");
    const error = fromHostFailure(structuredClone(toHostFailure(bug)));
    expect(isConformanceError(error)).toBe(false);
    expect(error.name).toBe('TypeError');
    expect(error.stack).toContain('embedded-protocol.test.ts');
    expect(error.stack!.split('\n')[0]).toBe(`TypeError: embedded backend: ${bug.message}`);
  });
});
