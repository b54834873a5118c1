// The container target: the backend image and PostgreSQL started with Testcontainers
// (containers/environment.ts), then driven exactly as a url target: the engine seeds
// users through the database's host port, stalls them through row-level security
// (containers/stall-sql.ts), and `close()` removes every container, the network and any
// image built for the run.
//
// Config file: { target: { kind: 'container', backendImage?, postgresImage?, mutant?,
//   backend?: {...}, postgres?: {...}, seeding?: {...}, stall?: {...} } }
// Command line: --target container, or --target container=IMAGE for a prebuilt image.
// Images also come from WSAC_BACKEND_IMAGE / WSAC_POSTGRES_IMAGE (air-gapped CI).
import { randomBytes } from 'node:crypto';
import { isSymmetric, type Policy } from '../../model/policy.ts';
import { FIELD_FAILURE_IDS, isFieldFailureId } from '../../model/field-failures.ts';
import { containerConfigFromEnv, type ContainerTargetConfig } from '../../containers/config.ts';
import { ContainerEnvironment, type EnvironmentLog, type StartedContainerEnvironment } from '../../containers/environment.ts';
import { STALL_USER_SQL } from '../../containers/stall-sql.ts';
import { ConfigError, TargetError } from '../../model/errors.ts';
import { generateKeys, keysFromSecret } from '../keys.ts';
import { quickTiming } from './embedded.ts';
import { startUrlTarget } from './url.ts';
import type { Target } from './target.ts';

export interface ContainerTargetFileConfig {
  kind: 'container';
  /** From `--target container=IMAGE`: the backend image. */
  value?: string;
  /** A prebuilt backend image; default: build containers/Dockerfile for this run. */
  backendImage?: string;
  /** Default postgres:16-alpine (any image with the official POSTGRES_* contract). */
  postgresImage?: string;
  /** A mutant of the reference backend (its --mutant flag). */
  mutant?: string;
  /** Shorten deadline, auth window and skew as the embedded target does (default false). */
  quickTiming?: boolean;
  backend?: Partial<ContainerTargetConfig['backend']>;
  postgres?: Partial<ContainerTargetConfig['postgres']>;
  seeding?: Partial<ContainerTargetConfig['seeding']>;
  stall?: Partial<ContainerTargetConfig['stall']>;
}

export interface ContainerTargetOptions {
  policy: Policy;
  target?: Omit<ContainerTargetFileConfig, 'kind'>;
  /** Overrides target.mutant (the --mutant flag). */
  mutant?: string | null;
  /** Overrides target.quickTiming. */
  quickTiming?: boolean;
  /** Environment variables the image defaults come from (WSAC_*). */
  env?: NodeJS.ProcessEnv;
  /** Progress and the environment's start-up time; default: stderr. */
  log?: EnvironmentLog;
}

const FIELDS = ['kind', 'value', 'backendImage', 'postgresImage', 'mutant', 'quickTiming', 'backend', 'postgres', 'seeding', 'stall'];

/** The container settings from the target's config over the environment's defaults. */
export function containerSettings(target: Omit<ContainerTargetFileConfig, 'kind'> = {}, env: NodeJS.ProcessEnv = process.env): ContainerTargetConfig {
  for (const key of Object.keys(target)) {
    if (!FIELDS.includes(key)) throw new ConfigError(`target.${key}`, 'unknown field', `known fields of a container target: ${FIELDS.join(', ')}`);
  }
  for (const section of ['backend', 'postgres', 'seeding', 'stall'] as const) {
    const v = target[section];
    if (v !== undefined && (typeof v !== 'object' || v === null || Array.isArray(v))) {
      throw new ConfigError(`target.${section}`, 'must be an object', `give the fields to override, e.g. { ${section}: { ... } }`);
    }
  }
  const base = containerConfigFromEnv(env);
  const config: ContainerTargetConfig = {
    postgres: { ...base.postgres, ...target.postgres },
    backend: { ...base.backend, ...target.backend, build: { ...base.backend.build, ...target.backend?.build } },
    seeding: { ...base.seeding, ...target.seeding },
    stall: { ...base.stall, ...target.stall },
  };
  const image = target.value ?? target.backendImage;
  if (image !== undefined) config.backend.image = image;
  if (target.postgresImage !== undefined) config.postgres.image = target.postgresImage;
  return config;
}

export async function startContainerTarget(options: ContainerTargetOptions): Promise<Target> {
  const settings = containerSettings(options.target, options.env);
  const mutant = options.mutant ?? options.target?.mutant ?? null;
  if (mutant !== null && !isFieldFailureId(mutant)) {
    throw new ConfigError('mutant', `unknown mutant "${mutant}"`, `use one of ${FIELD_FAILURE_IDS.join(', ')}`);
  }
  const policy = (options.quickTiming ?? options.target?.quickTiming ?? false) ? quickTiming(options.policy) : options.policy;
  const alg = policy.algorithms[0]!;
  // The backend verifies an HS* secret (handed over in an environment variable, as text)
  // or a public JWKS; the engine signs with the matching private half.
  const secret = randomBytes(48).toString('base64url');
  const keys = isSymmetric(alg) ? keysFromSecret(new TextEncoder().encode(secret), alg) : await generateKeys(alg);
  const log = options.log ?? ((line: string) => process.stderr.write(`[container] ${line}\n`));

  let environment: StartedContainerEnvironment;
  try {
    environment = await new ContainerEnvironment(settings)
      .withPolicy(policy)
      .withMutant(mutant)
      .withSecret(secret)
      .withJwks(keys.verification.kind === 'jwks' ? { keys: keys.verification.keys } : null)
      .withLogger(log)
      .start();
  } catch (error) {
    throw new TargetError(`the container environment did not start: ${(error as Error).message}`);
  }
  let inner: Target;
  try {
    inner = await startUrlTarget({
      url: environment.getWsUrl(),
      healthUrl: environment.getHealthUrl(),
      policy,
      keys,
      users: {
        kind: 'postgres',
        connectionString: environment.getDatabaseUrl(),
        ...settings.seeding,
        ...(environment.canStall() ? { stallSql: STALL_USER_SQL } : {}),
      },
    });
  } catch (error) {
    await environment.stop();
    throw error;
  }
  const image = settings.backend.image ?? 'built from containers/Dockerfile';
  return {
    ...inner,
    kind: 'container',
    description: `container ${image}${mutant ? `, mutant ${mutant}` : ''} with ${settings.postgres.image}`,
    prepareUser: (caseId, kind, opts) => inner.prepareUser(caseId, kind, opts),
    revokeUser: (userId, how) => inner.revokeUser(userId, how),
    async close() {
      try {
        await inner.close();
      } finally {
        const removed = await environment.stop();
        log(`removed ${removed.containers} container(s), ${removed.networks} network(s), ${removed.images} built image(s)`);
      }
    },
    // For tests and diagnosis: the started environment behind this target.
    environment,
  } as Target & { environment: StartedContainerEnvironment };
}
