// The config file's shape (`ws-auth-conformance.config.ts`, `.mjs` or `.json`) and what it
// resolves to once flags are applied. `defineConfig` only types the object.
import type { Policy, PolicyInput, ProfileName } from '../../model/policy.ts';
import type { JwksConfig } from './jwks-config.ts';
import type { Waiver } from '../report/gate.ts';
import type { UserKind } from '../capabilities/capabilities.ts';

export interface EmbeddedTargetConfig {
  kind: 'embedded';
  /** A field failure to reproduce, e.g. "alg-none" (docs/field-failures.md ids). */
  mutant?: string;
  /** Shorten deadline, auth window and skew for speed (default: true unless a policy is given). */
  quickTiming?: boolean;
}

export interface UrlTargetConfig {
  kind: 'url';
  /** ws://host:port/path */
  url: string;
  /** Health endpoint; default http://host:port/healthz; null when there is none. */
  healthUrl?: string | null;
  keys: {
    /** Name of the environment variable holding the HS secret (the secret never goes in the file). */
    secretEnv?: string;
    /** Path to a private JWK (asymmetric algorithms). */
    jwkFile?: string;
    /** kid the target expects in the token header. */
    kid?: string;
    /**
     * policy.kid "jwks": the tool publishes the JWKS the target reads, served at
     * http://host:port/.well-known/jwks.json or written to a file; without jwkFile the
     * tool makes a fresh key each run. The key-rotation steps change it (docs/policy.md "jwks").
     */
    jwks?: JwksConfig;
  };
  /** How a case's users are put in place; omit it when the policy says `users: "stateless"`. */
  users?:
    | {
        /** PostgreSQL connection string of the target's user store. */
        connectionString?: string;
        /** Name of an environment variable holding the connection string instead. */
        connectionStringEnv?: string;
        /** $1 user id, $2 is_active, $3 roles text[]. Default: the reference `users` table. */
        insertSql?: string;
        /** $1 user id; run to deactivate a user while connected. */
        deactivateSql?: string;
        /** $1 user id; run to delete a user while connected, and to clean up after the run. */
        deleteSql?: string;
        /** $1 user id, $2 the policy's requiredRole; run to remove the role while connected. */
        removeRoleSql?: string;
        /** Optional: $1 user id, $2 delay in ms; without it stall cases are not covered. */
        stallSql?: string;
      }
    | { fixed: Partial<Record<UserKind, string>> }
    | UserHookConfig;
}

/**
 * Users put in place by your own program or endpoint, given one JSON object per change
 * (docs/targets.md "User hooks"): `{"action":"create","userId","active","roles"}`,
 * `{"action":"deactivate"|"delete","userId"}`, `{"action":"remove-role","userId","role"}`.
 */
export type UserHookConfig = (
  | {
      /** Program and arguments, run without a shell from the config file's folder; the JSON on its standard input; exit 0 when done. */
      command: string[];
    }
  | {
      /** URL the JSON is POSTed to; any 2xx when done. */
      http: string;
      /** Extra request headers (no secrets here: use headersEnv). */
      headers?: Record<string, string>;
      /** Header name -> name of the environment variable holding its value (e.g. an admin token). */
      headersEnv?: Record<string, string>;
    }
) & {
  /** How long one call may take, ms (default 10000). */
  timeoutMs?: number;
};

/** Other kinds (e.g. `container`) bring their own fields. */
export interface OtherTargetConfig {
  kind: string;
  [field: string]: unknown;
}

export type TargetConfig = EmbeddedTargetConfig | UrlTargetConfig | OtherTargetConfig;

export interface RunSettings {
  seed?: number;
  /** Fuzz cases on top of the model paths. */
  runs?: number;
  concurrency?: number;
  /** Client deadline for an HTTP answer, ms (default: policy deadline + 500). */
  deadlineMs?: number;
  /** How long an accepted socket is watched, ms. */
  observeMs?: number;
  strict?: boolean;
  /**
   * Identity headers of your proxy or gateway to try besides the built-in ones
   * (docs/edge-cases.md): header name -> value; `{user}` stands for a real user's id.
   */
  identityHeaders?: Record<string, string>;
}

export interface ConformanceConfig {
  target?: TargetConfig;
  /** The target's auth contract: fields over its profile, or a path to a policy JSON file. */
  policy?: PolicyInput | string;
  run?: RunSettings;
  /** Divergences accepted for now: each names a case or a hint, why, and until when. */
  waivers?: Waiver[];
}

export function defineConfig(config: ConformanceConfig): ConformanceConfig {
  return config;
}

export interface ResolvedConfig {
  target: TargetConfig;
  policy: Policy;
  /** Whether the policy came from the user (then embedded keeps its timing). */
  policyGiven: boolean;
  profile: ProfileName;
  mutant: string | null;
  quickTiming: boolean;
  seed: number;
  runs: number;
  /** null: adaptive. */
  concurrency: number | null;
  deadlineMs: number | null;
  observeMs: number | null;
  strict: boolean;
  /** Extra identity headers (run.identityHeaders), as [name, value]. */
  identityHeaders: Array<[string, string]>;
  /** Directory of the config file, for relative paths in it. */
  baseDir: string;
  /** The config file and the policy file used, if any (absolute paths). */
  configFile: string | null;
  policyFile: string | null;
  waivers: Waiver[];
}
