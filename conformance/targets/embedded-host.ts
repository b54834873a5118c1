// The engine's side of the embedded host: one worker thread per process holding PGlite
// and the reference backends (embedded-worker.ts). A worker rather than a child
// process: it starts in a fraction of the time, its memory is counted with the run's,
// and a crash still ends only the host. Start it early (`startEmbeddedHost()`) and
// PGlite loads while the engine plans.
import { Worker } from 'node:worker_threads';
import { EmbeddedHostError } from '../../model/errors.ts';
import { fromHostFailure, type HostReply, type HostRequest, type HostResults } from './embedded-protocol.ts';

export interface EmbeddedHost {
  call<Op extends HostRequest['op']>(request: Extract<HostRequest, { op: Op }>): Promise<HostResults[Op]>;
  /** Stops every backend, closes PGlite and ends the thread. */
  close(): Promise<void>;
}

let shared: EmbeddedHost | undefined;

/** The process's host, started on first use; call early so it starts while other work runs. */
export function startEmbeddedHost(): EmbeddedHost {
  if (!shared) {
    const host: EmbeddedHost = spawnHost(() => {
      if (shared === host) shared = undefined;
    });
    shared = host;
  }
  return shared;
}

/** Ends the process's host, if one was started (a CLI does this before exiting). */
export async function closeEmbeddedHost(): Promise<void> {
  const host = shared;
  shared = undefined;
  await host?.close();
}

function spawnHost(onGone: () => void): EmbeddedHost {
  // No inherited flags: from the sources, the .mjs entry registers tsx itself (under the
  // CLI and vitest alike); the compiled package (dist/) starts the compiled worker.
  const entry = import.meta.url.endsWith('.ts') ? './embedded-worker.mjs' : './embedded-worker.js';
  const worker = new Worker(new URL(entry, import.meta.url), { execArgv: [] });
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  let nextId = 0;
  let gone: Error | null = null;
  // The thread keeps the process alive only while the engine waits on it.
  const settle = () => (pending.size === 0 ? worker.unref() : worker.ref());
  settle();

  worker.on('message', (reply: HostReply) => {
    const waiter = pending.get(reply.id);
    if (!waiter) return;
    pending.delete(reply.id);
    settle();
    if (reply.ok) waiter.resolve(reply.value);
    else waiter.reject(fromHostFailure(reply.error));
  });
  const fail = (error: Error) => {
    gone ??= error;
    onGone();
    for (const waiter of pending.values()) waiter.reject(gone);
    pending.clear();
  };
  // An exception nothing in the worker caught is a bug (internal error); the thread ending otherwise is the host's failure.
  worker.on('error', (error) => fail(new Error(`the embedded host failed: ${error.message}`, { cause: error })));
  worker.on('exit', (code) => fail(new EmbeddedHostError(`the embedded host ended (exit ${code})`)));

  const call = (request: HostRequest): Promise<unknown> => {
    if (gone) return Promise.reject(gone);
    const id = ++nextId;
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve, reject });
      settle();
      worker.postMessage({ id, request });
    });
  };
  let closing: Promise<void> | undefined;
  return {
    call: call as EmbeddedHost['call'],
    close() {
      closing ??= call({ op: 'close' })
        .catch(() => {})
        .then(() => worker.terminate())
        .then(() => {});
      return closing;
    },
  };
}
