// A PostgreSQL server through `pg`: a pool for lookups (handshakes run concurrently)
// and one dedicated client that LISTENs for user changes, reconnecting when it drops.
// While it is down, ping() fails, so /healthz says the backend cannot revoke sessions.
// Lookups carry a statement_timeout at the handshake deadline: PostgreSQL cancels a
// lookup nobody waits for any more and its connection returns to the pool, so one slow
// row never starves the lookups queued behind it.
import pg from 'pg';
import { DependencyTimeoutError } from '../../model/errors.ts';
import type { SqlClient, SqlDirectory } from './directory.ts';
import { CHANGE_CHANNEL, SCHEMA_SQL } from './schema.ts';
import { createSqlDirectory } from './sql-directory.ts';

export interface PostgresDirectoryOptions {
  /** Pool size for lookups; default 20. */
  poolSize?: number;
  /** PostgreSQL cancels a lookup after this long (the handshake deadline); null: never. */
  lookupTimeoutMs?: number | null;
  /** Called when the LISTEN connection fails; it is re-established with backoff. */
  onListenError?: (error: Error) => void;
}

const RECONNECT_MS = [250, 500, 1000, 2000, 5000];
// SQLSTATE query_canceled: what statement_timeout raises.
const QUERY_CANCELED = '57014';

export async function openPostgresDirectory(
  connectionString: string,
  options: PostgresDirectoryOptions = {},
): Promise<SqlDirectory> {
  const timeout = options.lookupTimeoutMs ?? null;
  const size = options.poolSize ?? 20;
  // Schema and seeding through a small pool of their own: they may take longer than a lookup may.
  const pool = new pg.Pool({ connectionString, max: timeout === null ? size : 2 });
  // Lookup connections are kept open (no idle timeout): a handshake never pays for a
  // connection's start-up and authentication.
  const lookupPool =
    timeout === null ? pool : new pg.Pool({ connectionString, max: size, idleTimeoutMillis: 0, statement_timeout: Math.max(1, Math.ceil(timeout)) });
  // An idle client dropped by the server must not crash the process.
  pool.on('error', () => {});
  lookupPool.on('error', () => {});
  const endPools = () => Promise.allSettled([pool.end(), lookupPool === pool ? null : lookupPool.end()]);
  try {
    await pool.query(SCHEMA_SQL);
    // Opened before the first handshake rather than by it (size queries at once, size connections).
    await Promise.all(Array.from({ length: size }, () => lookupPool.query('SELECT 1')));
  } catch (error) {
    await endPools();
    throw error;
  }
  const lookups: SqlClient = {
    query: (text, params) =>
      lookupPool.query(text, params).catch((error: Error & { code?: string }) => {
        if (error.code === QUERY_CANCELED) throw new DependencyTimeoutError(`lookup cancelled after ${timeout} ms`);
        throw error;
      }),
  };
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
    lookups,
    listen: async (onPayload) => {
      try {
        await connect(onPayload);
      } catch (error) {
        await endPools();
        throw error;
      }
    },
    ping: async () => {
      if (listener === null) throw new Error('not listening for user changes');
      await lookupPool.query('SELECT 1');
    },
    close: async () => {
      closed = true;
      clearTimeout(retry);
      const client = listener;
      listener = null;
      await Promise.allSettled([client?.end(), endPools()]);
    },
  });
}
