// Layering of conformance/: which top folders import which (tests excluded). Two folders
// importing each other, directly or through others, tie their ideas into one: any such
// cycle fails. Also: the backend (src/) never imports the conformance tool, and model/
// imports neither.
import { readdir, readFile } from 'node:fs/promises';
import { dirname, join, normalize, relative, sep } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..');

async function sources(dir: string): Promise<string[]> {
  const entries = await readdir(join(ROOT, dir), { withFileTypes: true, recursive: true });
  return entries
    .filter((e) => e.isFile() && /\.(ts|mjs)$/.test(e.name) && !/\.test(-support)?\.ts$/.test(e.name))
    .map((e) => relative(ROOT, join(e.parentPath, e.name)));
}

/** Relative imports of a file, as repository paths. */
async function importsOf(file: string): Promise<string[]> {
  const text = await readFile(join(ROOT, file), 'utf8');
  const specs = [...text.matchAll(/(?:^(?:import|export)\b[^'"]*?\bfrom\s*|^import\s*|\bimport\s*\(\s*)'(\.[^']+)'/gm)].map((m) => m[1]!);
  return specs.map((s) => normalize(join(dirname(file), s)));
}

const topFolder = (path: string, under: string) => relative(under, path).split(sep)[0]!;

/** Edges `from -> to` between top folders of conformance/ (root files such as engine.ts sit above the folders). */
async function folderEdges(): Promise<Map<string, Set<string>>> {
  const edges = new Map<string, Set<string>>();
  for (const file of await sources('conformance')) {
    if (!file.slice('conformance/'.length).includes(sep)) continue;
    const from = topFolder(file, 'conformance');
    for (const target of await importsOf(file)) {
      if (!target.startsWith(`conformance${sep}`) || !relative('conformance', target).includes(sep)) continue;
      const to = topFolder(target, 'conformance');
      if (to !== from) edges.set(from, new Set([...(edges.get(from) ?? []), to]));
    }
  }
  return edges;
}

/** Every folder that reaches itself through imports, with one such cycle (`cases -> judge -> cases`). */
function importCycles(edges: ReadonlyMap<string, ReadonlySet<string>>): string[] {
  const cycles: string[] = [];
  for (const start of [...edges.keys()].sort()) {
    // Breadth first from start, remembering how each folder was reached: the shortest way back.
    const via = new Map<string, string>();
    const queue = [start];
    while (queue.length && !via.has(start)) {
      const at = queue.shift()!;
      for (const next of [...(edges.get(at) ?? [])].sort()) {
        if (via.has(next)) continue;
        via.set(next, at);
        queue.push(next);
      }
    }
    if (!via.has(start)) continue;
    const path = [start];
    for (let at = via.get(start)!; at !== start; at = via.get(at)!) path.unshift(at);
    cycles.push([start, ...path].join(' -> '));
  }
  return cycles;
}

describe('layering', () => {
  it('finds a pair importing both ways and a longer cycle, and nothing in a layered graph', () => {
    const graph = (pairs: string[]) => new Map(pairs.map((p) => [p.split(' ')[0]!, new Set(p.split(' ').slice(1))]));
    expect(importCycles(graph(['cases judge model', 'judge cases', 'model']))).toEqual(['cases -> judge -> cases', 'judge -> cases -> judge']);
    expect(importCycles(graph(['cli report', 'report judge', 'judge cli']))).toContain('cli -> report -> judge -> cli');
    expect(importCycles(graph(['cli report judge', 'report judge', 'judge model']))).toEqual([]);
  });

  it('no top folder of conformance/ imports itself through others (no pair importing both ways)', async () => {
    const edges = await folderEdges();
    expect(edges.get('cases')).toContain('relations'); // the scan sees real imports
    expect(importCycles(edges)).toEqual([]);
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
