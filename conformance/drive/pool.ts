// A bounded pool: at most `concurrency` jobs in flight. Jobs are started longest
// first (their estimated cost), so a slow timeout or expiry case costs one deadline
// side by side with the rest instead of a queue at the end.
export async function runPool<T, R>(
  items: readonly T[],
  concurrency: number,
  cost: (item: T) => number,
  job: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const order = items.map((_, i) => i).sort((a, b) => cost(items[b]!) - cost(items[a]!) || a - b);
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < order.length) {
      const i = order[next++]!;
      results[i] = await job(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, worker));
  return results;
}
