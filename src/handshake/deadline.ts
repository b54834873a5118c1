import { DependencyTimeoutError } from '../../model/errors.ts';

export const STALLED: unique symbol = Symbol('stalled');

/** Resolves with the work's value, or STALLED when `ms` passes first (null: wait forever). */
export function withDeadline<T>(work: Promise<T>, ms: number | null): Promise<T | typeof STALLED> {
  const guarded = work.catch((error: unknown): typeof STALLED => {
    if (error instanceof DependencyTimeoutError) return STALLED;
    throw error;
  });
  if (ms === null) return guarded;
  let timer: NodeJS.Timeout | undefined;
  const stalled = new Promise<typeof STALLED>((resolve) => {
    timer = setTimeout(() => resolve(STALLED), Math.max(0, ms));
  });
  return Promise.race([guarded, stalled]).finally(() => clearTimeout(timer));
}
