// Building the backend image for one run: a staged context (no node_modules, no .git)
// built with the run's labels, so the image and its intermediate stage go with the run.
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type Dockerode from 'dockerode';
import { OWNER_LABEL, PROJECT_LABEL, runLabels } from './cleanup.ts';
import type { ContainerTargetConfig } from './config.ts';
import { temporaryDirs } from './reaper.ts';

const execFileAsync = promisify(execFile);

export async function buildBackendImage(docker: Dockerode, config: ContainerTargetConfig, tag: string, runId: string): Promise<void> {
  const build = config.backend.build;
  const context = await mkdtemp(join(tmpdir(), 'wsac-context-'));
  temporaryDirs.add(context);
  const labels = runLabels(runId);
  try {
    const stage = join(build.repositoryRoot, 'containers', 'stage-backend-context.sh');
    await execFileAsync('bash', [stage, context, ...(build.stageNodeModules ? ['--node-modules'] : [])], { maxBuffer: 16 << 20 });
    const stream = await docker.buildImage(
      { context, src: ['.'] },
      {
        t: tag,
        dockerfile: build.dockerfile,
        // The WSAC_* arguments label the Dockerfile's intermediate stage, so it is removed with the run.
        buildargs: { ...build.buildArgs, WSAC_PROJECT: labels[PROJECT_LABEL]!, WSAC_RUN: runId, WSAC_OWNER: labels[OWNER_LABEL]! },
        labels,
        rm: true,
        forcerm: true,
      },
    );
    const output: string[] = [];
    await new Promise<void>((resolve, reject) => {
      docker.modem.followProgress(
        stream,
        (error: Error | null, events: Array<{ error?: string; stream?: string }>) => {
          const failed = error?.message ?? events.find((e) => e.error)?.error;
          if (!failed) return resolve();
          const offline = /registry|pull|manifest|dial tcp|no such host/i.test(failed)
            ? ' Without a registry, build local images (containers/build-local-images.sh) and select them with WSAC_BACKEND_IMAGE, or give a local base with WSAC_NODE_IMAGE.'
            : '';
          reject(new Error(`building the backend image failed: ${failed.trim()}.${offline}\n${output.slice(-20).join('')}`));
        },
        (event: { stream?: string }) => {
          if (event.stream) output.push(event.stream);
        },
      );
    });
  } finally {
    await rm(context, { recursive: true, force: true });
    temporaryDirs.delete(context);
  }
}
