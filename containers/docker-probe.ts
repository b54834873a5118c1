// Is a Docker engine there? The container tests skip locally without one (one loud
// line) and fail in CI (CI=true), where a missing engine is a broken pipeline.
import { getContainerRuntimeClient } from 'testcontainers';

export type DockerProbe = { ok: true; version: string } | { ok: false; reason: string };

export async function probeDocker(): Promise<DockerProbe> {
  process.env.TESTCONTAINERS_RYUK_DISABLED ??= 'true';
  try {
    const client = await getContainerRuntimeClient();
    return { ok: true, version: String(client.info.containerRuntime.serverVersion) };
  } catch (error) {
    return { ok: false, reason: (error as Error).message.split('\n')[0] ?? 'unknown error' };
  }
}
