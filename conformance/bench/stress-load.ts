// Busy loops competing for the CPU, the way a shared CI runner does: `node -e` loops,
// each bounded in time by itself (a stress run killed hard leaves nothing spinning for
// long) and ended by its pid when the part that needed it is over.
import { spawn, type ChildProcess } from 'node:child_process';
import { availableParallelism, loadavg } from 'node:os';

export interface Load {
  loops: number;
  stop(): Promise<void>;
}

export async function startBusyLoops(perCore: number, maxMs: number): Promise<Load> {
  const count = perCore * availableParallelism();
  const code = `const end = Date.now() + ${Math.round(maxMs)}; for (;;) { if (Date.now() > end) break; }`;
  const children: ChildProcess[] = Array.from({ length: count }, () => spawn(process.execPath, ['-e', code], { stdio: 'ignore' }));
  const exited = children.map((c) => new Promise<void>((r) => (c.exitCode !== null ? r() : c.once('exit', () => r()))));
  // Give the loops a moment to take the cores before anything is measured.
  await new Promise((r) => setTimeout(r, 1000));
  return {
    loops: count,
    async stop() {
      for (const c of children) if (c.exitCode === null && c.pid !== undefined) c.kill('SIGKILL');
      await Promise.all(exited);
    },
  };
}

export function loadAverage(): string {
  return loadavg()[0]!.toFixed(1);
}
