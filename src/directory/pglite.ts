// In-process PostgreSQL (PGlite, WASM). A cold start takes seconds: open one per process.
import { PGlite } from '@electric-sql/pglite';
import type { SqlDirectory } from './directory.ts';
import { CHANGE_CHANNEL, SCHEMA_SQL } from './schema.ts';
import { createSqlDirectory } from './sql-directory.ts';

export interface PgliteDirectoryOptions {
  /** Where PGlite keeps its files; in memory when absent. */
  dataDir?: string;
}

export async function openPgliteDirectory(options: PgliteDirectoryOptions = {}): Promise<SqlDirectory> {
  const db = options.dataDir ? await PGlite.create(options.dataDir) : await PGlite.create();
  await db.exec(SCHEMA_SQL);
  return createSqlDirectory({
    sql: db,
    listen: async (onPayload) => {
      await db.listen(CHANGE_CHANNEL, onPayload);
    },
    close: () => db.close(),
  });
}
