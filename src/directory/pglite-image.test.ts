// The cached PGlite image: the first start in a cache directory writes it, later starts
// load it and get the same working database; a damaged image is replaced, not fatal.
import { mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { imageFileName, startPglite } from './pglite-image.ts';

const dirs: string[] = [];
afterAll(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

async function cacheDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'wsac-pglite-image-'));
  dirs.push(dir);
  return dir;
}

async function databases(cache: string): Promise<string[]> {
  const db = await startPglite({ cacheDir: cache });
  try {
    const { rows } = await db.query<{ datname: string }>('SELECT datname FROM pg_database ORDER BY datname');
    return rows.map((r) => r.datname);
  } finally {
    await db.close();
  }
}

describe('PGlite image cache', () => {
  it('the first start writes the image; a start from it has the same slim database', async () => {
    const cache = await cacheDir();
    expect(await databases(cache)).toEqual(['postgres']);
    expect(await readdir(cache)).toEqual([imageFileName()]);
    const written = await stat(join(cache, imageFileName()));
    expect(await databases(cache)).toEqual(['postgres']);
    // Loaded, not rewritten.
    expect((await stat(join(cache, imageFileName()))).mtimeMs).toBe(written.mtimeMs);
  });

  it('a damaged image is replaced by a cold start', async () => {
    const cache = await cacheDir();
    await writeFile(join(cache, imageFileName()), 'not a tarball');
    await writeFile(join(cache, 'pglite-0.0.0-old.tgz'), 'an image of another version');
    expect(await databases(cache)).toEqual(['postgres']);
    expect(await readdir(cache)).toEqual([imageFileName()]);
    expect((await stat(join(cache, imageFileName()))).size).toBeGreaterThan(100_000);
  });
});
