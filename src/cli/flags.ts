// Flag parsing and file loading shared by every command, the conformance tool's and
// the backend's `serve`: node:util parseArgs, with errors a user can act on.
import { readFile } from 'node:fs/promises';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from '../../model/errors.ts';

type Options = NonNullable<ParseArgsConfig['options']>;
type Parsed<T extends Options> = ReturnType<typeof parseArgs<{ args: string[]; options: T; allowPositionals: true; strict: true }>>;

/**
 * Flags only, by default: a stray argument (`run foo`, a flag's value without its flag)
 * is a usage error, never silently ignored. `positionals: true` for the commands that
 * take files; they check how many themselves.
 */
export function parseFlags<T extends Options>(argv: string[], options: T, command: string, { positionals = false } = {}): Parsed<T> {
  try {
    return parseArgs({ args: joinNegativeValues(argv, options), options, allowPositionals: positionals, strict: true }) as Parsed<T>;
  } catch (error) {
    throw new UsageError(`${describeParseError(error as NodeJS.ErrnoException, argv, command)}; see "ws-auth-conformance ${command} --help"`);
  }
}

/**
 * `--runs -5` is a value that looks like a flag; parseArgs calls it ambiguous. A number
 * is never a flag here, so it is taken as the value and the flag's own check says what
 * is wrong with it ("--runs must be an integer >= 0, got "-5"").
 */
function joinNegativeValues(argv: string[], options: Options): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i]!;
    const next = argv[i + 1];
    const name = arg.startsWith('--') ? arg.slice(2) : null;
    if (name !== null && options[name]?.type === 'string' && next !== undefined && /^-\d/.test(next)) {
      out.push(`${arg}=${next}`);
      i += 1;
    } else {
      out.push(arg);
    }
  }
  return out;
}

function describeParseError(error: NodeJS.ErrnoException, argv: string[], command: string): string {
  const named = /'(-[^' ]+)/.exec(error.message)?.[1];
  switch (error.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `unknown option ${named ?? error.message}`;
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL': {
      const stray = /'([^']*)'/.exec(error.message)?.[1];
      return `${command} takes no arguments besides its options, got "${stray ?? error.message}"`;
    }
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE': {
      if (named && / argument missing/.test(error.message)) return `${named} needs a value`;
      const value = named ? argv[argv.indexOf(named) + 1] : undefined;
      if (named && value !== undefined && / ambiguous/.test(error.message)) {
        return `${named} needs a value, and "${value}" looks like an option (for a value starting with "-", write ${named}=${value})`;
      }
      return error.message.split('\n')[0]!;
    }
    default:
      return error.message.split('\n')[0]!;
  }
}

export function integerFlag(value: string | undefined, name: string, fallback: number, min = 0): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new UsageError(`--${name} must be an integer >= ${min}, got "${value}"`);
  return n;
}

/** A JSON file named by a flag; errors name the flag and the file. */
export async function readJsonFile(file: string, flag: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new UsageError(`${flag} ${file}: cannot read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${flag} ${file}: not JSON (${(error as Error).message})`);
  }
}
