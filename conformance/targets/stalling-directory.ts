// The embedded target's stall: the backend has no delay mechanism (no back door), so
// the engine wraps its Directory at the boundary and delays lookups of chosen users,
// out of band. A request cannot reach this; only the engine's per-case setup can.
import type { Directory, DirectoryUser } from '../../src/index.ts';

export interface StallingDirectory extends Directory {
  /** Lookups of this user take `ms` (default: the directory's stall time). */
  stall(userId: string, ms?: number): void;
  /** Answers every pending stalled lookup (at target shutdown). */
  releaseAll(): void;
}

export function stallingDirectory(inner: Directory, stallMs: number): StallingDirectory {
  const stalled = new Map<string, number>();
  const pending = new Set<NodeJS.Timeout>();
  return {
    lookup(userId) {
      if (!stalled.has(userId)) return inner.lookup(userId);
      return new Promise<DirectoryUser | null>((resolve, reject) => {
        const timer = setTimeout(() => {
          pending.delete(timer);
          inner.lookup(userId).then(resolve, reject);
        }, stalled.get(userId) ?? stallMs);
        timer.unref();
        pending.add(timer);
      });
    },
    subscribe: (listener) => inner.subscribe(listener),
    ping: () => inner.ping(),
    // The shared store outlives one target; closing is the process's business.
    close: async () => {},
    stall: (userId, ms) => void stalled.set(userId, Math.max(ms ?? stallMs, stallMs)),
    releaseAll() {
      for (const t of pending) clearTimeout(t);
      pending.clear();
    },
  };
}
