// Flag parsing shared by the commands: node:util parseArgs, with errors a user can act on.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './command.ts';

export function parseFlags<T extends NonNullable<ParseArgsConfig['options']>>(argv: string[], options: T, command: string) {
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new UsageError(`${(error as Error).message.split('\n')[0]}; see "ws-auth-conformance ${command} --help"`);
  }
}

export function integerFlag(value: string | undefined, name: string, fallback: number, min = 0): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new UsageError(`--${name} must be an integer >= ${min}, got "${value}"`);
  return n;
}
