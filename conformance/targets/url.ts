// Any backend at a WebSocket URL. Its contract comes as a policy; tokens are minted
// with keys the operator provides; users are seeded through PostgreSQL with SQL the
// operator can override (defaults: the `users` table of the reference backend), through
// the operator's own hook (a command or an HTTP endpoint), or a fixed set of existing
// users is named. Whatever it cannot do, it says so.
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { REVOCATIONS, type Policy } from '../../model/policy.ts';
import { TargetError } from '../../model/errors.ts';
import type { SigningKeys } from '../keys.ts';
import type { JwksPublisher } from './jwks-publisher.ts';
import { runPool } from '../pool/pool.ts';
import type { Target } from './target.ts';
import type { UserKind } from '../capabilities/capabilities.ts';
import { hookUsers, type HookSource } from './user-hooks.ts';

const POOL_SIZE = 4;

export const DEFAULT_SQL = {
  /** $1 user id, $2 is_active, $3 roles (text[]). */
  insert: `INSERT INTO users (user_id, email, name, is_active, roles) VALUES ($1, $1 || '@conformance.invalid', 'ws-auth-conformance', $2, $3)
ON CONFLICT (user_id) DO UPDATE SET is_active = EXCLUDED.is_active, roles = EXCLUDED.roles, updated_at = now()`,
  /** $1 user id. */
  deactivate: 'UPDATE users SET is_active = false, updated_at = now() WHERE user_id = $1',
  /** $1 user id. */
  delete: 'DELETE FROM users WHERE user_id = $1',
  /** $1 user id, $2 the policy's required role. */
  removeRole: 'UPDATE users SET roles = array_remove(roles, $2), updated_at = now() WHERE user_id = $1',
} as const;

export type UserSource =
  | {
      kind: 'postgres';
      connectionString: string;
      insertSql?: string;
      deactivateSql?: string;
      deleteSql?: string;
      removeRoleSql?: string;
      /** Makes the lookup of user $1 slower than the deadline for the next $2 ms; absent: the target cannot stall. */
      stallSql?: string;
    }
  | {
      /** The policy says users: "stateless": the token alone decides, any subject will do. */
      kind: 'stateless';
    }
  | HookSource
  | {
      kind: 'fixed';
      /** Existing users by state; a state without a user is not covered. */
      users: Partial<Record<UserKind, string>>;
    };

export interface UrlTargetOptions {
  url: string;
  policy: Policy;
  keys: SigningKeys;
  users: UserSource;
  /** Health endpoint; default `<http origin>/healthz`; null for none. */
  healthUrl?: string | null;
  /** The JWKS the tool publishes for the target (started; the target closes it). */
  jwks?: JwksPublisher;
}

export async function startUrlTarget(options: UrlTargetOptions): Promise<Target> {
  const jwks = options.jwks;
  if (!jwks) return startDirect(options);
  try {
    const target = await startDirect(options);
    return { ...target, jwks, description: `${target.description}, JWKS at ${jwks.location}`, close: () => target.close().finally(() => jwks.close()) };
  } catch (error) {
    await jwks.close();
    throw error;
  }
}

async function startDirect(options: UrlTargetOptions): Promise<Target> {
  let endpoint: URL;
  try {
    endpoint = new URL(options.url);
  } catch {
    throw new TargetError(`target url "${options.url}" is not a URL; give ws://host:port/path`);
  }
  if (endpoint.protocol !== 'ws:' && endpoint.protocol !== 'wss:') throw new TargetError(`target url must start with ws:// or wss://, got ${endpoint.protocol}`);
  const healthUrl =
    options.healthUrl === undefined ? `${endpoint.protocol === 'wss:' ? 'https' : 'http'}://${endpoint.host}/healthz` : options.healthUrl;
  const base = { kind: 'url', url: endpoint.toString(), healthUrl, policy: options.policy, keys: options.keys };
  const source = options.users;

  if (source.kind === 'stateless') {
    const prefix = `wsac-${randomBytes(4).toString('hex')}`;
    return {
      ...base,
      description: `url ${endpoint} (stateless: no user directory)`,
      capabilities: { stall: false, revoke: [], userKinds: ['active'] },
      prepareUser: async (caseId) => `${prefix}-${caseId}`,
      revokeUser: async () => {
        throw new TargetError('a stateless target has no user to revoke');
      },
      close: async () => {},
    };
  }

  if (source.kind === 'command' || source.kind === 'http') {
    const users = hookUsers(source, options.policy);
    return { ...base, ...users, description: `url ${endpoint} (${users.description})` };
  }

  if (source.kind === 'fixed') {
    const kinds = (Object.keys(source.users) as UserKind[]).filter((k) => source.users[k]);
    return {
      ...base,
      description: `url ${endpoint} (fixed users: ${kinds.join(', ')})`,
      capabilities: { stall: false, revoke: [], userKinds: kinds },
      async prepareUser(_caseId, kind) {
        const id = source.users[kind];
        if (!id) throw new TargetError(`no fixed user for state "${kind}"`);
        return id;
      },
      revokeUser: async () => {
        throw new TargetError('fixed users cannot be revoked');
      },
      close: async () => {},
    };
  }

  const pool = new pg.Pool({ connectionString: source.connectionString, max: POOL_SIZE });
  pool.on('error', () => {});
  try {
    await pool.query('SELECT 1');
  } catch (error) {
    await pool.end().catch(() => {});
    throw new TargetError(`cannot reach the users database (${(error as Error).message}); check target.users.connectionString`);
  }
  const sql = {
    insert: source.insertSql ?? DEFAULT_SQL.insert,
    deactivate: source.deactivateSql ?? DEFAULT_SQL.deactivate,
    delete: source.deleteSql ?? DEFAULT_SQL.delete,
    removeRole: source.removeRoleSql ?? DEFAULT_SQL.removeRole,
  };
  const prefix = `wsac-${randomBytes(4).toString('hex')}`;
  const seeded = new Set<string>();
  const role = options.policy.requiredRole ?? 'member';
  const stallMs = options.policy.handshakeDeadlineMs * 3 + 2000;
  const prepareUser = async (caseId: string, kind: UserKind, { stall, stallMs: wanted }: { stall: boolean; stallMs?: number }) => {
    const userId = `${prefix}-${caseId}`;
    if (kind !== 'missing') {
      const row = kind === 'active' ? [true, [role]] : kind === 'inactive' ? [false, [role]] : [true, ['viewer']];
      await pool.query(sql.insert, [userId, ...row]);
      seeded.add(userId);
    }
    if (stall && source.stallSql) await pool.query(source.stallSql, [userId, Math.max(stallMs, wanted ?? 0)]);
    return userId;
  };
  return {
    ...base,
    description: `url ${endpoint} (users seeded in PostgreSQL${source.stallSql ? ', stall by SQL' : ''})`,
    capabilities: { stall: Boolean(source.stallSql), revoke: REVOCATIONS, userKinds: ['active', 'missing', 'inactive', 'lacks-role'] },
    prepareUser,
    // The operator's SQL is per row: many rows go over the pool's connections side by side.
    prepareUsers: (requests) => runPool(requests, POOL_SIZE, () => 0, (r) => prepareUser(r.caseId, r.kind, r)),
    async revokeUser(userId, how) {
      if (how === 'deactivation') await pool.query(sql.deactivate, [userId]);
      else if (how === 'deletion') await pool.query(sql.delete, [userId]);
      else await pool.query(sql.removeRole, [userId, role]);
    },
    async close() {
      for (const id of seeded) await pool.query(sql.delete, [id]).catch(() => {});
      await pool.end();
    },
  };
}
