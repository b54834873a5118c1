// Layering of conformance/: which top folders import which (tests excluded). A folder
// pair importing both ways ties two ideas into one; this fails on any new such pair,
// and on a listed pair that no longer is one (so the list only shrinks). Also: the
// backend (src/) never imports the conformance tool, and model/ imports neither.
import { readdir, readFile } from 'node:fs/promises';
import { dirname, join, normalize, relative, sep } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..');

/** Pairs that still import both ways (issue 13 "one home per idea"): to be untangled, never added to. */
const KNOWN_CYCLES = ['cases <-> judge', 'cases <-> targets', 'cli <-> report', 'config <-> targets', 'drive <-> targets'];

async function sources(dir: string): Promise<string[]> {
  const entries = await readdir(join(ROOT, dir), { withFileTypes: true, recursive: true });
  return entries
    .filter((e) => e.isFile() && /\.(ts|mjs)$/.test(e.name) && !/\.test(-support)?\.ts$/.test(e.name))
    .map((e) => relative(ROOT, join(e.parentPath, e.name)));
}

/** Relative imports of a file, as repository paths. */
async function importsOf(file: string): Promise<string[]> {
  const text = await readFile(join(ROOT, file), 'utf8');
  const specs = [...text.matchAll(/(?:^(?:import|export)\b[^'"]*?\bfrom\s*|\bimport\s*\(\s*)'(\.[^']+)'/gm)].map((m) => m[1]!);
  return specs.map((s) => normalize(join(dirname(file), s)));
}

const topFolder = (path: string, under: string) => relative(under, path).split(sep)[0]!;

describe('layering', () => {
  it('no two top folders of conformance/ import each other, beyond the known pairs', async () => {
    const edges = new Set<string>();
    for (const file of await sources('conformance')) {
      const from = topFolder(file, 'conformance');
      if (!file.slice('conformance/'.length).includes(sep)) continue; // root files (engine.ts, index.ts) sit above the folders
      for (const target of await importsOf(file)) {
        if (!target.startsWith(`conformance${sep}`) || !relative('conformance', target).includes(sep)) continue;
        const to = topFolder(target, 'conformance');
        if (to !== from) edges.add(`${from} -> ${to}`);
      }
    }
    const cycles = [...edges]
      .map((e) => e.split(' -> ') as [string, string])
      .filter(([a, b]) => a < b && edges.has(`${b} -> ${a}`))
      .map(([a, b]) => `${a} <-> ${b}`)
      .sort();
    expect(cycles).toEqual([...KNOWN_CYCLES].sort());
  });

  it('the backend never imports the conformance tool, and the spec imports neither', async () => {
    const offending: string[] = [];
    for (const [dir, forbidden] of [['src', ['conformance', 'containers']], ['model', ['conformance', 'containers', 'src']]] as const) {
      for (const file of await sources(dir)) {
        for (const target of await importsOf(file)) if (forbidden.some((f) => target.startsWith(`${f}${sep}`))) offending.push(`${file} -> ${target}`);
      }
    }
    expect(offending).toEqual([]);
  });
});
