// Helpers of the container tests: local images preferred, what a run left behind, and
// an environment held by a child process (to be interrupted or killed).
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type Dockerode from 'dockerode';
import { RUN_LABEL } from '../cleanup.ts';

/** Local images when the WSAC_* variables do not name any (after containers/build-local-images.sh). */
export async function preferLocalImages(docker: Dockerode): Promise<void> {
  for (const [variable, tag] of [
    ['WSAC_POSTGRES_IMAGE', 'wsac-postgres:local'],
    ['WSAC_BACKEND_IMAGE', 'wsac-backend:local'],
    ['WSAC_NODE_IMAGE', 'wsac-node:local'],
  ] as const) {
    if (process.env[variable]) continue;
    const exists = await docker
      .getImage(tag)
      .inspect()
      .then(() => true, () => false);
    if (exists) process.env[variable] = tag;
  }
}

/** What a run left behind, by its run label: containers, networks, images. */
export async function leftovers(docker: Dockerode, runId: string): Promise<string[]> {
  const filters = JSON.stringify({ label: [`${RUN_LABEL}=${runId}`] });
  const [containers, networks, images] = await Promise.all([
    docker.listContainers({ all: true, filters }),
    docker.listNetworks({ filters }),
    docker.listImages({ filters }),
  ]);
  return [...containers.map((c) => `container ${c.Names[0]}`), ...networks.map((n) => `network ${n.Name}`), ...images.map((i) => `image ${i.Id}`)];
}

const HOLD = fileURLToPath(new URL('./hold-environment.ts', import.meta.url));

/** Starts the fixture in a child process; resolves with its run id once its environment is up. */
export function holdEnvironment() {
  // `node --import tsx`, not the tsx CLI: the CLI runs the script in a second process,
  // which a SIGKILL of the first would leave running.
  const child = spawn(process.execPath, ['--import', 'tsx', HOLD], { stdio: ['ignore', 'pipe', 'pipe'], env: process.env });
  let stderr = '';
  child.stderr.on('data', (c) => (stderr += c));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code, signal) => resolve(code ?? (signal ? -1 : null))));
  const runId = new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).on('line', (line) => {
      try {
        const event = JSON.parse(line) as { event?: string; runId?: string };
        if (event.event === 'started' && event.runId) resolve(event.runId);
      } catch {
        // not ours
      }
    });
    void exited.then((code) => reject(new Error(`fixture exited (${code}) before starting: ${stderr}`)));
  });
  return { child, runId, exited, stderr: () => stderr };
}
