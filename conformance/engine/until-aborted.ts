// Phases end early on an interrupt: the engine waits for a phase only until the signal aborts.

/** The promise's value, or `fallback` as soon as the signal aborts. */
export function untilAborted<T>(p: Promise<T>, signal: AbortSignal | null, fallback: T): Promise<T> {
  if (!signal) return p;
  if (signal.aborted) return Promise.resolve(fallback);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => resolve(fallback);
    signal.addEventListener('abort', onAbort, { once: true });
    p.then(
      (v) => (signal.removeEventListener('abort', onAbort), resolve(v)),
      (e) => (signal.removeEventListener('abort', onAbort), reject(e)),
    );
  });
}
