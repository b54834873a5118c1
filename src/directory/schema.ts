// The users table and the trigger that tells open sessions about changes
// (LISTEN/NOTIFY, so revocation is learnt from PostgreSQL itself).
import type { DirectoryUser, SqlClient, UserChange } from './directory.ts';

export const CHANGE_CHANNEL = 'ws_auth_user_changes';

/** The users table of the contract (issue 3); the container setup creates it too. */
export const USERS_TABLE_SQL = `CREATE TABLE IF NOT EXISTS users (
  user_id    text PRIMARY KEY,
  email      text,
  name       text,
  is_active  boolean NOT NULL DEFAULT true,
  roles      text[] NOT NULL DEFAULT '{}',
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
)`;

// Run as one simple-protocol batch; the advisory lock keeps concurrent starters
// against one server from racing on CREATE OR REPLACE.
export const SCHEMA_SQL = `
BEGIN;
SELECT pg_advisory_xact_lock(734095133);
${USERS_TABLE_SQL};
CREATE OR REPLACE FUNCTION ws_auth_notify_user_change() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    PERFORM pg_notify('${CHANGE_CHANNEL}', json_build_object('op', 'delete', 'user_id', OLD.user_id)::text);
    RETURN OLD;
  END IF;
  PERFORM pg_notify('${CHANGE_CHANNEL}', json_build_object(
    'op', 'update', 'user_id', NEW.user_id, 'is_active', NEW.is_active, 'roles', NEW.roles)::text);
  RETURN NEW;
END
$$ LANGUAGE plpgsql;
CREATE OR REPLACE TRIGGER ws_auth_user_changed
  AFTER UPDATE OR DELETE ON users
  FOR EACH ROW EXECUTE FUNCTION ws_auth_notify_user_change();
COMMIT;
`;

const LOOKUP_SQL = 'SELECT user_id, is_active, roles FROM users WHERE user_id = $1';

interface UserRow {
  user_id: string;
  is_active: boolean | null;
  roles: string[] | null;
}

function toUser(row: UserRow): DirectoryUser {
  return { userId: row.user_id, isActive: row.is_active === true, roles: row.roles ?? [] };
}

/**
 * Whether PostgreSQL text can hold this id as it is: not with a NUL, nor with a lone
 * surrogate (which UTF-8 encoding would turn into U+FFFD, the id of someone else).
 */
export function storableId(userId: string): boolean {
  return !/\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(userId);
}

export async function lookupUser(sql: SqlClient, userId: string): Promise<DirectoryUser | null> {
  // No stored user can have such an id: nobody, rather than an error from the database (503).
  if (!storableId(userId)) return null;
  const { rows } = await sql.query<UserRow>(LOOKUP_SQL, [userId]);
  return rows[0] ? toUser(rows[0]) : null;
}

/** Parses a notification payload; null for anything that is not ours. */
export function parseChange(payload: string): UserChange | null {
  try {
    const p = JSON.parse(payload) as { op?: unknown; user_id?: unknown; is_active?: unknown; roles?: unknown };
    if (typeof p.user_id !== 'string') return null;
    if (p.op === 'delete') return { userId: p.user_id, user: null };
    if (p.op !== 'update') return null;
    const roles = Array.isArray(p.roles) ? p.roles.filter((r): r is string => typeof r === 'string') : [];
    return { userId: p.user_id, user: toUser({ user_id: p.user_id, is_active: p.is_active === true, roles }) };
  } catch {
    return null;
  }
}
