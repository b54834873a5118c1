// `ws-auth-conformance merge DIR... --report OUT`: the shards of one run joined.
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { loadConfig } from '../config/load.ts';
import { isCompleted, readReport } from '../report/document.ts';
import { mergeReports } from '../report/merge.ts';
import { parseFlags } from '../../src/cli/flags.ts';
import { UsageError } from '../../model/errors.ts';
import type { Command } from './command.ts';
import { finishReport, gateInput } from './run-outputs.ts';

export const MERGE_OPTIONS = {
  report: { type: 'string' },
  baseline: { type: 'string' },
  config: { type: 'string' },
} as const;

const reportFile = (path: string) => (existsSync(path) && statSync(path).isDirectory() ? join(path, 'report.json') : path);

export const command: Command = {
  summary: 'join the reports of "run --shard K/N" into the report of one run',
  usage: `Usage: ws-auth-conformance merge DIR... --report OUT [--baseline FILE] [--config FILE]

Reads DIR/report.json of every shard (or the report.json files themselves), checks they
are the shards 1..N of one run (same seed, fuzz runs, policy and strictness), and writes
the merged run to OUT: report.json, junit.xml, results.sarif and index.html. The merged
cases and verdicts are those of one run with the same seed; coverage is measured again
over all of them; wall time is the slowest shard's.

Options:
  --report OUT      where the merged reports go (required)
  --baseline FILE   a previous report.json: fail only on divergences not in it
  --config FILE     the config whose waivers apply (default: ws-auth-conformance.config.ts
                    or .json in the current directory, if present)

With GITHUB_ACTIONS=true, prints the annotations and appends the step summary, as run does.
Exit status: like run: 0 nothing (new) diverged, 1 a divergence, a vacuous case or an
expired waiver, 2 a shard did not complete or the reports do not fit together.
`,
  async run(argv) {
    const { values, positionals } = parseFlags(argv, MERGE_OPTIONS, 'merge', { positionals: true });
    if (!values.report) throw new UsageError('merge needs --report OUT; see "ws-auth-conformance merge --help"');
    if (positionals.length === 0) throw new UsageError('merge needs the report directories of the shards; see "ws-auth-conformance merge --help"');
    const files = positionals.map(reportFile);
    const docs = await Promise.all(files.map((f) => readReport(f, 'merge')));
    const { config } = await loadConfig(values.config);
    const gate = await gateInput(values.baseline, config.waivers ?? []);
    const merged = mergeReports(docs, files);
    if (isCompleted(merged)) {
      const s = merged.summary;
      process.stdout.write(
        `merged ${files.length} shards: ${s.cases} cases (+${s.twins} relation twins), ${s.judged} judged, ${s.notCovered} not covered; ` +
          `coverage states ${s.coverage.states.covered}/${s.coverage.states.total}, transitions ${s.coverage.transitions.covered}/${s.coverage.transitions.total}\n`,
      );
      for (const d of merged.divergences) process.stdout.write(`  ${d.handshake}/${d.session}  ${d.key}: ${d.description}${d.hint ? ` [${d.hint.id}]` : ''}\n`);
      process.stdout.write(merged.passed ? 'result: PASS\n' : `result: FAIL (${merged.divergences.length} divergences)\n`);
    } else {
      process.stdout.write(`a shard did not complete: ${merged.kind}: ${merged.error?.message ?? ''}\n`);
    }
    return finishReport(merged, gate, values.report);
  },
};
