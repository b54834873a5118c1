// Ctrl-C, SIGTERM and exit: every live container environment of this process is
// removed (with its staged build contexts). Handlers are installed when the first
// environment starts and removed when the last one stops; importing installs nothing.
import { rmSync } from 'node:fs';
import type Dockerode from 'dockerode';
import { removeRun, removeRunSync } from './cleanup.ts';
import type { StartedContainerEnvironment } from './environment.ts';
import type { StartedUsersDatabaseContainer } from './postgres.ts';

export interface Tracked {
  docker: Dockerode;
  postgres?: StartedUsersDatabaseContainer;
  started?: StartedContainerEnvironment;
}

const live = new Map<string, Tracked>();
/** Staged build contexts, removed at exit if a signal cut their build short. */
export const temporaryDirs = new Set<string>();
const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
let exitHookInstalled = false;
let interrupted = false;

export function track(runId: string, docker: Dockerode): Tracked {
  const entry: Tracked = { docker };
  if (live.size === 0) for (const signal of SIGNALS) process.on(signal, onSignal);
  live.set(runId, entry);
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.on('exit', () => {
      for (const runId of live.keys()) removeRunSync(runId);
      for (const dir of temporaryDirs) rmSync(dir, { recursive: true, force: true });
    });
  }
  return entry;
}

export function untrack(runId: string): void {
  if (!live.delete(runId) || live.size > 0) return;
  // With nothing of ours running, signals get their default behaviour back.
  for (const signal of SIGNALS) process.off(signal, onSignal);
}

function onSignal(signal: NodeJS.Signals): void {
  if (interrupted) {
    // A second Ctrl-C: leave now; the exit hook and the next run's sweep remove what is left.
    process.exit(130);
  }
  interrupted = true;
  process.stderr.write(`\n${signal}: removing ${live.size} container environment(s)...\n`);
  void Promise.allSettled([...live.entries()].map(([runId, t]) => t.started?.stop() ?? removeRun(t.docker, runId))).then(() => {
    process.stderr.write('container environment removed\n');
    process.exit(signal === 'SIGINT' ? 130 : 143);
  });
}
