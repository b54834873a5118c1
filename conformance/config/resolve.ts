// Config file + flags -> one resolved config. Flags override the file; the file
// overrides the defaults. Relative paths in the file are relative to the file.
import { resolve as resolvePath } from 'node:path';
import { loadPolicyFile } from '../../model/policy-file.ts';
import { PROFILES, resolvePolicy, type Policy, type PolicyInput, type ProfileName } from '../../model/policy.ts';
import { ConfigError } from '../../model/errors.ts';
import { loadConfig } from './load.ts';
import type { ResolvedConfig, RunSettings, TargetConfig } from './schema.ts';

export const DEFAULT_RUNS = 200;

/** Flags of `run`: the run settings of a config file, plus what the run points at. */
export interface RunFlags extends RunSettings {
  config?: string;
  target?: string;
  policy?: string;
  profile?: string;
  mutant?: string;
}

export async function resolveConfig(flags: RunFlags, cwd = process.cwd()): Promise<ResolvedConfig> {
  const { config, baseDir, file } = await loadConfig(flags.config, cwd);
  const target = resolveTarget(flags.target, config.target);
  if (flags.mutant !== undefined && target.kind !== 'embedded' && target.kind !== 'container') {
    throw new ConfigError('--mutant', `mutants are assembled only by the reference backend (embedded or container targets; this one is ${target.kind})`, 'drop --mutant or use --target embedded');
  }
  const { policy, given, policyFile } = await resolvePolicyInputs(flags, config.policy, baseDir);
  const run = config.run ?? {};
  const embedded = target.kind === 'embedded' || target.kind === 'container' ? (target as { mutant?: string; quickTiming?: boolean }) : {};
  return {
    target,
    policy,
    policyGiven: given,
    profile: policy.profile,
    mutant: flags.mutant ?? embedded.mutant ?? null,
    quickTiming: embedded.quickTiming ?? !given,
    seed: flags.seed ?? run.seed ?? Math.floor(Math.random() * 2 ** 31),
    runs: flags.runs ?? run.runs ?? DEFAULT_RUNS,
    // Unset: adaptive (engine/concurrency.ts), from the cores and backing off under load.
    concurrency: flags.concurrency ?? run.concurrency ?? null,
    deadlineMs: flags.deadlineMs ?? run.deadlineMs ?? null,
    observeMs: flags.observeMs ?? run.observeMs ?? null,
    strict: flags.strict ?? run.strict ?? false,
    identityHeaders: Object.entries(run.identityHeaders ?? {}),
    baseDir,
    configFile: file,
    policyFile,
    waivers: config.waivers ?? [],
  };
}

function resolveTarget(flag: string | undefined, fromFile: TargetConfig | undefined): TargetConfig {
  if (flag === undefined) return fromFile ?? { kind: 'embedded' };
  const eq = flag.indexOf('=');
  const kind = eq < 0 ? flag : flag.slice(0, eq);
  const value = eq < 0 ? undefined : flag.slice(eq + 1);
  const same = fromFile?.kind === kind ? fromFile : undefined;
  if (kind === 'embedded') return same ?? { kind: 'embedded' };
  if (kind === 'url') {
    const url = value ?? (same as { url?: string } | undefined)?.url;
    if (!url) throw new ConfigError('--target', 'url target without a URL', 'write --target url=ws://HOST:PORT/ws');
    if (!same) {
      throw new ConfigError('target.keys', 'a url target needs signing keys and a way to seed users', 'put { target: { kind: "url", keys, users } } in a config file and pass --config FILE');
    }
    return { ...same, kind: 'url', url } as TargetConfig;
  }
  return { ...(same ?? {}), kind, ...(value !== undefined ? { value } : {}) };
}

async function resolvePolicyInputs(flags: RunFlags, fromFile: PolicyInput | string | undefined, baseDir: string): Promise<{ policy: Policy; given: boolean; policyFile: string | null }> {
  if (flags.policy !== undefined && flags.profile !== undefined) {
    throw new ConfigError('--profile', 'given together with --policy', 'set "profile" inside the policy file instead');
  }
  if (flags.profile !== undefined && !(PROFILES as readonly string[]).includes(flags.profile)) {
    throw new ConfigError('--profile', `unknown profile "${flags.profile}"`, `use one of ${PROFILES.join(', ')}`);
  }
  if (flags.policy !== undefined) return { policy: await loadPolicyFile(flags.policy), given: true, policyFile: resolvePath(flags.policy) };
  if (flags.profile !== undefined) {
    const input = typeof fromFile === 'object' ? fromFile : {};
    return { policy: resolvePolicy({ ...input, profile: flags.profile as ProfileName }), given: typeof fromFile === 'object', policyFile: null };
  }
  if (typeof fromFile === 'string') return { policy: await loadPolicyFile(resolvePath(baseDir, fromFile)), given: true, policyFile: resolvePath(baseDir, fromFile) };
  if (fromFile !== undefined) return { policy: resolvePolicy(fromFile), given: true, policyFile: null };
  return { policy: resolvePolicy(), given: false, policyFile: null };
}
