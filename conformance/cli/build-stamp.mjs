// Whether dist/ was compiled from the sources exactly as they are now. In a checkout the
// launcher runs dist/ only then (no TypeScript loader in the engine's or the embedded
// host's thread: about 100 MB less memory and a quicker start); after any edit it runs
// the sources, so a contributor never runs a stale build. `npm run build` writes the stamp.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const STAMP = join(ROOT, 'dist', '.sources-digest');
const SOURCE_DIRS = ['model', 'src', 'conformance', 'containers'];
const SOURCE_FILES = ['package.json', 'tsconfig.json', 'tsconfig.build.json'];

/** A digest of every file tsc compiles from (and then some: tests too, to be safe). */
export function sourcesDigest() {
  const hash = createHash('sha256');
  const files = SOURCE_DIRS.flatMap((dir) =>
    readdirSync(join(ROOT, dir), { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile() && /\.(ts|mts|mjs|js|json)$/.test(e.name))
      .map((e) => join(e.parentPath, e.name)),
  );
  for (const file of [...files, ...SOURCE_FILES.map((f) => join(ROOT, f))].sort()) {
    hash.update(file.slice(ROOT.length)).update('\0').update(readFileSync(file)).update('\0');
  }
  return hash.digest('hex');
}

/** True when dist/ holds a build of the current sources. */
export function distIsCurrent() {
  try {
    return readFileSync(STAMP, 'utf8') === sourcesDigest();
  } catch {
    return false;
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) writeFileSync(STAMP, sourcesDigest());
