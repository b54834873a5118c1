// `ws-auth-conformance run`: flags and config -> runConformance -> text, files, exit code.
import { resolveConfig, DEFAULT_CONCURRENCY, DEFAULT_RUNS, type RunFlags } from '../config/resolve.ts';
import { runConformance } from '../engine.ts';
import { ConfigError } from '../errors.ts';
import { consoleReporter } from '../report/console.ts';
import { combineReporters, type Reporter } from '../report/events.ts';
import { jsonReporter } from '../report/json.ts';
import { junitReporter } from '../report/junit.ts';
import { exitCodeOf } from '../result.ts';
import { TARGETS } from '../targets/registry.ts';
import { integerFlag, parseFlags } from './args.ts';
import type { Command } from './command.ts';

export const DEFAULT_COUNTEREXAMPLES = 'counterexamples';

export const RUN_OPTIONS = {
  target: { type: 'string' },
  config: { type: 'string' },
  policy: { type: 'string' },
  profile: { type: 'string' },
  seed: { type: 'string' },
  runs: { type: 'string' },
  concurrency: { type: 'string' },
  'deadline-ms': { type: 'string' },
  'observe-ms': { type: 'string' },
  report: { type: 'string' },
  strict: { type: 'boolean' },
  'reveal-tokens': { type: 'boolean' },
  mutant: { type: 'string' },
  counterexamples: { type: 'string' },
  quiet: { type: 'boolean' },
} as const;

export const command: Command = {
  summary: 'check a backend against the model: model paths + fuzzing, verdicts, shrunk counterexamples',
  usage: `Usage: ws-auth-conformance run [options]

Runs every test path of the model and a fast-check fuzz budget against a target, judges
each case (handshake and session verdicts), re-runs timing-dependent divergences,
shrinks fuzzed ones to the fewest defects, and writes a counterexample per divergence.
Without options: the reference backend in-process on PGlite (embedded target), the
default profile, all model paths plus ${DEFAULT_RUNS} fuzz cases.

Options:
  --target T            embedded (default) | url=ws://HOST:PORT/PATH | container[=IMAGE];
                        url needs keys and users from a config file
  --config FILE         ws-auth-conformance.config.ts, .mjs or .json (default: that name in
                        the current directory, if present)
  --policy FILE         the target's auth contract as JSON (fields over its profile)
  --profile NAME        default | rfc-strict (when no policy file is given)
  --seed N              fast-check seed; the same seed gives the same cases and verdicts
                        (default: random, printed)
  --runs N              fuzz budget on top of the model paths (default ${DEFAULT_RUNS})
  --concurrency N       cases in flight at once (default ${DEFAULT_CONCURRENCY})
  --deadline-ms N       client deadline for the HTTP answer (default: the policy's
                        handshakeDeadlineMs + 500)
  --observe-ms N        how long an accepted socket is watched (default 150)
  --report DIR          write DIR/report.json (docs/report-schema.md) and DIR/junit.xml
  --strict              NON-STRICT verdicts (a SHOULD missed) fail the run too
  --reveal-tokens       show whole tokens in counterexamples and curl lines (default:
                        fingerprints only)
  --mutant ID           embedded/container only: run against a field-failure mutant of
                        the reference backend (docs/field-failures.md ids)
  --counterexamples DIR where counterexample files go (default: DIR/counterexamples
                        with --report, else ${DEFAULT_COUNTEREXAMPLES})
  --quiet               no progress output; only the summary

Exit status: 0 nothing diverged, 1 a divergence or a vacuous case, 2 setup error or
target unreachable.
`,
  async run(argv) {
    const { values } = parseFlags(argv, RUN_OPTIONS, 'run');
    const flags: RunFlags = {
      config: values.config,
      target: values.target,
      policy: values.policy,
      profile: values.profile,
      mutant: values.mutant,
      strict: values.strict,
      ...(values.seed !== undefined ? { seed: integerFlag(values.seed, 'seed', 0) } : {}),
      ...(values.runs !== undefined ? { runs: integerFlag(values.runs, 'runs', 0) } : {}),
      ...(values.concurrency !== undefined ? { concurrency: integerFlag(values.concurrency, 'concurrency', 1, 1) } : {}),
      ...(values['deadline-ms'] !== undefined ? { deadlineMs: integerFlag(values['deadline-ms'], 'deadline-ms', 0, 1) } : {}),
      ...(values['observe-ms'] !== undefined ? { observeMs: integerFlag(values['observe-ms'], 'observe-ms', 0) } : {}),
    };
    const config = await resolveConfig(flags);
    const load = TARGETS[config.target.kind];
    if (!load) throw new ConfigError('target.kind', `unknown target "${config.target.kind}"`, `use one of ${Object.keys(TARGETS).join(', ')}`);
    const factory = await load();
    const reporters: Reporter[] = [consoleReporter({ quiet: values.quiet })];
    if (values.report) reporters.push(jsonReporter(values.report), junitReporter(values.report));
    const reporter = combineReporters(reporters);
    const result = await runConformance(
      {
        target: () => factory(config),
        seed: config.seed,
        runs: config.runs,
        concurrency: config.concurrency,
        deadlineMs: config.deadlineMs,
        observeMs: config.observeMs,
        strict: config.strict,
        revealTokens: values['reveal-tokens'] ?? false,
        mutant: config.mutant,
        counterexamplesDir: values.counterexamples ?? (values.report ? `${values.report}/counterexamples` : DEFAULT_COUNTEREXAMPLES),
      },
      reporter,
    );
    await reporter.flush?.();
    if (config.target.kind === 'embedded') await (await import('../targets/embedded.ts')).closeSharedDirectory();
    if (result.kind === 'setup-error') {
      const e = result.error as Error & { code?: string };
      if (!(typeof e.code === 'string' && e.code.startsWith('ERR_'))) process.stderr.write(`${e.stack ?? e.message}\n`);
    }
    return exitCodeOf(result);
  },
};
