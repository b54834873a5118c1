// Mutation score: the suite run against each field-failure mutant of the reference
// backend. A mutant is killed when the run diverges; it is killed *for the right
// reason* when a divergence has the expected verdict class and hint.
import { MUTANT_DESCRIPTIONS, type MutantId } from '../../src/index.ts';
import { deviations } from '../cases/facts-util.ts';
import { runConformance } from '../engine.ts';
import type { Reporter } from '../report/events.ts';
import type { Divergence } from '../result.ts';
import { startEmbeddedTarget } from '../targets/embedded.ts';
import { MUTANT_EXPECTATIONS } from './expectations.ts';

export interface MutantScore {
  id: MutantId;
  description: string;
  killed: boolean;
  /** A divergence carries the expected verdict class and the hint naming this failure. */
  diagnosed: boolean;
  /** From the start of the run (target start included) to the first divergent case. */
  firstDivergenceMs: number | null;
  wallMs: number;
  /** The most telling divergence, shrunk when it came from fuzzing. */
  counterexample: { line: string; defects: number; verdict: string; hint: string | null } | null;
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
  const watch: Reporter = {
    onEvent(event) {
      if (event.type === 'case-finished' && event.result.divergent && firstDivergenceMs === null) {
        firstDivergenceMs = performance.now() - started;
      }
      reporter?.onEvent(event);
    },
  };
  const result = await runConformance(
    { target: () => startEmbeddedTarget({ mutant: id }), seed: options.seed, runs: options.runs, concurrency: options.concurrency, mutant: id },
    watch,
  );
  const wallMs = performance.now() - started;
  const base = { id, description: MUTANT_DESCRIPTIONS[id], wallMs, firstDivergenceMs };
  if (result.kind !== 'completed') {
    const error = result.kind === 'setup-error' ? result.error.message : `target unreachable: ${result.detail}`;
    return { ...base, killed: false, diagnosed: false, counterexample: null, error };
  }
  const want = MUTANT_EXPECTATIONS[id];
  const matches = (d: Divergence) => d.hint?.id === want.hint && (d.handshake === want.verdict || d.session === want.verdict);
  const factsOf = new Map(result.cases.map((c) => [c.key, c.facts]));
  // Fewest deviations from the valid case first: the shrunk form when there is one.
  const defects = (d: Divergence) => {
    const facts = d.shrunk?.facts ?? factsOf.get(d.key);
    return facts ? deviations(facts).length : Number.MAX_SAFE_INTEGER;
  };
  const pick = (ds: Divergence[]) => [...ds].sort((a, b) => defects(a) - defects(b))[0];
  const best = pick(result.divergences.filter(matches)) ?? pick(result.divergences);
  return {
    ...base,
    killed: result.divergences.length > 0,
    diagnosed: result.divergences.some(matches),
    counterexample: best
      ? {
          line: `${best.shrunk?.description ?? best.description}: expected ${best.expected}, observed ${best.observed}`,
          defects: defects(best),
          verdict: `${best.handshake}/${best.session}`,
          hint: best.hint?.text ?? null,
        }
      : null,
  };
}
