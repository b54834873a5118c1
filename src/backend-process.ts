// The reference backend as a long-running process, without any command line: open the
// directory (PGlite in-process, or a PostgreSQL server), seed users, listen. `serve`
// is a thin adapter over this (flags in, ready line out, signals to stop); anything
// else that wants the backend as a service (a test harness, an image) calls it too.
import type { SqlDirectory } from './directory/directory.ts';
import { openPgliteDirectory } from './directory/pglite.ts';
import { openPostgresDirectory } from './directory/postgres.ts';
import { userSeeder, type UserSeed } from './directory/seed.ts';
import type { KeySource } from './handshake/keys.ts';
import type { Logger } from './log.ts';
import { assemble, MUTANT_DESCRIPTIONS, type MutantId } from './mutants/index.ts';
import { startReferenceBackend, type ReferenceBackend } from './server.ts';
import type { Policy } from '../model/policy.ts';
import { ServeError } from '../model/errors.ts';

export interface BackendProcessOptions {
  policy: Policy;
  keys: KeySource;
  users: UserSeed[];
  /** PostgreSQL connection string; undefined for in-process PGlite. */
  db: string | undefined;
  mutant: MutantId | null;
  port: number;
  host: string;
  logger: Logger;
}

export interface BackendProcess {
  readonly url: string;
  /** Closes the sockets (1001), the server and the database. */
  close(): Promise<void>;
}

export async function startBackendProcess(options: BackendProcessOptions): Promise<BackendProcess> {
  const { logger } = options;
  let directory: SqlDirectory;
  try {
    directory = options.db
      ? await openPostgresDirectory(options.db, {
          // PostgreSQL gives up on a lookup when the handshake has (null: a mutant that never does).
          lookupTimeoutMs: assemble(options.mutant).deadlineMs(options.policy),
          // Open sessions would miss revocations from here on: say so loudly.
          onListenError: (error) => logger.error('directory-listen-failed', { error: error.message }),
        })
      : await openPgliteDirectory();
  } catch (error) {
    throw new ServeError(`cannot open the database${options.db ? ' at --db' : ''}: ${(error as Error).message}`);
  }
  let backend: ReferenceBackend;
  try {
    await userSeeder(directory.sql).insert(options.users);
    const { policy, keys, mutant, port, host } = options;
    backend = await startReferenceBackend({ policy, keys, mutant, port, host, logger, directory }).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE') throw new ServeError(`port ${options.port} on ${options.host} is in use; pick another --port (0: any)`);
      throw error;
    });
  } catch (error) {
    await directory.close();
    throw error;
  }
  if (options.mutant) logger.warn('mutant', { id: options.mutant, description: MUTANT_DESCRIPTIONS[options.mutant] });
  return {
    url: backend.url,
    async close() {
      try {
        await backend.close();
      } finally {
        await directory.close();
      }
    },
  };
}
