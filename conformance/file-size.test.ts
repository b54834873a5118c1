// No source file over 300 lines (the project's standard): a longer file holds more than
// one idea and is split along its seams. Tests count too: a long test is as hard to
// read, and the helpers it grows belong in a testing/ module beside it.
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..');
const MAX_LINES = 300;
const FOLDERS = ['model', 'src', 'conformance', 'containers', 'docs', '.ci'];
const SOURCE = /\.(ts|mts|mjs|js|sh|sql)$|^run$|^Dockerfile$/;

function lineCount(text: string): number {
  return text.length === 0 ? 0 : text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
}

/** `file: N lines` for each text over the limit. */
function oversized(files: ReadonlyArray<{ file: string; text: string }>): string[] {
  return files.filter((f) => lineCount(f.text) > MAX_LINES).map((f) => `${f.file}: ${lineCount(f.text)} lines`);
}

async function sourceFiles(): Promise<Array<{ file: string; text: string }>> {
  const out: Array<{ file: string; text: string }> = [];
  for (const folder of FOLDERS) {
    for (const e of await readdir(join(ROOT, folder), { withFileTypes: true, recursive: true })) {
      const file = relative(ROOT, join(e.parentPath, e.name));
      if (!e.isFile() || !SOURCE.test(e.name) || file.split('/').includes('node_modules')) continue;
      out.push({ file, text: await readFile(join(ROOT, file), 'utf8') });
    }
  }
  return out;
}

describe('file size', () => {
  it('counts lines as an editor does, and flags 301 but not 300', () => {
    expect(lineCount('a\nb\n')).toBe(2);
    expect(lineCount('a\nb')).toBe(2);
    const lines = (n: number) => 'x\n'.repeat(n);
    expect(oversized([{ file: 'ok.ts', text: lines(300) }, { file: 'long.ts', text: lines(301) }])).toEqual(['long.ts: 301 lines']);
  });

  it(`no source file (tests included) is over ${MAX_LINES} lines`, async () => {
    const files = await sourceFiles();
    expect(files.some((f) => f.file === join('conformance', 'engine.ts'))).toBe(true); // the scan sees the sources
    expect(oversized(files)).toEqual([]);
  });
});
