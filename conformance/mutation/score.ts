// Mutation score: the suite run against each field-failure mutant of the reference
// backend. A mutant is killed only by a divergence the engine confirmed (replayed on its
// own and reproduced) that carries the expected verdict class; it is diagnosed when that
// divergence also carries the hint naming the failure. A run that diverged only in some
// other way (a canonical case observed as a hang, say) is shown as such, not as a kill.
import { createReadStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { profilePolicy } from '../../model/policy.ts';
import { MUTANT_DESCRIPTIONS, type MutantId } from '../../src/index.ts';
import { deviations } from '../cases/facts-util.ts';
import { runConformance } from '../engine.ts';
import type { LogRule } from '../logs/check.ts';
import { DEFAULT_MAPPING } from '../logs/mapping.ts';
import { checkLogStream } from '../logs/stream.ts';
import type { Reporter } from '../report/events.ts';
import type { Confirmation, Divergence } from '../result.ts';
import { startEmbeddedTarget } from '../targets/embedded.ts';
import { MUTANT_EXPECTATIONS } from './expectations.ts';

export interface MutantScore {
  id: MutantId;
  description: string;
  /** A confirmed divergence with the expected verdict class. */
  killed: boolean;
  /** Killed, and that divergence carries the hint naming this failure. */
  diagnosed: boolean;
  /** The run diverged, confirmed or not, expected verdict or not. */
  diverged: boolean;
  /** From the start of the run (target start included) to the first divergent case. */
  firstDivergenceMs: number | null;
  /** From the start of the run to the first divergence its replays reproduced. */
  firstConfirmedMs: number | null;
  wallMs: number;
  /** The most telling divergence: expected verdict and hint first, then confirmed, then the fewest defects (the shrunk form when there is one). */
  counterexample: { line: string; defects: number; verdict: string; hint: string | null; confirmation: string } | null;
  /** First observations that diverged and whose replays never did. */
  notReproduced: number;
  /** What `check-logs` reports on the mutant's decision log of the run, by rule. */
  logViolations: Partial<Record<LogRule, number>>;
  /** Setup errors and unreachable targets: the mutant was not measured. */
  error?: string;
}

export interface ScoreOptions {
  seed: number;
  runs: number;
  /** null: adaptive. */
  concurrency: number | null;
}

export async function scoreMutant(id: MutantId, options: ScoreOptions, reporter?: Reporter): Promise<MutantScore> {
  const started = performance.now();
  let firstDivergenceMs: number | null = null;
  let firstConfirmedMs: number | null = null;
  const watch: Reporter = {
    onEvent(event) {
      if (event.type === 'case-finished' && event.result.divergent && firstDivergenceMs === null) {
        firstDivergenceMs = performance.now() - started;
      }
      if (event.type === 'confirmed' && event.status !== 'not-reproduced' && firstConfirmedMs === null) firstConfirmedMs = performance.now() - started;
      reporter?.onEvent(event);
    },
  };
  // The decision log is joined too: a mutant may be right on the wire and lie in its log.
  const logDir = await mkdtemp(join(tmpdir(), 'wsac-mutant-log-'));
  const decisionLog = join(logDir, `${id}.jsonl`);
  let logViolations: MutantScore['logViolations'] = {};
  const result = await runConformance(
    { target: () => startEmbeddedTarget({ mutant: id, decisionLog }), seed: options.seed, runs: options.runs, concurrency: options.concurrency, mutant: id, logs: { file: decisionLog } },
    watch,
  )
    .then(async (r) => {
      const quiet = { violation: () => {}, unreadable: () => {} };
      if (r.kind === 'completed') logViolations = (await checkLogStream(createReadStream(decisionLog, 'utf8'), profilePolicy('default'), DEFAULT_MAPPING, quiet)).byRule;
      return r;
    })
    .finally(() => rm(logDir, { recursive: true, force: true }));
  const wallMs = performance.now() - started;
  const base = { id, description: MUTANT_DESCRIPTIONS[id], wallMs, firstDivergenceMs, firstConfirmedMs, logViolations };
  if (result.kind !== 'completed') {
    const error = result.kind === 'setup-error' ? result.error.message : `target unreachable: ${result.detail}`;
    return { ...base, killed: false, diagnosed: false, diverged: false, counterexample: null, notReproduced: 0, error };
  }
  const want = MUTANT_EXPECTATIONS[id];
  // A stated reason (WRONG-REASON, from the decision log) is a line in a file, not a
  // timing: there is nothing for a replay to confirm.
  const confirmed = (d: Divergence) => confirmationOf(d) !== null || d.handshake === 'WRONG-REASON' || d.session === 'WRONG-REASON';
  const kills = (d: Divergence) => confirmed(d) && (d.handshake === want.verdict || d.session === want.verdict);
  const diagnoses = (d: Divergence) => kills(d) && d.hint?.id === want.hint;
  const factsOf = new Map(result.cases.map((c) => [c.key, c.facts]));
  // Fewest deviations from the valid case first: the shrunk form when there is one.
  const defects = (d: Divergence) => {
    const facts = d.shrunk?.facts ?? factsOf.get(d.key);
    return facts ? deviations(facts).length : Number.MAX_SAFE_INTEGER;
  };
  const pick = (ds: Divergence[]) => [...ds].sort((a, b) => defects(a) - defects(b))[0];
  const ds = result.divergences;
  const best = pick(ds.filter(diagnoses)) ?? pick(ds.filter(kills)) ?? pick(ds.filter(confirmed)) ?? pick(ds);
  return {
    ...base,
    killed: ds.some(kills),
    diagnosed: ds.some(diagnoses),
    diverged: ds.length > 0,
    notReproduced: result.notReproduced.length,
    counterexample: best
      ? {
          line: `${best.shrunk?.description ?? best.description}: expected ${best.expected}, observed ${best.observed}`,
          defects: defects(best),
          verdict: `${best.handshake}/${best.session}`,
          hint: best.hint?.text ?? null,
          confirmation: describeConfirmation(best),
        }
      : null,
  };
}

/** The confirmation of a divergence its replays reproduced; null when unconfirmed. */
function confirmationOf(d: Divergence): Confirmation | null {
  return d.confirmation && d.confirmation.status !== 'not-reproduced' ? d.confirmation : null;
}

function describeConfirmation(d: Divergence): string {
  const c = confirmationOf(d);
  if (!c) return 'unconfirmed';
  return c.status === 'deterministic' ? `confirmed ${c.reproduced}/${c.attempts}` : `flaky ${c.reproduced}/${c.attempts}`;
}
