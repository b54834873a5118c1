// Public API of the reference backend, for the engine and for tests.
export { startReferenceBackend, WS_PATH, HEALTH_PATH } from './server.ts';
export type { ReferenceBackend, ReferenceBackendOptions } from './server.ts';
export type { Directory, DirectoryUser, UserChange, SqlClient, SqlDirectory } from './directory/directory.ts';
export { openPgliteDirectory } from './directory/pglite.ts';
export { openPostgresDirectory } from './directory/postgres.ts';
export { userSeeder, normaliseSeed, SeedError } from './directory/seed.ts';
export type { UserSeed, UserSeeder } from './directory/seed.ts';
export type { KeySource } from './handshake/keys.ts';
export { MUTANT_IDS, MUTANT_DESCRIPTIONS, isMutantId } from './mutants/index.ts';
export type { MutantId } from './mutants/index.ts';
export { createLogger, silentLogger } from './log.ts';
export type { Logger, LogLevel } from './log.ts';
export { BackendConfigError } from './errors.ts';
