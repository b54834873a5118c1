// `ws-auth-conformance replay FILE`: re-runs exactly the case of a counterexample file
// against a target (by default the one recorded in the file, when it was embedded).
import { readFile } from 'node:fs/promises';
import { predict } from '../../model/oracle.ts';
import { policyDigest } from '../../model/policy.ts';
import { resolveConfig, type RunFlags } from '../config/resolve.ts';
import { runConformance } from '../engine.ts';
import { ReplayError } from '../../model/errors.ts';
import { formatDivergence, formatSummary } from '../report/format.ts';
import { COUNTEREXAMPLE_SCHEMA, type Counterexample } from '../replay/counterexample.ts';
import { curlCommand } from '../replay/curl.ts';
import { exitCodeOf } from '../result.ts';
import { startEmbeddedTarget } from '../targets/embedded.ts';
import { TARGETS } from '../config/target-kinds.ts';
import { integerFlag, parseFlags } from '../../src/cli/flags.ts';
import { UsageError } from '../../model/errors.ts';
import type { Command } from './command.ts';

export const command: Command = {
  summary: 're-run the case of a counterexample file against a target',
  usage: `Usage: ws-auth-conformance replay FILE [options]

Re-runs exactly the case recorded in a counterexample file (its facts, under its
policy), with a freshly minted token, and prints the verdicts, the hint and a curl line
reproducing the handshake. Without --target, an embedded counterexample replays against
the embedded reference backend (with the same mutant, if any).

Options:
  --target T          embedded | url=ws://HOST:PORT/PATH | container[=IMAGE]
  --config FILE       config file (keys and users of a url target)
  --mutant ID         embedded only: override the recorded mutant ("none" for none)
  --deadline-ms N     client deadline for the HTTP answer
  --reveal-tokens     show the whole token in the curl line

Exit status: 0 the case now passes, 1 it still diverges, 2 setup error.
`,
  async run(argv) {
    const { values, positionals } = parseFlags(
      argv,
      { target: { type: 'string' }, config: { type: 'string' }, mutant: { type: 'string' }, 'deadline-ms': { type: 'string' }, 'reveal-tokens': { type: 'boolean' } },
      'replay',
      { positionals: true },
    );
    const [file, ...more] = positionals;
    if (!file) throw new UsageError('replay needs a counterexample FILE; see "ws-auth-conformance replay --help"');
    if (more.length) throw new UsageError(`replay takes one counterexample FILE, got ${positionals.length}; see "ws-auth-conformance replay --help"`);
    const cx = await readCounterexample(file);
    const recordedMutant = cx.target.kind === 'embedded' ? cx.target.mutant : null;
    const mutant = values.mutant === 'none' ? null : (values.mutant ?? recordedMutant);
    const embedded = (values.target ?? (cx.target.kind === 'embedded' ? 'embedded' : undefined)) === 'embedded' && !values.config;
    let targetFactory;
    let policy = cx.policy;
    if (embedded) {
      // The file's policy as recorded: it already has the embedded timing.
      targetFactory = () => startEmbeddedTarget({ policy: cx.policy, mutant, quickTiming: false });
    } else {
      const flags: RunFlags = { target: values.target ?? (cx.target.kind === 'url' ? `url=${cx.target.url}` : cx.target.kind), config: values.config, ...(mutant ? { mutant } : {}) };
      const config = await resolveConfig(flags);
      policy = config.policy;
      const load = TARGETS[config.target.kind];
      if (!load) throw new UsageError(`unknown target "${config.target.kind}"`);
      const factory = await load();
      targetFactory = () => factory(config);
    }
    if (policyDigest(policy) !== cx.policyDigest) {
      process.stderr.write(`warning: the target's policy (${policyDigest(policy)}) differs from the counterexample's (${cx.policyDigest}); the prediction is recomputed under the target's\n`);
    }
    const kase = { key: `replay:${cx.case}`, source: { kind: 'replay' as const, file }, facts: cx.facts, prediction: predict(policy, cx.facts) };
    process.stdout.write(`replaying ${cx.case}: ${cx.description}\n  expected ${kase.prediction.outcome} (${kase.prediction.reason}); trace ${kase.prediction.trace.join(' > ')}\n`);
    const result = await runConformance({
      target: targetFactory,
      seed: cx.seed ?? 0,
      runs: 0,
      cases: [kase],
      shrink: false,
      deadlineMs: values['deadline-ms'] !== undefined ? integerFlag(values['deadline-ms'], 'deadline-ms', 0, 1) : null,
      revealTokens: values['reveal-tokens'] ?? false,
      mutant,
    });
    if (embedded) await (await import('../targets/embedded.ts')).closeSharedDirectory();
    if (result.kind !== 'completed') {
      process.stdout.write(formatSummary(result));
      return exitCodeOf(result);
    }
    const r = result.cases.find((c) => c.key === kase.key)!;
    process.stdout.write(`  observed ${r.observed}: handshake ${r.handshake}, session ${r.session}\n`);
    const d = result.divergences.find((x) => x.key === kase.key);
    if (d) process.stdout.write(`${formatDivergence(d).join('\n')}\n`);
    for (const t of r.twins) process.stdout.write(`  relation ${t.relation}: twin observed ${t.observed}, ${t.holds ? 'holds' : 'BROKEN'}\n`);
    if (r.request) process.stdout.write(`  request: ${JSON.stringify(r.request.headers)}${r.request.protocols.length ? ` protocols ${JSON.stringify(r.request.protocols)}` : ''} path ${r.request.path}\n`);
    // The request as just sent (a fresh token), redacted unless --reveal-tokens.
    const curl = r.request ? curlCommand(result.target.url, { ...r.request, token: null }) : cx.reproduce.curl;
    process.stdout.write(`  reproduce the handshake: ${curl}\n`);
    process.stdout.write(d ? 'result: still diverges\n' : 'result: passes now\n');
    return d ? 1 : 0;
  },
};

async function readCounterexample(file: string): Promise<Counterexample> {
  let raw: Counterexample;
  try {
    raw = JSON.parse(await readFile(file, 'utf8')) as Counterexample;
  } catch (error) {
    throw new ReplayError(`cannot read counterexample ${file}: ${(error as Error).message}`);
  }
  if (raw?.schema !== COUNTEREXAMPLE_SCHEMA) throw new ReplayError(`${file} is not a counterexample (schema "${String(raw?.schema)}", expected "${COUNTEREXAMPLE_SCHEMA}")`);
  return raw;
}

