// The engine's own event-loop delay. A late answer is the backend's fault only if the
// harness was on time: when this loop was blocked for a good part of a case's deadline
// (the machine is busy, or the engine itself is), the case's timing proves nothing and
// the case is run again instead of judged.
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';

const TICK_MS = 10;
const KEEP = 4096;

export interface LoopLagStats {
  /** Event-loop delay over the run (perf_hooks), ms. */
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

export class LoopLag {
  private readonly at = new Float64Array(KEEP);
  private readonly lag = new Float64Array(KEEP);
  private n = 0;
  private last = performance.now();
  private timer: NodeJS.Timeout | null = null;
  private readonly histogram: IntervalHistogram = monitorEventLoopDelay({ resolution: 10 });

  start(): this {
    this.histogram.enable();
    this.last = performance.now();
    this.timer = setInterval(() => this.tick(), TICK_MS);
    this.timer.unref();
    return this;
  }

  stop(): LoopLagStats {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.histogram.disable();
    const ms = (ns: number) => Math.round(ns / 1e5) / 10;
    return { p50Ms: ms(this.histogram.percentile(50)), p99Ms: ms(this.histogram.percentile(99)), maxMs: ms(this.histogram.max) };
  }

  /** The longest stall of this loop seen between two performance.now() instants. */
  maxBetween(from: number, to: number): number {
    let worst = 0;
    // A sample at time t covers the stall that ended at t; walk back from the newest.
    for (let i = this.n - 1; i >= 0 && i >= this.n - KEEP; i--) {
      const slot = i % KEEP;
      const t = this.at[slot]!;
      if (t < from) break;
      if (t - this.lag[slot]! <= to + TICK_MS) worst = Math.max(worst, this.lag[slot]!);
    }
    // A stall still going on (no tick since) counts too.
    return Math.max(worst, Math.min(performance.now(), to) - this.last - TICK_MS);
  }

  /** The longest stall in the last `windowMs`. */
  recentMax(windowMs: number): number {
    const now = performance.now();
    return this.maxBetween(now - windowMs, now);
  }

  private tick(): void {
    const now = performance.now();
    const slot = this.n % KEEP;
    this.at[slot] = now;
    this.lag[slot] = Math.max(0, now - this.last - TICK_MS);
    this.n += 1;
    this.last = now;
  }
}
