// A bounded pool: at most `limit` jobs in flight, where the limit may change while the
// pool runs (adaptive concurrency). Jobs are started longest first (their estimated
// cost), so a slow timeout or expiry case costs one deadline side by side with the
// rest instead of a queue at the end. An aborted pool starts nothing new.
export async function runPool<T, R>(
  items: readonly T[],
  limit: number | (() => number),
  cost: (item: T) => number,
  job: (item: T, index: number) => Promise<R>,
  signal?: AbortSignal | null,
): Promise<R[]> {
  const order = items.map((_, i) => i).sort((a, b) => cost(items[b]!) - cost(items[a]!) || a - b);
  const width = typeof limit === 'number' ? () => limit : limit;
  const results = new Array<R>(items.length);
  let next = 0;
  let inFlight = 0;
  return new Promise<R[]>((resolve, reject) => {
    const pump = () => {
      while (next < order.length && inFlight < Math.max(1, width()) && !signal?.aborted) {
        const i = order[next++]!;
        inFlight += 1;
        job(items[i]!, i).then(
          (r) => {
            results[i] = r;
            inFlight -= 1;
            pump();
          },
          reject,
        );
      }
      if (inFlight === 0 && (next >= order.length || signal?.aborted)) resolve(results);
    };
    pump();
  });
}
