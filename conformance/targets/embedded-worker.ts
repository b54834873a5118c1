// The embedded host, in its own worker thread: one PGlite for the process and any
// number of reference backends on it (the mutants command runs several at once).
// Its event loop is its own, so a busy engine never delays the backend's answers
// and the backend's database work never delays the engine's clocks.
import { appendFileSync, writeFileSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { parentPort } from 'node:worker_threads';
// Modules, not src/index.ts: the host needs neither `pg` nor the mutant tables.
import { openPgliteDirectory } from '../../src/directory/pglite.ts';
import { userSeeder } from '../../src/directory/seed.ts';
import { createLogger, type Logger } from '../../src/log.ts';
import { startReferenceBackend, type ReferenceBackend } from '../../src/server.ts';
import { toHostFailure, type HostReply, type HostRequest } from './embedded-protocol.ts';
import { stallingDirectory, type StallingDirectory } from './stalling-directory.ts';

/** The backend's decision log in a file, appended synchronously: a line is there before its answer is sent. */
function fileLogger(file: string): Logger {
  writeFileSync(file, '');
  return createLogger({ level: 'info', write: (line) => appendFileSync(file, line) });
}

const port = parentPort!;
// PostgreSQL in WASM, compiled by V8's baseline compiler only: measured on PGlite's start and
// 2,000 user lookups, about 50 MB less memory and no slower (the optimising tier's
// background compiles compete with the engine for CPU). Set before PGlite compiles; the flag
// is process-wide, and the engine's own process compiles no other WASM during a run.
setFlagsFromString('--liftoff-only');
const store = openPgliteDirectory();
// Reported when asked for, not here: an unhandled rejection would end the thread.
store.catch(() => {});
const backends = new Map<number, { backend: ReferenceBackend; directory: StallingDirectory }>();
let nextId = 0;

function backendOf(id: number) {
  const found = backends.get(id);
  if (!found) throw new Error(`no embedded backend ${id}`);
  return found;
}

async function stop(id: number): Promise<void> {
  const { backend, directory } = backendOf(id);
  backends.delete(id);
  directory.releaseAll();
  await backend.close();
}

async function handle(request: HostRequest): Promise<unknown> {
  switch (request.op) {
    case 'start': {
      const directory = stallingDirectory(await store, request.stallMs);
      const logger = request.decisionLog === null ? undefined : fileLogger(request.decisionLog);
      const backend = await startReferenceBackend({ policy: request.policy, keys: request.keys, directory, mutant: request.mutant, ...(logger ? { logger } : {}) });
      backends.set(++nextId, { backend, directory });
      return { backend: nextId, url: backend.url };
    }
    case 'prepare': {
      const { directory } = backendOf(request.backend);
      await userSeeder((await store).sql).insert(request.users);
      for (const s of request.stalls) directory.stall(s.userId, s.ms);
      return undefined;
    }
    case 'revoke': {
      const seed = userSeeder((await store).sql);
      if (request.how === 'deactivation') await seed.deactivate(request.userId);
      else if (request.how === 'deletion') await seed.remove(request.userId);
      else await seed.removeRole(request.userId, request.role ?? '');
      return undefined;
    }
    case 'stop':
      await stop(request.backend);
      return undefined;
    case 'close':
      await Promise.all([...backends.keys()].map(stop));
      await (await store).close();
      return undefined;
  }
}

port.on('message', (message: { id: number; request: HostRequest }) => {
  handle(message.request).then(
    (value) => port.postMessage({ id: message.id, ok: true, value } satisfies HostReply),
    (error: Error) => port.postMessage({ id: message.id, ok: false, error: toHostFailure(error) } satisfies HostReply),
  ).finally(() => {
    // Nothing is left to keep the thread alive once the store is closed: it ends.
    if (message.request.op === 'close') port.close();
  });
});
