// The README's sample `run` output is pasted from a real run; this keeps its lines the
// lines a run prints today (each line's label, numbers aside), so a new or renamed
// summary line cannot leave the README behind.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runConformance } from '../engine.ts';
import { startEmbeddedTarget } from '../targets/embedded.ts';
import { formatSummary } from './format.ts';

/** What a summary line is, without its figures: `cases`, `  predicted`, `seed · profile · policy · fuzz runs`. */
function label(line: string): string {
  const colon = line.indexOf(':');
  if (colon > 0) return line.slice(0, colon);
  return line.replace(/\s*\b[0-9a-f]{16}\b|\s*\d+(\.\d+)?/g, '').trim();
}

async function readmeSample(): Promise<string[]> {
  const readme = await readFile(join(import.meta.dirname, '..', '..', 'README.md'), 'utf8');
  const after = readme.slice(readme.indexOf('model path and 200 fuzz cases, and prints:'));
  const block = /```\n([\s\S]*?)```/.exec(after)?.[1] ?? '';
  return block.trimEnd().split('\n');
}

describe('README sample run output', () => {
  it('labels each line as it reads', () => {
    expect(label('seed 1859786383 · profile default · policy 24fa292f6c42d042 · fuzz runs 200')).toBe('seed · profile default · policy · fuzz runs');
    expect(label('  predicted: reject-401 222, accept 107')).toBe('  predicted');
    expect(label('target: embedded reference backend on PGlite (ws://127.0.0.1:36011/ws)')).toBe('target');
  });

  it('has the lines a run against the reference backend prints, in order', async () => {
    const result = await runConformance({ target: () => startEmbeddedTarget(), seed: 1, runs: 20 });
    expect(result.kind).toBe('completed');
    const printed = formatSummary(result).trimEnd().split('\n');
    const sample = await readmeSample();
    expect(sample.length).toBeGreaterThan(5);
    expect(sample.map(label)).toEqual(printed.map(label));
  });
});
