// Stray arguments are usage errors, never ignored: `run foo` (a misspelt flag's value,
// a file given to a command that takes none) stops before anything starts.
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../model/errors.ts';
import type { Command } from './command.ts';

const NO_FILES: Record<string, () => Promise<{ command: Command }>> = {
  init: () => import('./init.ts'),
  paths: () => import('./paths.ts'),
  diagram: () => import('./diagram.ts'),
  run: () => import('./run.ts'),
  mutants: () => import('./mutants.ts'),
  serve: () => import('../../src/cli/serve.ts'),
};

describe('stray positional arguments', () => {
  for (const [name, load] of Object.entries(NO_FILES)) {
    it(`${name} refuses one, naming it`, async () => {
      const { command } = await load();
      const run = command.run(['stray']);
      await expect(run).rejects.toBeInstanceOf(UsageError);
      await expect(run).rejects.toThrow(`${name} takes no arguments besides its options, got "stray"; see "ws-auth-conformance ${name} --help"`);
    });
  }

  it('replay takes exactly one counterexample file', async () => {
    const { command } = await import('./replay.ts');
    await expect(command.run(['a.json', 'b.json'])).rejects.toThrow('replay takes one counterexample FILE, got 2');
  });
});
