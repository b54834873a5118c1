export const STALLED = Symbol('stalled');

/** Resolves with the work's value, or STALLED when `ms` passes first (null: wait forever). */
export function withDeadline<T>(work: Promise<T>, ms: number | null): Promise<T | typeof STALLED> {
  if (ms === null) return work;
  let timer: NodeJS.Timeout | undefined;
  const stalled = new Promise<typeof STALLED>((resolve) => {
    timer = setTimeout(() => resolve(STALLED), Math.max(0, ms));
  });
  return Promise.race([work, stalled]).finally(() => clearTimeout(timer));
}
