// `ws-auth-conformance mutants`: the mutation score of the suite against the field
// failures, measured, not assumed.
import { MUTANT_IDS, isMutantId, type MutantId } from '../../src/index.ts';
import { runPool } from '../pool/pool.ts';
import { scoreMutant, type MutantScore } from '../mutation/score.ts';
import { closeSharedDirectory } from '../targets/embedded.ts';
import { integerFlag, parseFlags } from '../../src/cli/flags.ts';
import { UsageError } from '../../model/errors.ts';
import type { Command } from './command.ts';

const DEFAULT_MUTANT_RUNS = 100;
const DEFAULT_PARALLEL = 4;

export const command: Command = {
  summary: 'run the suite against every field-failure mutant of the reference backend; print the score',
  usage: `Usage: ws-auth-conformance mutants [--only ID,ID] [--parallel N] [--seed N] [--runs N] [--concurrency N] [--json]

Starts the reference backend once per mutant of docs/field-failures.md (embedded, on PGlite),
runs the model paths plus a fuzz budget against it, and prints per mutant: the result,
time to the first divergence and to the first confirmed one, the verdict, whether the
hint names the failure, and the shrunk counterexample in one line with its confirmation.
A mutant counts as killed only by a divergence its replays reproduced (confirmed) that
carries the expected verdict class; a run that diverged in some other way only (say,
the canonical valid case observed as a hang) is shown as "other divergence", and one
without any divergence as SURVIVED. Exit 0 when every mutant is killed with the
expected verdict and hint, 1 otherwise.

Options:
  --only IDS        comma-separated mutant ids (default: all ${MUTANT_IDS.length})
  --seed N          fast-check seed (default 1; the same seed gives the same cases)
  --runs N          fuzz budget per mutant on top of the model paths (default ${DEFAULT_MUTANT_RUNS})
  --concurrency N   cases in flight at once, per mutant (default: adaptive)
  --parallel N      mutants measured at once (default ${DEFAULT_PARALLEL})
  --json            print the scores as one JSON object instead of the table
`,
  async run(argv) {
    const { values } = parseFlags(
      argv,
      { only: { type: 'string' }, parallel: { type: 'string' }, seed: { type: 'string' }, runs: { type: 'string' }, concurrency: { type: 'string' }, json: { type: 'boolean' } },
      'mutants',
    );
    const ids = selectIds(values.only);
    const options = {
      seed: integerFlag(values.seed, 'seed', 1),
      runs: integerFlag(values.runs, 'runs', DEFAULT_MUTANT_RUNS),
      concurrency: values.concurrency === undefined ? null : integerFlag(values.concurrency, 'concurrency', 1, 1),
    };
    const parallel = integerFlag(values.parallel, 'parallel', DEFAULT_PARALLEL, 1);
    let done = 0;
    let scores: MutantScore[];
    try {
      // Mutant runs mostly wait on timers (deadlines, session expiry): a few at once keep both cores busy.
      scores = await runPool(ids, parallel, () => 0, async (id) => {
        const score = await scoreMutant(id, options);
        if (!values.json) process.stderr.write(`[${++done}/${ids.length}] ${id}: ${resultOf(score)}\n`);
        return score;
      });
    } finally {
      await closeSharedDirectory();
    }
    const killed = scores.filter((s) => s.killed).length;
    const diagnosed = scores.filter((s) => s.diagnosed).length;
    const otherwise = scores.filter((s) => s.diverged && !s.killed).length;
    if (values.json) {
      process.stdout.write(`${JSON.stringify({ seed: options.seed, runs: options.runs, killed, diagnosed, otherDivergence: otherwise, total: scores.length, mutants: scores }, null, 2)}\n`);
    } else {
      const other = otherwise ? `; ${otherwise} diverged only otherwise (not counted)` : '';
      process.stdout.write(
        `${formatTable(scores)}\n\nmutation score: ${killed}/${scores.length} killed by a confirmed divergence with the expected verdict, ${diagnosed}/${scores.length} with the expected hint too${other} (seed ${options.seed}, ${options.runs} fuzz runs each)\n`,
      );
    }
    return diagnosed === scores.length ? 0 : 1;
  },
};

function selectIds(only: string | undefined): MutantId[] {
  if (only === undefined) return [...MUTANT_IDS];
  const ids = only.split(',').map((s) => s.trim()).filter(Boolean);
  const unknown = ids.filter((id) => !isMutantId(id));
  if (unknown.length) throw new UsageError(`unknown mutant ${unknown.map((u) => `"${u}"`).join(', ')}; ids: ${MUTANT_IDS.join(', ')}`);
  return ids as MutantId[];
}

function resultOf(s: MutantScore): string {
  if (s.error) return 'ERROR';
  if (s.killed) return 'killed';
  return s.diverged ? 'other divergence' : 'SURVIVED';
}

const seconds = (ms: number | null) => (ms === null ? '-' : `${(ms / 1000).toFixed(2)} s`);

function formatTable(scores: MutantScore[]): string {
  const rows = scores.map((s) => [
    s.id,
    resultOf(s),
    seconds(s.firstDivergenceMs),
    seconds(s.firstConfirmedMs),
    s.counterexample?.verdict ?? '-',
    s.diagnosed ? 'yes' : 'NO',
    s.counterexample ? `${s.counterexample.defects}` : '-',
    s.error ?? (s.counterexample ? `${s.counterexample.line} [${s.counterexample.confirmation}]` : '-'),
  ]);
  const header = ['mutant', 'result', 'first divergence', 'first confirmed', 'verdict', 'hint ok', 'defects', 'shrunk counterexample'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join('  ');
  const hints = scores.filter((s) => s.counterexample?.hint).map((s) => `  ${s.id}: ${s.counterexample!.hint}`);
  return [line(header), ...rows.map(line), '', 'hints:', ...hints].join('\n');
}
