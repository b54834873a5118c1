// Run settings from the environment (a CI job's `env:`), below flags and above the
// config file: each WSAC_* variable stands for one flag of `run`. Empty means unset.
import { UsageError } from '../../model/errors.ts';

export const ENV_FLAGS = {
  WSAC_TARGET: 'target',
  WSAC_CONFIG: 'config',
  WSAC_POLICY: 'policy',
  WSAC_PROFILE: 'profile',
  WSAC_SEED: 'seed',
  WSAC_RUNS: 'runs',
  WSAC_CONCURRENCY: 'concurrency',
  WSAC_DEADLINE_MS: 'deadline-ms',
  WSAC_OBSERVE_MS: 'observe-ms',
  WSAC_CONFIRM: 'confirm',
  WSAC_CLIENT: 'client',
  WSAC_LOGS: 'logs',
  WSAC_REPORT: 'report',
  WSAC_COUNTEREXAMPLES: 'counterexamples',
  WSAC_STRICT: 'strict',
  WSAC_MUTANT: 'mutant',
  WSAC_SHARD: 'shard',
  WSAC_BASELINE: 'baseline',
} as const;

const INTEGERS: Record<string, number> = { seed: 0, runs: 0, concurrency: 1, 'deadline-ms': 1, 'observe-ms': 0, confirm: 0 };
const BOOLEANS = new Set(['strict']);

export type EnvFlags = Partial<Record<(typeof ENV_FLAGS)[keyof typeof ENV_FLAGS], string | boolean>>;

/** The flags the environment sets, checked here so an error names the variable. */
export function flagsFromEnv(env: NodeJS.ProcessEnv = process.env): EnvFlags {
  const out: EnvFlags = {};
  for (const [name, flag] of Object.entries(ENV_FLAGS)) {
    const raw = env[name];
    if (raw === undefined || raw.trim() === '') continue;
    const value = raw.trim();
    if (BOOLEANS.has(flag)) {
      if (!/^(true|false|1|0)$/i.test(value)) throw new UsageError(`${name} (environment) must be true or false, got "${raw}"`);
      out[flag] = /^(true|1)$/i.test(value);
    } else {
      const min = INTEGERS[flag];
      if (min !== undefined && (!/^\d+$/.test(value) || Number(value) < min)) throw new UsageError(`${name} (environment) must be an integer >= ${min}, got "${raw}"`);
      out[flag] = value;
    }
  }
  return out;
}

/** Lines for `run --help`. */
export const ENV_HELP = Object.entries(ENV_FLAGS)
  .map(([name, flag]) => `  ${name.padEnd(21)} --${flag}`)
  .join('\n');
