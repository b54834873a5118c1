// How many cases are in flight. Fixed when the user says so; otherwise AIMD, as TCP
// does: start from the cores, grow while answers come back fast and the engine's loop
// is on time, halve when an answer is slow or missing or the loop lags. A busy machine
// then gets fewer cases at once instead of false hangs.
import { availableParallelism } from 'node:os';
import type { Evidence } from '../drive/evidence.ts';

export interface ConcurrencyStats {
  mode: 'fixed' | 'adaptive';
  initial: number;
  min: number;
  max: number;
  final: number;
  /** Times the limit was halved. */
  backoffs: number;
}

export interface Concurrency {
  limit(): number;
  /** One finished case: its evidence, and whether its latency was deliberate (a stalled lookup). */
  record(evidence: Evidence, deliberate: boolean): void;
  stats(): ConcurrencyStats;
}

export const ADAPTIVE = { perCore: 8, floor: 2, ceiling: 64 } as const;

export function fixedConcurrency(n: number): Concurrency {
  const limit = Math.max(1, n);
  return { limit: () => limit, record: () => {}, stats: () => ({ mode: 'fixed', initial: limit, min: limit, max: limit, final: limit, backoffs: 0 }) };
}

/**
 * @param deadlineMs the client's answer deadline: an answer slower than a quarter of it,
 *   or a loop stall over a tenth of it, is congestion.
 * @param recentLoopLag the engine's longest loop stall in the last `windowMs`.
 */
export function adaptiveConcurrency(deadlineMs: number, recentLoopLag: (windowMs: number) => number, cores = availableParallelism()): Concurrency {
  const initial = Math.min(ADAPTIVE.ceiling, Math.max(ADAPTIVE.floor, cores * ADAPTIVE.perCore));
  let limit = initial;
  let min = initial;
  let max = initial;
  let backoffs = 0;
  let slowStart = true;
  // One halving per round trip: the answers already in flight saw the old limit.
  const cooldownMs = Math.max(100, deadlineMs / 4);
  let lastBackoff = -Infinity;
  return {
    limit: () => Math.floor(limit),
    record(evidence, deliberate) {
      const answer = answerMs(evidence);
      const congested = (!deliberate && (answer === null || answer > deadlineMs / 4)) || recentLoopLag(cooldownMs) > deadlineMs / 10;
      const now = performance.now();
      if (congested) {
        if (now - lastBackoff < cooldownMs) return;
        lastBackoff = now;
        slowStart = false;
        limit = Math.max(ADAPTIVE.floor, limit / 2);
        backoffs += 1;
      } else {
        // Slow start doubles the limit per round trip; afterwards +1 per round trip.
        limit = Math.min(ADAPTIVE.ceiling, limit + (slowStart ? 1 : 1 / limit));
      }
      min = Math.min(min, Math.floor(limit));
      max = Math.max(max, Math.floor(limit));
    },
    stats: () => ({ mode: 'adaptive', initial, min, max, final: Math.floor(limit), backoffs }),
  };
}

/** From the request on the wire to the HTTP answer (or 101), or null when none came. */
export function answerMs(e: Evidence): number | null {
  if (!e.connect.ok) return null;
  const at = e.response?.ms ?? e.upgraded?.ms ?? e.released?.ms;
  return at === undefined ? null : Math.max(0, at - e.connect.ms);
}
