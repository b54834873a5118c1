// The Directory over any SQL client; PGlite and `pg` differ only in how they connect
// and how they LISTEN.
import type { SqlClient, SqlDirectory, UserChange } from './directory.ts';
import { lookupUser, parseChange } from './schema.ts';

export interface SqlDirectoryParts {
  sql: SqlClient;
  /** The client lookups go through (default: sql). */
  lookups?: SqlClient;
  /** Starts listening; calls `onPayload` with each raw notification payload. */
  listen(onPayload: (payload: string) => void): Promise<void>;
  /** Health check; default `SELECT 1`. */
  ping?(): Promise<void>;
  close(): Promise<void>;
}

export async function createSqlDirectory(parts: SqlDirectoryParts): Promise<SqlDirectory> {
  const listeners = new Set<(change: UserChange) => void>();
  await parts.listen((payload) => {
    const change = parseChange(payload);
    if (change) for (const listener of listeners) listener(change);
  });
  let closed: Promise<void> | undefined;
  return {
    sql: parts.sql,
    lookup: (userId) => lookupUser(parts.lookups ?? parts.sql, userId),
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async ping() {
      if (parts.ping) return parts.ping();
      await parts.sql.query('SELECT 1');
    },
    close() {
      listeners.clear();
      closed ??= parts.close();
      return closed;
    },
  };
}
