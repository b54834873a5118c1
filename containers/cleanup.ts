// Our own reaper. Ryuk cannot run without a registry, so every container, network and
// image the environment creates carries labels naming the project, the run and the
// owning process; `stop()` removes a run's resources by its label, a startup sweep
// removes those of owners that died (a crashed or killed run), and a last-resort exit
// hook removes what a process leaves behind when it ends without stopping.
import { spawnSync } from 'node:child_process';
import { hostname } from 'node:os';
import type Dockerode from 'dockerode';

export const PROJECT_LABEL = 'org.ws-auth-conformance';
export const RUN_LABEL = 'org.ws-auth-conformance.run';
export const OWNER_LABEL = 'org.ws-auth-conformance.owner';

/** Labels for everything one run creates; `org.testcontainers=true` as Testcontainers itself sets. */
export function runLabels(runId: string): Record<string, string> {
  return {
    'org.testcontainers': 'true',
    [PROJECT_LABEL]: 'true',
    [RUN_LABEL]: runId,
    [OWNER_LABEL]: `${hostname()}:${process.pid}`,
  };
}

export interface Removed {
  containers: number;
  networks: number;
  images: number;
}

type Filter = (labels: Record<string, string> | undefined) => boolean;

function ownerIsDead(owner: string | undefined): boolean {
  if (!owner) return true;
  const at = owner.lastIndexOf(':');
  const host = owner.slice(0, at);
  const pid = Number(owner.slice(at + 1));
  // Another machine's (or container's) process cannot be checked: leave its resources alone.
  if (host !== hostname() || !Number.isInteger(pid)) return false;
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

async function removeWhere(docker: Dockerode, keep: Filter): Promise<Removed> {
  const labelFilter = JSON.stringify({ label: [`${PROJECT_LABEL}=true`] });
  const removed: Removed = { containers: 0, networks: 0, images: 0 };
  const containers = await docker.listContainers({ all: true, filters: labelFilter });
  await Promise.all(
    containers
      .filter((c) => !keep(c.Labels))
      .map(async (c) => {
        await ignoreNotFound(docker.getContainer(c.Id).remove({ force: true, v: true }));
        removed.containers++;
      }),
  );
  // Networks after containers: a network with endpoints cannot be removed.
  const networks = await docker.listNetworks({ filters: labelFilter });
  for (const n of networks.filter((n) => !keep(n.Labels))) {
    await ignoreNotFound(docker.getNetwork(n.Id).remove());
    removed.networks++;
  }
  const images = await docker.listImages({ filters: labelFilter });
  for (const i of images.filter((i) => !keep(i.Labels ?? undefined))) {
    const tags = (i.RepoTags ?? []).filter((t) => t !== '<none>:<none>');
    for (const tag of tags.length ? tags : [i.Id]) {
      await ignoreNotFound(docker.getImage(tag).remove({ force: true, noprune: false }));
    }
    removed.images++;
  }
  return removed;
}

async function ignoreNotFound(operation: Promise<unknown>): Promise<void> {
  try {
    await operation;
  } catch (error) {
    const status = (error as { statusCode?: number }).statusCode;
    // 404: already gone; 409: removal already in progress.
    if (status !== 404 && status !== 409) throw error;
  }
}

/** Removes everything of one run: containers (with volumes), then its network, then images it built. */
export function removeRun(docker: Dockerode, runId: string): Promise<Removed> {
  return removeWhere(docker, (labels) => labels?.[RUN_LABEL] !== runId);
}

/** Removes what runs of dead processes on this host left behind; live runs are not touched. */
export function sweepLeftovers(docker: Dockerode): Promise<Removed> {
  return removeWhere(docker, (labels) => !ownerIsDead(labels?.[OWNER_LABEL]));
}

/**
 * Synchronous last resort for a process that exits without stopping its environments
 * (an uncaught error, `process.exit`): the `exit` event allows no asynchronous work, so
 * this shells out to the docker CLI. The next run's sweep catches anything it misses.
 */
export function removeRunSync(runId: string): void {
  const filter = `label=${RUN_LABEL}=${runId}`;
  const list = (args: string[]) => {
    const r = spawnSync('docker', args, { encoding: 'utf8', timeout: 20_000 });
    return r.status === 0 ? r.stdout.split('\n').filter(Boolean) : [];
  };
  const containers = list(['ps', '-aq', '--filter', filter]);
  if (containers.length) spawnSync('docker', ['rm', '-fv', ...containers], { stdio: 'ignore', timeout: 20_000 });
  const networks = list(['network', 'ls', '-q', '--filter', filter]);
  if (networks.length) spawnSync('docker', ['network', 'rm', ...networks], { stdio: 'ignore', timeout: 20_000 });
  const images = list(['images', '-q', '--filter', filter]);
  if (images.length) spawnSync('docker', ['rmi', '-f', ...images], { stdio: 'ignore', timeout: 20_000 });
}
