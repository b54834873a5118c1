// What a run is asked to do (runConformance's options) and the defaults it falls back on.
import type { FuzzShape } from '../cases/arbitraries/facts.ts';
import type { Case } from '../cases/case.ts';
import type { Client } from '../cases/client.ts';
import type { Shard } from '../cases/shard.ts';
import type { DriveSettings } from '../drive/execute.ts';
import type { FieldMapping } from '../logs/mapping.ts';
import type { ShrinkBudget } from '../shrink/divergences.ts';
import type { Target } from '../targets/target.ts';

export interface RunOptions {
  /** A started target, or a function starting one (then the engine also closes it). */
  target: Target | (() => Promise<Target>);
  seed: number;
  /** Fuzz budget: cases drawn by fast-check on top of the model paths. */
  runs: number;
  /** Cases in flight at once; default adaptive (from the cores, backing off under load). */
  concurrency?: number | null;
  /** Client deadline for an HTTP answer; default policy.handshakeDeadlineMs + 500. */
  deadlineMs?: number | null;
  /** How long an accepted socket is watched; default 150 ms. */
  observeMs?: number | null;
  /** NON-STRICT counts as a divergence. */
  strict?: boolean;
  /** Run the model paths and the edge cases (default true). */
  paths?: boolean;
  /** Proxy identity headers tried besides the built-in ones: name -> value (`{user}`: the case's user id). */
  identityHeaders?: ReadonlyArray<readonly [string, string]>;
  /** Check noise invariance and placement equivalence with twin cases (default true). */
  relations?: boolean;
  /** Shrink divergent fuzz cases (default: up to 4 distinct divergences, 60 live runs and 5 s each). */
  shrink?: ShrinkBudget | false;
  /** Replays of each divergence before it is reported (default 2; 0 reports first observations unconfirmed). */
  confirm?: number;
  /** Stop after a failing canary, since every valid case would fail the same way (default true). */
  stopAfterCanaryFailure?: boolean;
  /** Write one counterexample file per divergence here. */
  counterexamplesDir?: string | null;
  revealTokens?: boolean;
  /** Recorded in counterexamples so `replay` rebuilds the same embedded target. */
  mutant?: string | null;
  /**
   * How fuzz cases are drawn: weights, and fact values to leave out (e.g. a benchmark
   * of handshakes alone leaves out the session and stall values).
   */
  fuzz?: Partial<FuzzShape>;
  /** Cases to run instead of paths and fuzz (replay). */
  cases?: Case[];
  /** Run only this share of the planned cases (`--shard K/N`); the canary runs in every shard. */
  shard?: Shard | null;
  /** Aborting ends the run with what was judged so far (a partial result, exit 130). */
  signal?: AbortSignal;
  /**
   * The target's JSON-lines decision log, read after the cases ran: each case's stated
   * reason is checked against the model's (logs/join.ts).
   */
  logs?: { file: string; mapping?: FieldMapping } | null;
  /** Whose view to judge on: any HTTP client (default), or a web page (cases/client.ts). */
  client?: Client;
}

export const DEFAULT_SHRINK: ShrinkBudget = { maxCases: 4, maxRunsPerCase: 60, maxMs: 5000 };
export const DEFAULT_CONFIRM = 2;

export function settingsFor(target: Target, options: RunOptions): DriveSettings {
  return {
    deadlineMs: options.deadlineMs ?? target.policy.handshakeDeadlineMs + 500,
    observeMs: options.observeMs ?? 150,
    revokeWatchMs: 1500,
    // Timers of a loaded server fire late; a close this late still counts as on time.
    expiryToleranceMs: 1500,
  };
}
