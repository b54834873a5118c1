// The default target: the reference backend started in-process on PGlite. One PGlite
// per process (a cold start takes seconds); each case seeds its own user under a
// unique id, so concurrent cases and concurrent targets (mutants) never interfere.
import { randomBytes } from 'node:crypto';
import { isMutantId, MUTANT_IDS, openPgliteDirectory, startReferenceBackend, userSeeder, type SqlDirectory } from '../../src/index.ts';
import { profilePolicy, type Policy } from '../../model/policy.ts';
import { ConfigError } from '../errors.ts';
import { generateKeys } from '../keys.ts';
import { stallingDirectory } from './stalling-directory.ts';
import type { Target, UserKind } from './target.ts';

export interface EmbeddedTargetOptions {
  policy?: Policy;
  /** A field failure of docs/field-failures.md to reproduce (the backend's MUTANT_IDS). */
  mutant?: string | null;
  /** Shorten the timing fields (deadline, auth window, skew) so a run is quick; default true. */
  quickTiming?: boolean;
}

let shared: Promise<SqlDirectory> | undefined;
let instances = 0;

/** The process's PGlite directory, opened on first use. */
export function sharedDirectory(): Promise<SqlDirectory> {
  shared ??= openPgliteDirectory();
  return shared;
}

/** Closes the process's PGlite, if one was opened (a CLI does this before exiting: PGlite keeps a timer). */
export async function closeSharedDirectory(): Promise<void> {
  const open = shared;
  shared = undefined;
  if (open) await (await open).close();
}

/** Timing fields an in-process backend can afford to shorten; skew stays >= 4 s for the exp margins. */
export function quickTiming(policy: Policy): Policy {
  return {
    ...policy,
    handshakeDeadlineMs: Math.min(policy.handshakeDeadlineMs, 500),
    authWindowMs: Math.min(policy.authWindowMs, 500),
    clockSkewSeconds: Math.min(Math.max(policy.clockSkewSeconds, 4), 4),
  };
}

export async function startEmbeddedTarget(options: EmbeddedTargetOptions = {}): Promise<Target> {
  const mutant = options.mutant ?? null;
  if (mutant !== null && !isMutantId(mutant)) {
    throw new ConfigError('mutant', `unknown mutant "${mutant}"`, `use one of ${MUTANT_IDS.join(', ')}`);
  }
  const base = options.policy ?? profilePolicy('default');
  const policy = options.quickTiming === false ? base : quickTiming(base);
  const keys = await generateKeys(policy.algorithms[0]!);
  const store = await sharedDirectory();
  const seeder = userSeeder(store.sql);
  const directory = stallingDirectory(store, policy.handshakeDeadlineMs * 3 + 2000);
  const backend = await startReferenceBackend({
    policy,
    keys: keys.verification.kind === 'secret' ? { secret: keys.verification.secret, ...(keys.kid ? { kid: keys.kid } : {}) } : { jwks: { keys: keys.verification.keys } },
    directory,
    mutant,
  });
  const prefix = `e${++instances}-${randomBytes(3).toString('hex')}`;
  const role = policy.requiredRole ?? 'member';
  const ROWS: Record<Exclude<UserKind, 'missing'>, { isActive: boolean; roles: string[] }> = {
    active: { isActive: true, roles: [role] },
    inactive: { isActive: false, roles: [role] },
    'lacks-role': { isActive: true, roles: ['viewer'] },
  };
  const httpBase = backend.url.replace(/^ws/, 'http').replace(/\/ws$/, '');
  return {
    kind: 'embedded',
    description: `embedded reference backend on PGlite${mutant ? `, mutant ${mutant}` : ''}`,
    url: backend.url,
    healthUrl: `${httpBase}/healthz`,
    policy,
    keys,
    capabilities: { stall: true, revoke: true, userKinds: ['active', 'missing', 'inactive', 'lacks-role'] },
    async prepareUser(caseId, kind, { stall, stallMs }) {
      const userId = `${prefix}-${caseId}`;
      if (kind !== 'missing') await seeder.insert([{ userId, ...ROWS[kind] }]);
      if (stall) directory.stall(userId, stallMs);
      return userId;
    },
    async prepareUsers(requests) {
      // One INSERT for the whole run, instead of one per case.
      const ids = requests.map((r) => `${prefix}-${r.caseId}`);
      await seeder.insert(requests.flatMap((r, i) => (r.kind === 'missing' ? [] : [{ userId: ids[i]!, ...ROWS[r.kind] }])));
      requests.forEach((r, i) => r.stall && directory.stall(ids[i]!, r.stallMs));
      return ids;
    },
    revokeUser: (userId) => seeder.deactivate(userId),
    async close() {
      directory.releaseAll();
      await backend.close();
    },
  };
}
