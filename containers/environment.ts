// The container environment: a network, PostgreSQL, and the backend image under test,
// which reaches the database by its network alias. `start()` returns a started
// environment whose getters hand the engine everything a url target needs; `stop()`
// removes containers, network and any image built for the run, and so do failure,
// Ctrl-C and process exit.
import { randomBytes } from 'node:crypto';
import { getContainerRuntimeClient } from 'testcontainers';
import type Dockerode from 'dockerode';
import { BackendContainer, type StartedBackendContainer } from './backend-container.ts';
import { buildBackendImage } from './image-build.ts';
import { track, untrack } from './reaper.ts';
import { removeRun, runLabels, sweepLeftovers, type Removed } from './cleanup.ts';
import { containerConfigFromEnv, type ContainerTargetConfig, type SeedingConfig } from './config.ts';
import { UsersDatabaseContainer, type StartedUsersDatabaseContainer } from './postgres.ts';


export interface EnvironmentTimings {
  /** Startup sweep of leftovers of dead runs. */
  sweepMs: number;
  /** Building the backend image (0 when a prebuilt image is used). */
  imageBuildMs: number;
  networkMs: number;
  postgresMs: number;
  backendMs: number;
  totalMs: number;
}

export type EnvironmentLog = (line: string) => void;

export class ContainerEnvironment {
  private readonly config: ContainerTargetConfig;
  private policy: object | null = null;
  private mutant: string | null = null;
  private secret: string = randomBytes(48).toString('base64url');
  private jwks: object | null = null;
  private log: EnvironmentLog = () => {};

  constructor(config: ContainerTargetConfig = containerConfigFromEnv()) {
    this.config = structuredClone(config);
  }

  withBackendImage(image: string | null): this {
    this.config.backend.image = image;
    return this;
  }

  withPostgresImage(image: string): this {
    this.config.postgres.image = image;
    return this;
  }

  /** The policy the backend enforces, written into the container as JSON. */
  withPolicy(policy: object): this {
    this.policy = policy;
    return this;
  }

  withMutant(id: string | null): this {
    this.mutant = id;
    return this;
  }

  /** The HS* secret the backend verifies with (default: 48 random bytes, base64url); its UTF-8 bytes are the key. */
  withSecret(secret: string): this {
    this.secret = secret;
    return this;
  }

  /** Verify with a public JWKS (asymmetric algorithms) instead of the HS* secret. */
  withJwks(jwks: object | null): this {
    this.jwks = jwks;
    return this;
  }

  /** Progress lines (image build, sweep, timings); silent by default. */
  withLogger(log: EnvironmentLog): this {
    this.log = log;
    return this;
  }

  async start(): Promise<StartedContainerEnvironment> {
    const t0 = performance.now();
    const runId = `wsac-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
    const client = await dockerClient();
    const docker = client.container.dockerode;
    const tracker = track(runId, docker);
    const timings: EnvironmentTimings = { sweepMs: 0, imageBuildMs: 0, networkMs: 0, postgresMs: 0, backendMs: 0, totalMs: 0 };
    const lap = (() => {
      let last = performance.now();
      return () => {
        const now = performance.now();
        const ms = Math.round(now - last);
        last = now;
        return ms;
      };
    })();
    try {
      const swept = await sweepLeftovers(docker);
      if (swept.containers + swept.networks + swept.images > 0) this.log(`removed leftovers of an earlier run: ${describe(swept)}`);
      timings.sweepMs = lap();

      let backendImage = this.config.backend.image;
      if (backendImage === null) {
        backendImage = `wsac-backend-build:${runId}`;
        this.log(`building ${this.config.backend.build.dockerfile} as ${backendImage}`);
        await buildBackendImage(docker, this.config, backendImage, runId);
        timings.imageBuildMs = lap();
        this.log(`backend image built in ${seconds(timings.imageBuildMs)}`);
      }

      const network = await docker.createNetwork({ Name: runId, Driver: 'bridge', CheckDuplicate: true, Labels: runLabels(runId) });
      timings.networkMs = lap();

      const postgres = await checkImage(
        this.config.postgres.image,
        'WSAC_POSTGRES_IMAGE',
        new UsersDatabaseContainer(this.config.postgres)
          .withNetworkMode(runId)
          .withLabels(runLabels(runId))
          .withSetupSql(this.config.seeding.setupSql)
          .withStalls(this.config.stall)
          .start(),
      );
      tracker.postgres = postgres;
      timings.postgresMs = lap();

      const backendContainer = new BackendContainer(backendImage, this.config.backend)
        .withNetworkMode(runId)
        .withLabels(runLabels(runId))
        .withDatabaseUrl(postgres.getBackendUrl())
        .withMutant(this.mutant);
      if (this.jwks) backendContainer.withJwks(this.jwks);
      else backendContainer.withSecret(this.secret);
      if (this.policy) backendContainer.withPolicy(this.policy);
      const backend = await checkImage(backendImage, 'WSAC_BACKEND_IMAGE', backendContainer.start());
      timings.backendMs = lap();
      timings.totalMs = Math.round(performance.now() - t0);

      const started = new StartedContainerEnvironment(runId, docker, network.id, postgres, backend, this.config, this.secret, this.mutant, timings);
      tracker.started = started;
      this.log(
        `environment started in ${seconds(timings.totalMs)} (` +
          [
            timings.imageBuildMs ? `image build ${seconds(timings.imageBuildMs)}` : null,
            `postgres ${seconds(timings.postgresMs)}`,
            `backend ${seconds(timings.backendMs)}`,
          ]
            .filter(Boolean)
            .join(', ') +
          `): ${backend.getWsUrl()}`,
      );
      return started;
    } catch (error) {
      // A half-started environment is removed before the error leaves.
      await tracker.postgres?.closePool().catch(() => {});
      await removeRun(docker, runId).catch(() => {});
      untrack(runId);
      throw error;
    }
  }
}

export class StartedContainerEnvironment {
  private stopping: Promise<Removed> | null = null;

  constructor(
    private readonly runId: string,
    private readonly docker: Dockerode,
    private readonly networkId: string,
    private readonly postgres: StartedUsersDatabaseContainer,
    private readonly backend: StartedBackendContainer,
    private readonly config: ContainerTargetConfig,
    private readonly secret: string,
    private readonly mutant: string | null,
    private readonly timings: EnvironmentTimings,
  ) {}

  getRunId(): string {
    return this.runId;
  }

  getWsUrl(): string {
    return this.backend.getWsUrl();
  }

  getHealthUrl(): string | null {
    return this.backend.getHealthUrl();
  }

  /** Superuser connection string from the host, for seeding users and stalls. */
  getDatabaseUrl(): string {
    return this.postgres.getHostUrl();
  }

  /** The HS* secret the backend verifies with (UTF-8 bytes). */
  getSecret(): string {
    return this.secret;
  }

  getMutant(): string | null {
    return this.mutant;
  }

  getSeedingSql(): SeedingConfig {
    return this.config.seeding;
  }

  getTimings(): EnvironmentTimings {
    return { ...this.timings };
  }

  getNetworkId(): string {
    return this.networkId;
  }

  getDatabase(): StartedUsersDatabaseContainer {
    return this.postgres;
  }

  getBackend(): StartedBackendContainer {
    return this.backend;
  }

  canStall(): boolean {
    return this.postgres.canStall();
  }

  stallUser(userId: string, ms?: number): Promise<void> {
    return this.postgres.stallUser(userId, ms);
  }

  unstallUser(userId: string): Promise<void> {
    return this.postgres.unstallUser(userId);
  }

  /** The backend's recent output, for a failed run's diagnosis. */
  backendLogs(tail = 50): Promise<string> {
    return this.backend.readLogs(tail);
  }

  /** Removes containers, network and built images of this run; safe to call twice. */
  stop(): Promise<Removed> {
    this.stopping ??= (async () => {
      try {
        await this.postgres.closePool().catch(() => {});
        return await removeRun(this.docker, this.runId);
      } finally {
        untrack(this.runId);
      }
    })();
    return this.stopping;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.stop();
  }
}

// --- Docker access and diagnostics ------------------------------------------------

async function dockerClient() {
  // Ryuk needs an image from a registry; this project is its own reaper (reaper.ts,
  // cleanup.ts). Set when an environment starts, not when the module is imported.
  process.env.TESTCONTAINERS_RYUK_DISABLED ??= 'true';
  try {
    return await getContainerRuntimeClient();
  } catch (error) {
    throw new Error(
      `no Docker engine answers (${(error as Error).message.split('\n')[0]}); ` +
        'start one (containers/ci-docker.sh installs and starts one on Debian) or use another target',
    );
  }
}

async function checkImage<T>(image: string, envVar: string, starting: Promise<T>): Promise<T> {
  try {
    return await starting;
  } catch (error) {
    const message = (error as Error).message;
    if (/pull|manifest|registry|not found|no such image/i.test(message) && !/Dockerfile/.test(message)) {
      throw new Error(
        `cannot start ${image}: ${message.split('\n')[0]}. Without a registry, build local images ` +
          `(containers/build-local-images.sh) and select them with ${envVar}`,
      );
    }
    throw error;
  }
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

function describe(r: Removed): string {
  return `${r.containers} container(s), ${r.networks} network(s), ${r.images} image(s)`;
}
