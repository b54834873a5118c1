// A PostgreSQL server through `pg`: a pool for lookups (handshakes run concurrently)
// and one dedicated client that LISTENs for user changes.
import pg from 'pg';
import type { SqlDirectory } from './directory.ts';
import { CHANGE_CHANNEL, SCHEMA_SQL } from './schema.ts';
import { createSqlDirectory } from './sql-directory.ts';

export interface PostgresDirectoryOptions {
  /** Pool size for lookups; default 20. */
  poolSize?: number;
  /** Called when the LISTEN connection fails (sessions then miss revocations). */
  onListenError?: (error: Error) => void;
}

export async function openPostgresDirectory(
  connectionString: string,
  options: PostgresDirectoryOptions = {},
): Promise<SqlDirectory> {
  const pool = new pg.Pool({ connectionString, max: options.poolSize ?? 20 });
  // An idle client dropped by the server must not crash the process.
  pool.on('error', () => {});
  const listener = new pg.Client({ connectionString });
  try {
    await pool.query(SCHEMA_SQL);
    await listener.connect();
  } catch (error) {
    await Promise.allSettled([pool.end(), listener.end()]);
    throw error;
  }
  listener.on('error', (error) => options.onListenError?.(error));
  return createSqlDirectory({
    sql: pool,
    listen: async (onPayload) => {
      listener.on('notification', (n) => {
        if (n.channel === CHANGE_CHANNEL && n.payload !== undefined) onPayload(n.payload);
      });
      await listener.query(`LISTEN ${CHANGE_CHANNEL}`);
    },
    close: async () => {
      await Promise.allSettled([listener.end(), pool.end()]);
    },
  });
}
