// The true cause of a divergence: the one fact that, set back to its value in the
// canonical valid case, makes the backend answer as the model predicts. The engine finds
// it by replays (engine/cause.ts); the hint then names that fact rather than the first
// reason of the model's trace, which for a case with several deviations is often not
// the one the backend got wrong.
import type { FactName } from '../../model/facts.ts';

/**
 * A fact of the model, the case's noise (extra headers and query parameters, header case
 * and order), or its spelling (a near miss written for a fact, cases/edge/; set back, the
 * fact's value is written plainly).
 */
export type FlippedFact = FactName | 'noise' | 'spelling';

/** One replay of a divergent case with one fact set back to its canonical value. */
export interface Flip {
  fact: FlippedFact;
  /** The fact's value in the divergent case, and the canonical value the replay used instead. */
  value: string;
  canonical: string;
  /** The model's prediction for the replayed case: `<outcome> (<reason>)`. */
  expected: string;
  observed: string;
  /** The backend answered the replayed case as predicted: setting this fact back removed the divergence. */
  asPredicted: boolean;
}

/** The case with only the cause's fact off its canonical value, as run. */
export interface Alone {
  expected: string;
  observed: string;
  divergent: boolean;
}

export interface TrueCause {
  fact: FlippedFact;
  value: string;
  canonical: string;
  /** The replay that showed it. */
  flip: Flip;
  /** The fact on its own (null when the divergent case deviated in this fact only: it is its own "alone"). */
  alone: Alone | null;
}

/** "with nbf set back to absent: observed accept as predicted". */
export function describeFlip(f: Flip): string {
  const head = `with ${f.fact} set back to ${f.canonical}`;
  return f.asPredicted ? `${head}: observed ${f.observed} as predicted` : `${head}: observed ${f.observed}, expected ${f.expected}`;
}

/** "nbf=future". */
export const causeName = (c: Pick<TrueCause, 'fact' | 'value'>): string => `${c.fact}=${c.value}`;
