// Stalls through a real slow dependency: PostgreSQL itself makes one user's row slow to
// read, so the backend's ordinary `SELECT ... FROM users WHERE user_id = $1` hangs for
// that user only, while every other lookup answers at once. Nothing in the backend's code
// or in any request changes; the engine stalls a user out of band, by a row in a table
// the backend cannot see.
//
// How: a row-level-security policy on `users` (FORCE, so it binds the table's owner too)
// whose USING clause calls a SECURITY DEFINER gate. The gate looks the row's user up in
// `wsac_stalls` and, while a stall is in force, sleeps in short steps, so that ending
// the stall (or its `until` passing) releases a waiting lookup within 50 ms and a stalled
// lookup never holds a pool connection longer than the stall.
//
// A user that does not exist must stall too (the model stalls the lookup, not the row):
// stalling an absent user inserts a "ghost" row that the gate hides once the stall is
// over, so the lookup is slow and then finds nobody.
//
// Two conditions, both met by the container environment:
// - the backend connects as a role that is neither superuser nor BYPASSRLS (superusers
//   skip row-level security); the seeder connects as the superuser, so inserts,
//   deactivations and deletes are never slowed;
// - `user_id = $1` is leakproof (text equality is), so PostgreSQL evaluates it before the
//   policy's gate and the gate only runs for the looked-up row.

export interface StallSqlOptions {
  /** The table the backend reads users from. */
  table?: string;
  /** Its user id column. */
  keyColumn?: string;
  /** Upper bound of any stall, so a forgotten stall cannot hold connections forever. */
  maxStallMs?: number;
}

const IDENT = /^[a-z_][a-z0-9_]*$/;

function ident(name: string, what: string): string {
  if (!IDENT.test(name)) throw new Error(`${what} must be a plain lower-case SQL identifier, got ${JSON.stringify(name)}`);
  return name;
}

/** DDL that makes `table` stallable per user; idempotent, run as a superuser after the table exists. */
export function stallInstallSql(options: StallSqlOptions = {}): string {
  const table = ident(options.table ?? 'users', 'table');
  const key = ident(options.keyColumn ?? 'user_id', 'keyColumn');
  const maxSeconds = (options.maxStallMs ?? 60_000) / 1000;
  return `
BEGIN;
SELECT pg_advisory_xact_lock(734095134);
CREATE TABLE IF NOT EXISTS wsac_stalls (
  user_id text PRIMARY KEY,
  until   timestamptz NOT NULL,
  -- The users row was inserted only to be stalled on: hidden from the backend.
  ghost   boolean NOT NULL DEFAULT false
);
REVOKE ALL ON wsac_stalls FROM PUBLIC;
CREATE OR REPLACE FUNCTION wsac_stall_gate(uid text) RETURNS boolean
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
  started timestamptz := clock_timestamp();
  stall record;
BEGIN
  LOOP
    -- Each statement of a VOLATILE function takes a fresh snapshot: an ended stall is
    -- seen at the next step.
    SELECT s.until, s.ghost INTO stall FROM wsac_stalls s WHERE s.user_id = uid;
    IF NOT FOUND THEN RETURN true; END IF;
    EXIT WHEN stall.until <= clock_timestamp() OR clock_timestamp() - started >= make_interval(secs => ${maxSeconds});
    PERFORM pg_sleep(0.05);
  END LOOP;
  RETURN NOT stall.ghost;
END
$$;
CREATE OR REPLACE FUNCTION wsac_stall_user(uid text, ms double precision) RETURNS void
LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
  absent boolean;
BEGIN
  absent := NOT EXISTS (SELECT 1 FROM ${table} WHERE ${key} = uid);
  IF absent THEN
    INSERT INTO ${table} (${key}) VALUES (uid) ON CONFLICT DO NOTHING;
  END IF;
  INSERT INTO wsac_stalls (user_id, until, ghost)
  VALUES (uid, clock_timestamp() + ms * interval '1 millisecond', absent)
  ON CONFLICT (user_id) DO UPDATE SET until = EXCLUDED.until, ghost = wsac_stalls.ghost OR EXCLUDED.ghost;
END
$$;
ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY;
ALTER TABLE ${table} FORCE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS wsac_stall_select ON ${table};
DROP POLICY IF EXISTS wsac_stall_insert ON ${table};
DROP POLICY IF EXISTS wsac_stall_update ON ${table};
DROP POLICY IF EXISTS wsac_stall_delete ON ${table};
CREATE POLICY wsac_stall_select ON ${table} FOR SELECT USING (wsac_stall_gate(${key}));
-- Writes stay unrestricted (a permissive FOR ALL policy would be OR-ed with the gate).
CREATE POLICY wsac_stall_insert ON ${table} FOR INSERT WITH CHECK (true);
CREATE POLICY wsac_stall_update ON ${table} FOR UPDATE USING (true) WITH CHECK (true);
CREATE POLICY wsac_stall_delete ON ${table} FOR DELETE USING (true);
COMMIT;
`;
}

/**
 * Stalls lookups of user $1 for $2 milliseconds (parameters: user id, duration in ms); an
 * absent user stays absent, only slow to look up. One statement, as the url target runs it.
 */
export const STALL_USER_SQL = 'SELECT wsac_stall_user($1, $2)';

/** Ends the stall of user $1 now; a lookup waiting on it answers within 50 ms. */
export const UNSTALL_USER_SQL = 'UPDATE wsac_stalls SET until = clock_timestamp() WHERE user_id = $1';

/** Default length of one stall: well past any handshake deadline, yet bounded. */
export const DEFAULT_STALL_MS = 30_000;
