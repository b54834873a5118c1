// A backend image under test as a Testcontainers container: the reference backend by
// default, or a team's own image with its port, command, environment and wait strategy.
import { AbstractStartedContainer, GenericContainer, getContainerRuntimeClient, Wait, type StartedTestContainer, type WaitStrategy } from 'testcontainers';
import { defaultContainerConfig, fillPlaceholders, SECRET_ENV, type BackendConfig, type BackendWait } from './config.ts';

export class BackendContainer extends GenericContainer {
  private readonly settings: BackendConfig;
  private databaseUrl = '';
  private secret: string | null = null;
  private jwksJson: string | null = null;
  private policyJson: string | null = null;
  private mutant: string | null = null;

  constructor(image: string, settings: BackendConfig = defaultContainerConfig().backend) {
    super(image);
    this.settings = settings;
    this.withExposedPorts(settings.port);
    this.withWaitStrategy(waitStrategy(settings.wait, settings.port));
    this.withStartupTimeout(settings.startupTimeoutMs);
  }

  /** The connection string as the backend reaches the database (by network alias). */
  withDatabaseUrl(url: string): this {
    this.databaseUrl = url;
    return this;
  }

  /** The HS* secret; handed over in an environment variable, never on the command line. */
  withSecret(secret: string): this {
    this.secret = secret;
    return this;
  }

  /** A public JWKS for asymmetric algorithms, copied into the container. */
  withJwks(jwks: object): this {
    this.jwksJson = JSON.stringify(jwks);
    return this;
  }

  withPolicy(policy: object): this {
    this.policyJson = JSON.stringify(policy, null, 2);
    return this;
  }

  /** Starts a mutant of the reference backend instead of the reference assembly. */
  withMutant(id: string | null): this {
    this.mutant = id;
    return this;
  }

  override async start(): Promise<StartedBackendContainer> {
    const values = {
      databaseUrl: this.databaseUrl,
      secretEnv: SECRET_ENV,
      jwksFile: this.settings.jwksFile,
      policyFile: this.settings.policyFile,
      port: String(this.settings.port),
      mutant: this.mutant ?? '',
      // The secret itself, for images that read it from a variable of their own (use it in `environment`).
      secret: this.secret ?? '',
    };
    const command = this.settings.command.map((a) => fillPlaceholders(a, values));
    const keyArgs = this.jwksJson !== null ? this.settings.keyArgs.jwks : this.secret !== null ? this.settings.keyArgs.secret : [];
    command.push(...keyArgs.map((a) => fillPlaceholders(a, values)));
    if (this.mutant !== null) command.push(...this.settings.mutantArgs.map((a) => fillPlaceholders(a, values)));
    this.withCommand(command);
    const environment = Object.fromEntries(
      Object.entries(this.settings.environment).map(([k, v]) => [k, fillPlaceholders(v, values)]),
    );
    if (this.secret !== null) environment[SECRET_ENV] = this.secret;
    this.withEnvironment(environment);
    const files = [
      ...(this.policyJson !== null ? [{ content: this.policyJson, target: this.settings.policyFile, mode: 0o644 }] : []),
      ...(this.jwksJson !== null ? [{ content: this.jwksJson, target: this.settings.jwksFile, mode: 0o644 }] : []),
    ];
    if (files.length) this.withCopyContentToContainer(files);
    return new StartedBackendContainer(await super.start(), this.settings);
  }
}

export class StartedBackendContainer extends AbstractStartedContainer {
  constructor(
    started: StartedTestContainer,
    private readonly settings: BackendConfig,
  ) {
    super(started);
  }

  getPort(): number {
    return this.getMappedPort(this.settings.port);
  }

  /** The WebSocket URL as seen from the host the engine runs on. */
  getWsUrl(): string {
    return `ws://${this.getHost()}:${this.getPort()}${this.settings.wsPath}`;
  }

  getHealthUrl(): string | null {
    return this.settings.healthPath === null ? null : `http://${this.getHost()}:${this.getPort()}${this.settings.healthPath}`;
  }

  /** The container's output (the reference backend logs JSON lines), for diagnosing a failed start or run. */
  async readLogs(tail = 50): Promise<string> {
    const client = await getContainerRuntimeClient();
    const raw = await client.container.dockerode.getContainer(this.getId()).logs({ stdout: true, stderr: true, follow: false, tail });
    return demultiplex(raw as unknown as Buffer);
  }
}

/** Docker's log stream without a TTY: 8-byte frame headers (stream, 0, 0, 0, length) before each chunk. */
function demultiplex(raw: Buffer): string {
  const parts: Buffer[] = [];
  let at = 0;
  while (at + 8 <= raw.length) {
    const length = raw.readUInt32BE(at + 4);
    parts.push(raw.subarray(at + 8, at + 8 + length));
    at += 8 + length;
  }
  return Buffer.concat(parts).toString('utf8');
}

function waitStrategy(wait: BackendWait, port: number): WaitStrategy {
  switch (wait.kind) {
    case 'http':
      return Wait.forHttp(wait.path, port).forStatusCode(wait.status);
    case 'log':
      return Wait.forLogMessage(new RegExp(wait.pattern));
    case 'ports':
      return Wait.forListeningPorts();
    case 'healthcheck':
      return Wait.forHealthCheck();
  }
}
