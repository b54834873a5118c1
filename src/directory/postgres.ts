// A PostgreSQL server through `pg`: a pool for lookups (handshakes run concurrently)
// and one dedicated client that LISTENs for user changes, reconnecting when it drops.
// While it is down, ping() fails, so /healthz says the backend cannot revoke sessions.
import pg from 'pg';
import type { SqlDirectory } from './directory.ts';
import { CHANGE_CHANNEL, SCHEMA_SQL } from './schema.ts';
import { createSqlDirectory } from './sql-directory.ts';

export interface PostgresDirectoryOptions {
  /** Pool size for lookups; default 20. */
  poolSize?: number;
  /** Called when the LISTEN connection fails; it is re-established with backoff. */
  onListenError?: (error: Error) => void;
}

const RECONNECT_MS = [250, 500, 1000, 2000, 5000];

export async function openPostgresDirectory(
  connectionString: string,
  options: PostgresDirectoryOptions = {},
): Promise<SqlDirectory> {
  const pool = new pg.Pool({ connectionString, max: options.poolSize ?? 20 });
  // An idle client dropped by the server must not crash the process.
  pool.on('error', () => {});
  try {
    await pool.query(SCHEMA_SQL);
  } catch (error) {
    await pool.end();
    throw error;
  }
  let listener: pg.Client | null = null;
  let closed = false;
  let attempt = 0;
  let retry: NodeJS.Timeout | undefined;

  const connect = async (onPayload: (payload: string) => void): Promise<void> => {
    const client = new pg.Client({ connectionString });
    client.on('notification', (n) => {
      if (n.channel === CHANGE_CHANNEL && n.payload !== undefined) onPayload(n.payload);
    });
    const lost = (error: Error) => {
      if (listener !== client) return;
      listener = null;
      options.onListenError?.(error);
      void client.end().catch(() => {});
      if (!closed) retry = setTimeout(() => void reconnect(onPayload), RECONNECT_MS[Math.min(attempt++, RECONNECT_MS.length - 1)]);
    };
    client.on('error', lost);
    client.on('end', () => lost(new Error('LISTEN connection ended')));
    await client.connect();
    await client.query(`LISTEN ${CHANGE_CHANNEL}`);
    listener = client;
    attempt = 0;
  };
  const reconnect = async (onPayload: (payload: string) => void) => {
    try {
      await connect(onPayload);
    } catch (error) {
      options.onListenError?.(error as Error);
      if (!closed) retry = setTimeout(() => void reconnect(onPayload), RECONNECT_MS[Math.min(attempt++, RECONNECT_MS.length - 1)]);
    }
  };

  return createSqlDirectory({
    sql: pool,
    listen: async (onPayload) => {
      try {
        await connect(onPayload);
      } catch (error) {
        await pool.end();
        throw error;
      }
    },
    ping: async () => {
      if (listener === null) throw new Error('not listening for user changes');
      await pool.query('SELECT 1');
    },
    close: async () => {
      closed = true;
      clearTimeout(retry);
      const client = listener;
      listener = null;
      await Promise.allSettled([client?.end(), pool.end()]);
    },
  });
}
