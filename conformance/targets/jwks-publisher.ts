// The JWKS the tool gives a target that reads one (policy.kid "jwks"): served over
// HTTP at /.well-known/jwks.json, or written to a file the user names. The key-rotation
// steps change it mid-run. Public keys only: a private member is never published, and
// nothing here prints a key.
import { randomBytes } from 'node:crypto';
import { rename, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { JWK } from 'jose';
import { ConfigError } from '../../model/errors.ts';

export const JWKS_PATH = '/.well-known/jwks.json';

export interface JwksPublisher {
  /** Where the target reads it: `http://host:port/.well-known/jwks.json`, or the file's path. */
  readonly location: string;
  readonly kind: 'http' | 'file';
  /** The public keys published now. */
  keys(): JWK[];
  /** Publishes this set from now on (the file is replaced atomically). */
  publish(keys: JWK[]): Promise<void>;
  /** performance.now() of the target's last fetch; null for a file (reads are not seen) or before the first. */
  lastFetchMs(): number | null;
  /** Fetches seen so far (0 for a file). */
  fetches(): number;
  close(): Promise<void>;
}

const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'k', 'oth'];

function publicSet(keys: JWK[]): JWK[] {
  for (const key of keys) {
    // A bug, not a user's mistake: the tool hands only public halves here.
    if (PRIVATE_MEMBERS.some((m) => m in key)) throw new Error('refusing to publish a JWK with a private or symmetric member');
  }
  return keys.map((k) => ({ ...k }));
}

export interface ServeOptions {
  /** Default 0: any free port. */
  port?: number;
  /** Default 127.0.0.1; a container or another host needs an address it can reach. */
  host?: string;
}

/** Serves the JWKS at JWKS_PATH on a real HTTP server; every other path is 404. */
export async function serveJwks(initial: JWK[], options: ServeOptions = {}): Promise<JwksPublisher> {
  let current = publicSet(initial);
  let last: number | null = null;
  let count = 0;
  const server = createServer((req, res) => {
    if (req.method !== 'GET' || new URL(req.url ?? '/', 'http://x').pathname !== JWKS_PATH) {
      res.writeHead(404).end();
      return;
    }
    count += 1;
    last = performance.now();
    res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify({ keys: current }));
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(new ConfigError('target.keys.jwks.serve', `cannot serve the JWKS on ${host}:${options.port ?? 0} (${error.code ?? error.message})`, 'pick a free port, or 0 for any')),
    );
    server.listen(options.port ?? 0, host, resolve);
  });
  const { port } = server.address() as AddressInfo;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return {
    location: `http://${shownHost}:${port}${JWKS_PATH}`,
    kind: 'http',
    keys: () => current.map((k) => ({ ...k })),
    async publish(keys) {
      current = publicSet(keys);
    },
    lastFetchMs: () => last,
    fetches: () => count,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/**
 * Writes the JWKS to `file`, replaced atomically on each change. On close the file holds
 * the first set again, so a backend that reads it at start-up finds the first key there.
 */
export async function writeJwksFile(initial: JWK[], file: string): Promise<JwksPublisher> {
  const first = publicSet(initial);
  let current = first;
  const write = async () => {
    const temp = `${file}.${randomBytes(4).toString('hex')}.tmp`;
    await writeFile(temp, `${JSON.stringify({ keys: current }, null, 2)}\n`, { mode: 0o644 });
    await rename(temp, file);
  };
  try {
    await write();
  } catch (error) {
    throw new ConfigError('target.keys.jwks.file', `cannot write the JWKS to ${file} (${(error as Error).message})`, 'name a file in a writable directory');
  }
  return {
    location: file,
    kind: 'file',
    keys: () => current.map((k) => ({ ...k })),
    async publish(keys) {
      current = publicSet(keys);
      await write();
    },
    lastFetchMs: () => null,
    fetches: () => 0,
    async close() {
      current = first;
      await write().catch(() => rm(file, { force: true }));
    },
  };
}
