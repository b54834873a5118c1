// The default target: the reference backend on PGlite, hosted in a worker thread of
// this process (embedded-host.ts) so the engine and the backend never starve each
// other's event loop. One PGlite per process; each case seeds its own user under a
// unique id, so concurrent cases and concurrent targets (mutants) never interfere.
import { randomBytes } from 'node:crypto';
import type { UserSeed } from '../../src/index.ts';
// The ids alone, not src/index.ts: that would load the backend and PGlite into the engine's thread.
import { FIELD_FAILURE_IDS, isFieldFailureId } from '../../model/field-failures.ts';
import { REVOCATIONS, profilePolicy, type Policy } from '../../model/policy.ts';
import { ConfigError } from '../../model/errors.ts';
import { generateKeys } from '../keys.ts';
import { serveJwks } from './jwks-publisher.ts';
import { closeEmbeddedHost, startEmbeddedHost } from './embedded-host.ts';
import type { Target, UserRequest } from './target.ts';
import { MIN_SKEW_FOR_WITHIN_SKEW, type UserKind } from '../capabilities/capabilities.ts';

export { startEmbeddedHost, closeEmbeddedHost } from './embedded-host.ts';

export interface EmbeddedTargetOptions {
  policy?: Policy;
  /** A field failure of docs/field-failures.md to reproduce (the backend's MUTANT_IDS). */
  mutant?: string | null;
  /** Shorten the timing fields (deadline, auth window, skew) so a run is quick; default true. */
  quickTiming?: boolean;
  /** Write the backend's JSON-lines log (one line per decision) to this file, truncated first. */
  decisionLog?: string | null;
}

/** Ends the process's embedded host and its PGlite (the name predates the worker). */
export const closeSharedDirectory = closeEmbeddedHost;

let instances = 0;

/**
 * Timing fields an in-process backend can afford to shorten. The skew becomes the
 * smallest that keeps the exp margins (MIN_SKEW_FOR_WITHIN_SKEW, 4 s): shorter would
 * leave "exp within skew" uncovered, longer only slows the expiry cases.
 */
export function quickTiming(policy: Policy): Policy {
  return {
    ...policy,
    handshakeDeadlineMs: Math.min(policy.handshakeDeadlineMs, 500),
    authWindowMs: Math.min(policy.authWindowMs, 500),
    clockSkewSeconds: MIN_SKEW_FOR_WITHIN_SKEW,
    // The key-rotation steps wait these out.
    jwks: { ...policy.jwks, cooldownMs: Math.min(policy.jwks.cooldownMs, 1000), maxAgeMs: policy.jwks.maxAgeMs === null ? null : Math.min(policy.jwks.maxAgeMs, 3000) },
  };
}

export async function startEmbeddedTarget(options: EmbeddedTargetOptions = {}): Promise<Target> {
  const mutant = options.mutant ?? null;
  if (mutant !== null && !isFieldFailureId(mutant)) {
    throw new ConfigError('mutant', `unknown mutant "${mutant}"`, `use one of ${FIELD_FAILURE_IDS.join(', ')}`);
  }
  const base = options.policy ?? profilePolicy('default');
  const policy = options.quickTiming === false ? base : quickTiming(base);
  const keys = await generateKeys(policy.algorithms[0]!);
  // kid "jwks": the backend fetches the JWKS from the tool over HTTP, as from an issuer.
  const jwks = policy.kid === 'jwks' && keys.verification.kind === 'jwks' ? await serveJwks(keys.verification.keys) : null;
  const host = startEmbeddedHost();
  const { backend, url } = await host.call({
    op: 'start',
    policy,
    keys: jwks ? { jwksUrl: jwks.location } : keys.verification.kind === 'secret' ? { secret: keys.verification.secret, ...(keys.kid ? { kid: keys.kid } : {}) } : { jwks: { keys: keys.verification.keys } },
    mutant,
    stallMs: policy.handshakeDeadlineMs * 3 + 2000,
    decisionLog: options.decisionLog ?? null,
  });
  const prefix = `e${++instances}-${randomBytes(3).toString('hex')}`;
  const role = policy.requiredRole ?? 'member';
  const ROWS: Record<Exclude<UserKind, 'missing'>, { isActive: boolean; roles: string[] }> = {
    active: { isActive: true, roles: [role] },
    inactive: { isActive: false, roles: [role] },
    'lacks-role': { isActive: true, roles: ['viewer'] },
  };
  // One message for a whole run's users and stalls: one INSERT in the host.
  const prepare = async (requests: readonly UserRequest[]): Promise<string[]> => {
    const ids = requests.map((r) => `${prefix}-${r.caseId}`);
    const users: UserSeed[] = requests.flatMap((r, i) => (r.kind === 'missing' ? [] : [{ userId: ids[i]!, ...ROWS[r.kind] }]));
    const stalls = requests.flatMap((r, i) => (r.stall ? [{ userId: ids[i]!, ms: r.stallMs }] : []));
    await host.call({ op: 'prepare', backend, users, stalls });
    return ids;
  };
  const httpBase = url.replace(/^ws/, 'http').replace(/\/ws$/, '');
  let closing: Promise<void> | undefined;
  return {
    kind: 'embedded',
    description: `embedded reference backend on PGlite${mutant ? `, mutant ${mutant}` : ''}`,
    url,
    healthUrl: `${httpBase}/healthz`,
    policy,
    keys,
    ...(jwks ? { jwks } : {}),
    capabilities: { stall: true, revoke: REVOCATIONS, userKinds: ['active', 'missing', 'inactive', 'lacks-role'] },
    async prepareUser(caseId, kind, { stall, stallMs }) {
      const [id] = await prepare([{ caseId, kind, stall, ...(stallMs !== undefined ? { stallMs } : {}) }]);
      return id!;
    },
    prepareUsers: prepare,
    revokeUser: (userId, how) => host.call({ op: 'revoke', userId, how, role: policy.requiredRole }),
    close() {
      // The host may already be gone (closed by the CLI, or crashed): nothing left to stop.
      closing ??= Promise.all([host.call({ op: 'stop', backend }).catch(() => undefined), jwks?.close()]).then(() => undefined);
      return closing;
    },
  };
}
