// `ws-auth-conformance run`: flags and config -> runConformance -> text, files, exit code.
import { resolveConfig, DEFAULT_RUNS, type RunFlags } from '../config/resolve.ts';
import { ADAPTIVE } from '../engine/concurrency.ts';
import { DEFAULT_CONFIRM, runConformance } from '../engine.ts';
import { ConfigError, isConformanceError, UsageError } from '../../model/errors.ts';
import { consoleReporter } from '../report/console.ts';
import { combineReporters, type Reporter } from '../report/events.ts';
import { reportDocument } from '../report/json.ts';
import { parseShard } from '../cases/shard.ts';
import { ENV_HELP, flagsFromEnv } from './env.ts';
import { TARGETS } from '../config/target-kinds.ts';
import { parseMapping } from '../logs/mapping.ts';
import { CLIENTS, isClient, type Client } from '../cases/client.ts';
import { integerFlag, parseFlags } from '../../src/cli/flags.ts';
import type { Command } from './command.ts';
import { finishReport, gateInput, repoPath } from './run-outputs.ts';

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
  confirm: { type: 'string' },
  report: { type: 'string' },
  strict: { type: 'boolean' },
  'reveal-tokens': { type: 'boolean' },
  mutant: { type: 'string' },
  counterexamples: { type: 'string' },
  quiet: { type: 'boolean' },
  shard: { type: 'string' },
  baseline: { type: 'string' },
  logs: { type: 'string' },
  map: { type: 'string' },
  client: { type: 'string' },
} as const;

export const command: Command = {
  summary: 'check a backend against the model: model paths + fuzzing, verdicts, shrunk counterexamples',
  usage: `Usage: ws-auth-conformance run [options]

Runs every test path of the model, the edge cases (near misses of every compared value,
proxy identity headers; docs/edge-cases.md) and a fast-check fuzz budget against a target, judges
each case (handshake and session verdicts), replays every divergence on its own to
confirm it (deterministic, flaky with its rate, or not reproduced and so not reported),
shrinks fuzzed ones to the fewest defects, replays each with one fact at a time set back
to the canonical valid case to name its true cause in the hint, and writes a
counterexample per divergence.
Without options: the reference backend on PGlite in a worker thread (embedded target), the
default profile, all model paths and edge cases plus ${DEFAULT_RUNS} fuzz cases.

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
  --concurrency N       cases in flight at once (default: adaptive, ${ADAPTIVE.perCore} per core
                        to start, halved when answers slow down or the engine's own
                        event loop lags, between ${ADAPTIVE.floor} and ${ADAPTIVE.ceiling})
  --deadline-ms N       client deadline for the HTTP answer (default: the policy's
                        handshakeDeadlineMs + 500)
  --observe-ms N        how long an accepted socket is watched (default 150)
  --confirm N           replays of each divergence, on its own, before it is reported
                        (default ${DEFAULT_CONFIRM}; 0 reports first observations unconfirmed)
  --report DIR          write DIR/report.json (docs/report-schema.md), DIR/junit.xml,
                        DIR/results.sarif (code scanning) and DIR/index.html (for people)
  --baseline FILE       a previous report.json: fail only on divergences not in it
                        (matched by case identity; docs/ci.md); known ones are listed
  --shard K/N           run the K-th of N shares of the planned cases (the canary runs in
                        every shard); "ws-auth-conformance merge" joins the reports
  --strict              NON-STRICT verdicts (a SHOULD missed) fail the run too
  --reveal-tokens       show whole tokens in counterexamples and curl lines (default:
                        fingerprints only)
  --mutant ID           embedded/container only: run against a field-failure mutant of
                        the reference backend (docs/field-failures.md ids)
  --counterexamples DIR where counterexample files go (default: DIR/counterexamples
                        with --report, else ${DEFAULT_COUNTEREXAMPLES})
  --quiet               no progress output; only the summary
  --client C            any (default): judge what any HTTP client sees; browser: judge
                        what a web page's WebSocket sees (error + close 1006 for every
                        refusal; 401, 403, 500 and a timeout look alike), move the model
                        paths to the first placement a page can use, and report cases in
                        the Authorization header as not covered (docs/browser.md)
  --logs FILE           reason conformance: after the cases ran, read the target's
                        JSON-lines decision log from FILE, join its lines to the cases by
                        their X-Request-Id and check each stated reason against the
                        model's (WRONG-REASON). The embedded target writes its own
                        decision log to FILE first (docs/log-conformance.md)
  --map SPEC            where the decision log states its facts, as field=dotted.path
                        pairs (as for check-logs; default: the reference backend's names)

Environment (below flags, above the config file; empty means unset):
${ENV_HELP}

In GitHub Actions (GITHUB_ACTIONS=true) each divergence is also printed as an ::error
(::warning for NON-STRICT and flaky) annotation and a Markdown summary is appended to
$GITHUB_STEP_SUMMARY; WSAC_GITHUB=off turns both off (shard jobs whose merge reports).
Waivers (what, why, until) go in the config file. CI setup: docs/ci.md.

Exit status: 0 nothing diverged (or only known/waived divergences), 1 a divergence, a
vacuous case or an expired waiver, 2 setup error or target unreachable, 130
interrupted (Ctrl-C: the summary and reports of what was judged so far, marked partial).
`,
  async run(argv) {
    const parsed = parseFlags(argv, RUN_OPTIONS, 'run').values;
    // Flags over the environment over the config file.
    const values = { ...flagsFromEnv(), ...Object.fromEntries(Object.entries(parsed).filter(([, v]) => v !== undefined)) } as typeof parsed;
    const shard = values.shard !== undefined ? parseShard(values.shard) : null;
    if (values.shard !== undefined && !shard) throw new UsageError(`${parsed.shard !== undefined ? '--shard' : 'WSAC_SHARD (environment)'} must be K/N with 1 <= K <= N (e.g. 2/4), got "${values.shard}"`);
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
    const confirm = integerFlag(values.confirm, 'confirm', DEFAULT_CONFIRM);
    const config = await resolveConfig(flags);
    const load = TARGETS[config.target.kind];
    if (!load) throw new ConfigError('target.kind', `unknown target "${config.target.kind}"`, `use one of ${Object.keys(TARGETS).join(', ')}`);
    const factory = await load();
    const reporters: Reporter[] = [consoleReporter({ quiet: values.quiet })];
    const gate = await gateInput(values.baseline, config.waivers);
    const startedAt = new Date().toISOString();
    const reporter = combineReporters(reporters);
    if (values.client !== undefined && !isClient(values.client)) throw new UsageError(`--client must be one of ${CLIENTS.join(', ')}, got "${values.client}"`);
    const client: Client = (values.client as Client | undefined) ?? 'any';
    const logs = values.logs ? { file: values.logs, mapping: parseMapping(values.map) } : null;
    if (values.map !== undefined && !logs) throw new UsageError('--map needs --logs FILE');
    // The embedded backend writes its decision log where --logs reads it.
    const start = logs && config.target.kind === 'embedded' ? async () => (await import('../targets/embedded.ts')).startEmbeddedTarget({ policy: config.policy, mutant: config.mutant, quickTiming: config.quickTiming, decisionLog: logs.file }) : () => factory(config);
    // Ctrl-C: the engine stops and returns what it judged so far; a second one exits at once.
    const interrupt = new AbortController();
    const onSigint = () => {
      if (interrupt.signal.aborted) process.exit(130);
      process.stderr.write('\ninterrupted: finishing the summary and reports of what was judged so far (Ctrl-C again to quit now)\n');
      interrupt.abort();
    };
    process.on('SIGINT', onSigint);
    const result = await runConformance(
      {
        signal: interrupt.signal,
        confirm,
        target: start,
        logs,
        client,
        seed: config.seed,
        runs: config.runs,
        concurrency: config.concurrency,
        deadlineMs: config.deadlineMs,
        observeMs: config.observeMs,
        strict: config.strict,
        identityHeaders: config.identityHeaders,
        revealTokens: values['reveal-tokens'] ?? false,
        mutant: config.mutant,
        shard,
        counterexamplesDir: values.counterexamples ?? (values.report ? `${values.report}/counterexamples` : DEFAULT_COUNTEREXAMPLES),
      },
      reporter,
    ).finally(() => process.off('SIGINT', onSigint));
    await reporter.flush?.();
    if (config.target.kind === 'embedded') await (await import('../targets/embedded.ts')).closeSharedDirectory();
    if (result.kind === 'setup-error') {
      // A bug, not a user error: the summary's one line is not enough to find it.
      const e = result.error;
      if (!isConformanceError(e)) process.stderr.write(`${e.stack ?? e.message}\n`);
    }
    const doc = reportDocument(result, { startedAt, configFile: repoPath(config.configFile ?? config.policyFile), shard });
    return finishReport(doc, gate, values.report);
  },
};
