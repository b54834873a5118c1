export const STALLED: unique symbol = Symbol('stalled');

/**
 * A dependency that gave up because the handshake deadline passed (e.g. PostgreSQL
 * cancelling a lookup at its statement_timeout): the same outcome as the deadline itself.
 */
export class DependencyTimeoutError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DependencyTimeoutError';
  }
}

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
