// Seeding users for tests, the engine and `serve --users`. Kept apart from the
// request path: the backend itself only reads users.
import type { SqlClient } from './directory.ts';
import { SeedError } from '../../model/errors.ts';
import { storableId } from './schema.ts';

/** A user row as written in a users file (snake_case, as in the table) or by code (camelCase). */
export interface UserSeed {
  user_id?: string;
  userId?: string;
  email?: string | null;
  name?: string | null;
  is_active?: boolean;
  isActive?: boolean;
  roles?: string[];
}

interface NormalisedSeed {
  userId: string;
  email: string | null;
  name: string | null;
  isActive: boolean;
  roles: string[];
}

export { SeedError };

/** Checks one row; `where` names it in errors (e.g. "users.json[2]"). */
export function normaliseSeed(row: unknown, where = 'user'): NormalisedSeed {
  if (typeof row !== 'object' || row === null || Array.isArray(row)) throw new SeedError(`${where}: expected an object`);
  const r = row as UserSeed;
  const userId = r.user_id ?? r.userId;
  if (typeof userId !== 'string' || userId === '') throw new SeedError(`${where}: "user_id" must be a non-empty string`);
  if (!storableId(userId)) throw new SeedError(`${where}: "user_id" holds a NUL or a lone surrogate, which PostgreSQL text cannot store`);
  const isActive = r.is_active ?? r.isActive ?? true;
  if (typeof isActive !== 'boolean') throw new SeedError(`${where}: "is_active" must be true or false`);
  const roles = r.roles ?? [];
  if (!Array.isArray(roles) || roles.some((x) => typeof x !== 'string')) {
    throw new SeedError(`${where}: "roles" must be an array of strings`);
  }
  for (const field of ['email', 'name'] as const) {
    const v = r[field];
    if (v !== undefined && v !== null && typeof v !== 'string') throw new SeedError(`${where}: "${field}" must be a string`);
  }
  return { userId, email: r.email ?? null, name: r.name ?? null, isActive, roles };
}

export interface UserSeeder {
  /** Inserts or replaces users, in one statement however many. */
  insert(users: UserSeed[]): Promise<void>;
  deactivate(userId: string): Promise<void>;
  activate(userId: string): Promise<void>;
  setRoles(userId: string, roles: string[]): Promise<void>;
  /** Takes one role away, leaving the others. */
  removeRole(userId: string, role: string): Promise<void>;
  remove(userId: string): Promise<void>;
  /** Deletes every user. */
  clear(): Promise<void>;
}

export function userSeeder(sql: SqlClient): UserSeeder {
  const update = async (text: string, params: unknown[]) => {
    await sql.query(text, params);
  };
  return {
    async insert(users) {
      const rows = users.map((u, i) => normaliseSeed(u, `users[${i}]`));
      if (rows.length === 0) return;
      // One JSON parameter: a whole run's users cost one round trip (PGlite runs queries one at a time).
      await sql.query(
        `INSERT INTO users (user_id, email, name, is_active, roles)
         SELECT u."userId", u.email, u.name, u."isActive", ARRAY(SELECT jsonb_array_elements_text(u.roles))
         FROM jsonb_to_recordset($1::jsonb) AS u("userId" text, email text, name text, "isActive" boolean, roles jsonb)
         ON CONFLICT (user_id) DO UPDATE SET email = EXCLUDED.email, name = EXCLUDED.name,
           is_active = EXCLUDED.is_active, roles = EXCLUDED.roles, updated_at = now()`,
        [JSON.stringify(rows)],
      );
    },
    deactivate: (userId) => update('UPDATE users SET is_active = false, updated_at = now() WHERE user_id = $1', [userId]),
    activate: (userId) => update('UPDATE users SET is_active = true, updated_at = now() WHERE user_id = $1', [userId]),
    setRoles: (userId, roles) => update('UPDATE users SET roles = $2, updated_at = now() WHERE user_id = $1', [userId, roles]),
    removeRole: (userId, role) => update('UPDATE users SET roles = array_remove(roles, $2), updated_at = now() WHERE user_id = $1', [userId, role]),
    remove: (userId) => update('DELETE FROM users WHERE user_id = $1', [userId]),
    clear: () => update('DELETE FROM users', []),
  };
}
