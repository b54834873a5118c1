// Public API of the reference backend, for the engine and for tests.
//
//   openPgliteDirectory(): Promise<SqlDirectory>             in-process PostgreSQL (one per process)
//   openPostgresDirectory(url, { poolSize?, lookupTimeoutMs?, onListenError? })  a PostgreSQL server (pool + LISTEN client)
//   userSeeder(directory.sql): { insert(rows), deactivate(id), activate(id), setRoles(id, roles), removeRole(id, role), remove(id), clear() }
//     rows: { user_id | userId, is_active | isActive (default true), roles (default []), email?, name? }
//   startReferenceBackend({ policy, keys, directory, mutant?, port?, host?, logger? }): Promise<ReferenceBackend>
//     keys: { secret, kid? } for HS256 | { jwks } (public keys) | { jwksUrl } (fetched, refetched on an unknown kid; policy.kid "jwks")
//     -> { url: 'ws://HOST:PORT/ws', port, host, mutant, close() }   (close leaves the directory open)
//   startBackendProcess({ policy, keys, users, db, mutant, port, host, logger }): what `serve` runs (directory + seed + backend)
//   MUTANT_IDS, MUTANT_DESCRIPTIONS, isMutantId(id)
//
// Stalls: wrap a Directory (delay `lookup` for chosen users, forward subscribe/ping/close).
// Revocation: a change written to the users table (by anyone) closes that user's sockets 1008.
export { startReferenceBackend, WS_PATH, HEALTH_PATH } from './server.ts';
export { startBackendProcess, type BackendProcess, type BackendProcessOptions } from './backend-process.ts';
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
export { BackendConfigError } from '../model/errors.ts';
