// A PGlite started from a cached, initialised data directory. A cold start runs initdb
// in WASM beside a second PostgreSQL instance: seconds of CPU and most of the peak
// memory. Loading a dumped directory takes about a second, so the first cold start
// in a cache directory dumps its fresh directory there and later starts load it.
import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { homedir, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';

// The data directory lives in memory, so its size is memory. 8 MB of shared buffers
// (PGlite's default is 128 MB) is plenty for a users table; 1 MB WAL segments, few kept
// (defaults: 16 MB, 80 MB kept), and no template databases (7 MB each; nothing here
// creates a database) halve the directory.
const START_PARAMS = [...PGlite.defaultStartParams, '-c', 'shared_buffers=8MB', '-c', 'min_wal_size=2MB', '-c', 'max_wal_size=4MB'];
const INITDB_PARAMS = ['--wal-segsize=1'];
const SLIMMING_SQL = [
  'ALTER DATABASE template0 IS_TEMPLATE false',
  'DROP DATABASE template0',
  'ALTER DATABASE template1 IS_TEMPLATE false',
  'DROP DATABASE template1',
  'CHECKPOINT',
];

/** Where images are kept: WSAC_CACHE_DIR, else the user's cache directory. */
export function defaultImageCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.WSAC_CACHE_DIR) return env.WSAC_CACHE_DIR;
  const base = env.XDG_CACHE_HOME || (homedir() ? join(homedir(), '.cache') : tmpdir());
  return join(base, 'ws-auth-conformance');
}

/** The image's file name: a new PGlite build or new initdb settings make a new image. */
export function imageFileName(): string {
  // The package's exports hide package.json; it sits one level above the resolved entry.
  const entry = createRequire(import.meta.url).resolve('@electric-sql/pglite');
  const pkg = JSON.parse(readFileSync(join(dirname(entry), '..', 'package.json'), 'utf8')) as { version: string };
  const settings = createHash('sha256').update(JSON.stringify([INITDB_PARAMS, START_PARAMS, SLIMMING_SQL])).digest('hex').slice(0, 12);
  return `pglite-${pkg.version}-${settings}.tgz`;
}

export interface PgliteStartOptions {
  /** Directory of cached images, or null to always run initdb (nothing written). */
  cacheDir?: string | null;
}

/** An in-memory PGlite, from the cached image when there is one. */
export async function startPglite(options: PgliteStartOptions = {}): Promise<PGlite> {
  const cacheDir = options.cacheDir === undefined ? defaultImageCacheDir() : options.cacheDir;
  if (cacheDir === null) return coldStart();
  const file = join(cacheDir, imageFileName());
  const image = await readFile(file).catch(() => null);
  if (image) {
    try {
      return await PGlite.create({ loadDataDir: new Blob([image]), startParams: START_PARAMS });
    } catch {
      // A damaged image (e.g. a disk filled while writing): start cold and replace it.
    }
  }
  const db = await coldStart();
  await saveImage(db, file).catch(() => {});
  return db;
}

async function coldStart(): Promise<PGlite> {
  const db = await PGlite.create({ startParams: START_PARAMS, initDbStartParams: INITDB_PARAMS });
  // One at a time: DROP DATABASE refuses to run inside the implicit transaction of a batch.
  for (const statement of SLIMMING_SQL) await db.exec(statement);
  return db;
}

// Written to a unique name and renamed, so concurrent first starts never read half a file.
async function saveImage(db: PGlite, file: string): Promise<void> {
  const dump = await db.dumpDataDir('gzip');
  const partial = `${file}.${process.pid}-${randomBytes(4).toString('hex')}.partial`;
  await mkdir(dirname(file), { recursive: true });
  try {
    await writeFile(partial, new Uint8Array(await dump.arrayBuffer()));
    await rename(partial, file);
  } finally {
    await rm(partial, { force: true });
  }
  // Images of other PGlite versions or settings are never loaded again.
  for (const name of await readdir(dirname(file))) {
    if (/^pglite-.*\.tgz$/.test(name) && join(dirname(file), name) !== file) await rm(join(dirname(file), name), { force: true });
  }
}
