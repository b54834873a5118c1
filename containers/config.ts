// What the container target starts: images, ports, environment, wait strategy and the
// SQL that seeds and stalls users. Defaults describe the reference backend and the
// official postgres image; a team points the suite at its own backend image by
// overriding `backend` (and, if its schema differs, `seeding`).
import { fileURLToPath } from 'node:url';
import { DEFAULT_STALL_MS } from './stall-sql.ts';
import { USERS_TABLE_SQL } from '../src/directory/schema.ts';

/** How to know the backend is ready. */
export type BackendWait =
  | { kind: 'http'; path: string; status: number }
  | { kind: 'log'; pattern: string }
  | { kind: 'ports' }
  | { kind: 'healthcheck' };

export interface PostgresConfig {
  /** Any image with the official postgres image's POSTGRES_* contract and `pg_isready`. */
  image: string;
  database: string;
  /** The superuser; the seeder connects as it (row-level security never slows it). */
  username: string;
  password: string;
  /** The name the backend reaches the database by, on the environment's network. */
  networkAlias: string;
  /** The role the backend connects as: not a superuser, so stalls (row-level security) bind it. */
  backendRole: { name: string; password: string };
  startupTimeoutMs: number;
}

export interface BackendBuildConfig {
  /** Build context preparation: the repository whose containers/Dockerfile is built. */
  repositoryRoot: string;
  /** Dockerfile path relative to the staged context. */
  dockerfile: string;
  buildArgs: Record<string, string>;
  /** Install production node_modules with the host's npm before the build, so the build needs no network. */
  stageNodeModules: boolean;
}

export interface BackendConfig {
  /** A prebuilt image; null builds `build` for this run and removes the image afterwards. */
  image: string | null;
  build: BackendBuildConfig;
  /** The port the backend listens on inside the container. */
  port: number;
  wsPath: string;
  /** Path of a health endpoint, or null when the backend has none. */
  healthPath: string | null;
  /**
   * Arguments after the image's entrypoint, and the environment. Placeholders:
   * {{databaseUrl}} (as the backend reaches the database), {{secretEnv}} (the name of the
   * variable that holds the HS* secret), {{secret}} (the secret itself: for `environment`,
   * never in `command`, where `ps` shows it), {{jwksFile}}, {{policyFile}}, {{port}}.
   */
  command: string[];
  /** Arguments appended for the verification keys: an HS* secret (in env {{secretEnv}}) or a public JWKS file. */
  keyArgs: { secret: string[]; jwks: string[] };
  /** Where the public JWKS is copied inside the container (asymmetric algorithms). */
  jwksFile: string;
  environment: Record<string, string>;
  /** Where the policy (JSON) is copied inside the container. */
  policyFile: string;
  /** Arguments that select a mutant of the reference backend ({{mutant}} is its id). */
  mutantArgs: string[];
  wait: BackendWait;
  startupTimeoutMs: number;
}

/** SQL the engine's url target seeds users with; $1 is always the user id. Absent: the url target's defaults (the reference `users` table). */
export interface SeedingConfig {
  /** Run once as the superuser before the backend starts (the users table, grants). */
  setupSql: string;
  /** $1 user id, $2 is_active, $3 roles (text[]). */
  insertSql?: string;
  /** $1 user id; deactivates a user while connected. */
  deactivateSql?: string;
  /** $1 user id; deletes a user while connected, and cleans up after the run. */
  deleteSql?: string;
  /** $1 user id, $2 the policy's requiredRole; removes the role while connected. */
  removeRoleSql?: string;
}

export interface StallConfig {
  enabled: boolean;
  /** The table and column row-level security gates. */
  table: string;
  keyColumn: string;
  /** Length of one stall; the engine ends it earlier when its case is over. */
  stallMs: number;
}

export interface ContainerTargetConfig {
  postgres: PostgresConfig;
  backend: BackendConfig;
  seeding: SeedingConfig;
  stall: StallConfig;
}

const REPOSITORY_ROOT = fileURLToPath(new URL('..', import.meta.url));

export const SECRET_ENV = 'WSAC_JWT_SECRET';


/** The backend role owns the users table, so the reference backend's own schema step (trigger, function) succeeds. */
export function defaultSetupSql(role: string): string {
  return `${USERS_TABLE_SQL};
ALTER TABLE users OWNER TO "${role}";`;
}

export function defaultContainerConfig(): ContainerTargetConfig {
  const backendRole = { name: 'wsac_backend', password: 'wsac_backend' };
  return {
    postgres: {
      image: 'postgres:16-alpine',
      database: 'wsac',
      username: 'wsac',
      password: 'wsac',
      networkAlias: 'postgres',
      backendRole,
      startupTimeoutMs: 120_000,
    },
    backend: {
      image: null,
      build: {
        repositoryRoot: REPOSITORY_ROOT,
        dockerfile: 'containers/Dockerfile',
        buildArgs: {},
        stageNodeModules: false,
      },
      port: 8080,
      wsPath: '/ws',
      healthPath: '/healthz',
      command: ['--db', '{{databaseUrl}}', '--policy', '{{policyFile}}', '--log-level', 'warn'],
      keyArgs: { secret: ['--secret-env', '{{secretEnv}}'], jwks: ['--jwks', '{{jwksFile}}'] },
      jwksFile: '/tmp/wsac-jwks.json',
      environment: {},
      policyFile: '/tmp/wsac-policy.json',
      mutantArgs: ['--mutant', '{{mutant}}'],
      wait: { kind: 'http', path: '/healthz', status: 200 },
      startupTimeoutMs: 60_000,
    },
    seeding: { setupSql: defaultSetupSql(backendRole.name) },
    stall: { enabled: true, table: 'users', keyColumn: 'user_id', stallMs: DEFAULT_STALL_MS },
  };
}

/**
 * The defaults with the images chosen by environment variables (air-gapped CI):
 * WSAC_POSTGRES_IMAGE, WSAC_BACKEND_IMAGE (prebuilt: nothing is built), WSAC_NODE_IMAGE
 * (base for building containers/Dockerfile), WSAC_STAGE_NODE_MODULES=1.
 */
export function containerConfigFromEnv(env: NodeJS.ProcessEnv = process.env): ContainerTargetConfig {
  const config = defaultContainerConfig();
  if (env.WSAC_POSTGRES_IMAGE) config.postgres.image = env.WSAC_POSTGRES_IMAGE;
  if (env.WSAC_BACKEND_IMAGE) config.backend.image = env.WSAC_BACKEND_IMAGE;
  if (env.WSAC_NODE_IMAGE) config.backend.build.buildArgs.NODE_IMAGE = env.WSAC_NODE_IMAGE;
  if (env.WSAC_STAGE_NODE_MODULES === '1' || env.WSAC_STAGE_NODE_MODULES === 'true') {
    config.backend.build.stageNodeModules = true;
  }
  return config;
}

/** Replaces {{name}} placeholders; an unknown placeholder is an error, not an empty string. */
export function fillPlaceholders(text: string, values: Record<string, string>): string {
  return text.replace(/\{\{(\w+)\}\}/g, (_, name: string) => {
    const value = values[name];
    if (value === undefined) {
      throw new Error(`unknown placeholder {{${name}}}; known: ${Object.keys(values).map((k) => `{{${k}}}`).join(', ')}`);
    }
    return value;
  });
}
