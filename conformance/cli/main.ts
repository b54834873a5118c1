import { isConformanceError } from '../../model/errors.ts';
import type { Command } from './command.ts';
import { packageVersion } from '../report/version.ts';

// Lazy imports keep `--help` fast and let each command load only what it needs.
const COMMANDS: Record<string, () => Promise<{ command: Command }>> = {
  init: () => import('./init.ts'),
  paths: () => import('./paths.ts'),
  diagram: () => import('./diagram.ts'),
  run: () => import('./run.ts'),
  replay: () => import('./replay.ts'),
  mutants: () => import('./mutants.ts'),
  merge: () => import('./merge.ts'),
  diff: () => import('./diff.ts'),
  'check-logs': () => import('./check-logs.ts'),
  serve: () => import('../../src/cli/serve.ts'),
};

const HELP_FLAGS = new Set(['-h', '--help', 'help']);

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || HELP_FLAGS.has(name)) {
    const lines = await Promise.all(
      Object.entries(COMMANDS).map(async ([n, load]) => `  ${n.padEnd(10)} ${(await load()).command.summary}`),
    );
    process.stdout.write(
      `ws-auth-conformance: model-based conformance tests for WebSocket handshake authentication\n\n` +
        `Usage: ws-auth-conformance <command> [options]\n\nCommands:\n${lines.join('\n')}\n\n` +
        `Run "ws-auth-conformance <command> --help" for a command's options; --version prints the version.\n`,
    );
    return name === undefined ? 2 : 0;
  }
  if (name === '--version' || name === '-V') {
    process.stdout.write(`ws-auth-conformance ${packageVersion()}\n`);
    return 0;
  }
  const load = COMMANDS[name];
  if (!load) {
    process.stderr.write(`error: unknown command "${name}"; commands: ${Object.keys(COMMANDS).join(', ')}\n`);
    return 2;
  }
  const { command } = await load();
  if (rest.some((a) => a === '-h' || a === '--help')) {
    process.stdout.write(command.usage.endsWith('\n') ? command.usage : `${command.usage}\n`);
    return 0;
  }
  return command.run(rest);
}

// `ws-auth-conformance paths | head` closes our stdout early; that is not an error.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  // The package's errors carry a message meant for the user; anything else is a bug.
  if (isConformanceError(error)) {
    process.stderr.write(`error: ${error.message}\n`);
  } else {
    process.stderr.write(`internal error: ${(error as Error).stack ?? String(error)}\n`);
  }
  process.exitCode = 2;
}
