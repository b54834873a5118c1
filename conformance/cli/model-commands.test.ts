import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { OUTCOMES } from '../../model/reasons.ts';

const run = promisify(execFile);
const BIN = 'conformance/cli/bin.mjs';

async function cli(...args: string[]) {
  return run(process.execPath, [BIN, ...args]).catch((e: { stdout: string; stderr: string; code: number }) => e);
}

describe('paths and diagram commands', () => {
  it.each(['default', 'rfc-strict'])('paths --json (%s) prints full coverage and paths for all five outcomes', async (profile) => {
    const { stdout } = await run(process.execPath, [BIN, 'paths', '--json', '--profile', profile]);
    const set = JSON.parse(stdout) as {
      coverage: { states: { covered: number; total: number }; transitions: { covered: number; total: number } };
      paths: Array<{ id: string; outcome: string; reason: string; states: string[]; facts: Record<string, unknown> }>;
    };
    expect(set.coverage.states.covered).toBe(set.coverage.states.total);
    expect(set.coverage.transitions.covered).toBe(set.coverage.transitions.total);
    expect(new Set(set.paths.map((p) => p.outcome))).toEqual(new Set(OUTCOMES));
    for (const p of set.paths) expect(Object.keys(p).sort()).toEqual(['facts', 'id', 'outcome', 'reason', 'states']);
  });

  it('diagram --out DIR writes files identical to docs/model', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'wsac-diagram-'));
    await run(process.execPath, [BIN, 'diagram', '--out', dir]);
    const names = (await readdir(dir)).sort();
    const committed = (await readdir('docs/model', { withFileTypes: true })).filter((e) => e.isFile()).map((e) => e.name);
    expect(names).toEqual(committed.sort());
    for (const name of names) {
      expect(await readFile(join(dir, name), 'utf8'), name).toBe(await readFile(join('docs/model', name), 'utf8'));
    }
  });

  it('a policy file with an override changes the paths; a bad one is refused naming the field', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'wsac-policy-'));
    const good = join(dir, 'good.json');
    await writeFile(good, JSON.stringify({ outcomes: { 'user-inactive': 'reject-401' } }));
    const { stdout } = await run(process.execPath, [BIN, 'paths', '--json', '--policy', good]);
    const inactive = (JSON.parse(stdout) as { paths: Array<{ reason: string; outcome: string }> }).paths.find((p) => p.reason === 'user-inactive');
    expect(inactive?.outcome).toBe('reject-401');

    const bad = join(dir, 'bad.json');
    await writeFile(bad, JSON.stringify({ clockSkew: 5 }));
    const failed = (await cli('paths', '--policy', bad)) as { code: number; stderr: string };
    expect(failed.code).toBe(2);
    expect(failed.stderr).toContain('policy.clockSkew: unknown field');
    expect(failed.stderr).toContain(bad);
  });
});
