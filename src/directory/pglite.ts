// In-process PostgreSQL (PGlite, WASM). A start takes about a second from the cached
// image (pglite-image.ts), seconds without: open one per process.
import type { SqlDirectory } from './directory.ts';
import { startPglite, type PgliteStartOptions } from './pglite-image.ts';
import { CHANGE_CHANNEL, SCHEMA_SQL } from './schema.ts';
import { createSqlDirectory } from './sql-directory.ts';

export type PgliteDirectoryOptions = PgliteStartOptions;

export async function openPgliteDirectory(options: PgliteDirectoryOptions = {}): Promise<SqlDirectory> {
  const db = await startPglite(options);
  await db.exec(SCHEMA_SQL);
  return createSqlDirectory({
    sql: db,
    listen: async (onPayload) => {
      await db.listen(CHANGE_CHANNEL, onPayload);
    },
    close: () => db.close(),
  });
}
