// What the engine's confirmation says about a divergence (replays on its own, before a
// verdict), read in one place so the score does not depend on how it is spelled.
import type { EngineEvent } from '../report/events.ts';
import type { CompletedRun, Divergence } from '../result.ts';

export interface Confirmation {
  status: 'deterministic' | 'flaky' | 'not-reproduced';
  attempts: number;
  reproduced: number;
}

/** The confirmation of a divergence its replays reproduced; null when unconfirmed. */
export function confirmationOf(d: Divergence): Confirmation | null {
  const c = (d as Divergence & { confirmation?: Confirmation }).confirmation;
  return c && c.status !== 'not-reproduced' ? c : null;
}

/** An engine event saying a divergence was reproduced by its replays. */
export function isConfirmedEvent(e: EngineEvent): boolean {
  const c = e as unknown as { type: string } & Partial<Confirmation>;
  return c.type === 'confirmed' && c.status !== undefined && c.status !== 'not-reproduced';
}

export function notReproducedCount(run: CompletedRun): number {
  return (run as CompletedRun & { notReproduced?: unknown[] }).notReproduced?.length ?? 0;
}
