// Issue 11's check, through the CLI as a pipeline runs it: a mutant's run with
// GITHUB_ACTIONS=true writes SARIF with results, HTML, JUnit, annotations and the step
// summary; the same run against its own report as baseline passes; two shards merged
// are the one run with the same seed.
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { isTimingDependent } from '../cases/facts-util.ts';
import type { CompletedDocument } from '../report/document.ts';
import { sarifSchemaErrors } from '../testing/sarif-schema.ts';

const BIN = join(import.meta.dirname, 'bin.mjs');
// A generous client deadline: a loaded CI machine must not turn a slow answer into a hang.
const RUN = ['run', '--mutant', 'alg-none', '--seed', '7', '--runs', '10', '--deadline-ms', '4000', '--quiet'];

function cli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('WSAC_') && !k.startsWith('GITHUB_')));
  const child = spawn(process.execPath, [BIN, ...args], { env: { ...clean, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c));
  child.stderr.on('data', (c: Buffer) => (stderr += c));
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, stdout, stderr })));
}

const readJson = async <T>(file: string): Promise<T> => JSON.parse(await readFile(file, 'utf8')) as T;
const JWT = /eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\./;

describe('the CI gate through the CLI', () => {
  let dir = '';
  let report = '';
  let summary = '';
  let r: Awaited<ReturnType<typeof cli>>;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'wsac-ci-'));
    report = join(dir, 'report');
    summary = join(dir, 'summary.md');
    r = await cli([...RUN, '--report', report], { GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: summary });
  }, 180_000);

  it('GITHUB_ACTIONS=true run --mutant alg-none --report DIR: SARIF with results, HTML, JUnit, ::error lines, step summary; again with --baseline: exit 0', async () => {
    expect(r.code, r.stderr).toBe(1);
    expect((await readdir(report)).sort()).toEqual(['counterexamples', 'index.html', 'junit.xml', 'report.json', 'results.sarif']);

    const sarif = await readJson<{ runs: Array<{ results: Array<{ ruleId: string; level: string }> }> }>(join(report, 'results.sarif'));
    expect(sarifSchemaErrors(sarif)).toEqual([]);
    const results = sarif.runs[0]!.results;
    expect(results.length).toBeGreaterThan(0);
    expect(results.some((x) => x.ruleId === 'alg-none' && x.level === 'error')).toBe(true);
    const annotations = r.stdout.split('\n').filter((l) => /^::(error|warning) /.test(l));
    expect(annotations).toHaveLength(results.length);
    expect(annotations.some((l) => l.startsWith('::error title=alg none accepted%3A unsigned tokens pass::'))).toBe(true);
    expect(await readFile(summary, 'utf8')).toMatch(/^## ws-auth-conformance: ❌ FAIL/);
    expect(await readFile(join(report, 'junit.xml'), 'utf8')).toMatch(/<failure message="FAILED-SECURITY/);
    expect(await readFile(join(report, 'index.html'), 'utf8')).toContain('<svg class="statechart"');
    for (const f of ['report.json', 'junit.xml', 'results.sarif', 'index.html']) expect(await readFile(join(report, f), 'utf8'), f).not.toMatch(JWT);
    expect(r.stdout).not.toMatch(JWT);

    const again = await cli([...RUN, '--baseline', join(report, 'report.json')]);
    expect(again.stdout).toMatch(/^gate: 0 new, \d+ known .* -> PASS$/m);
    expect(again.code, again.stdout).toBe(0);
  }, 240_000);

  it('--shard 1/2 and --shard 2/2 merged: the cases, facts and verdicts of one run with the same seed; merge exits like run', async () => {
    const one = r;
    const s1 = await cli([...RUN, '--shard', '1/2', '--report', join(dir, 's1')]);
    const s2 = await cli([...RUN, '--report', join(dir, 's2')], { WSAC_SHARD: '2/2' });
    expect([one.code, s1.code, s2.code].every((c) => c === 0 || c === 1), one.stderr + s1.stderr + s2.stderr).toBe(true);
    const merged = await cli(['merge', join(dir, 's1'), join(dir, 's2'), '--report', join(dir, 'merged')]);
    expect(merged.code, merged.stdout + merged.stderr).toBe(one.code);
    const half = await cli(['merge', join(dir, 's1'), '--report', join(dir, 'half')]);
    expect(half).toMatchObject({ code: 2, stderr: expect.stringContaining('shard 2/2 missing') });

    const [a, m, p1, p2] = await Promise.all(['report', 'merged', 's1', 's2'].map((d) => readJson<CompletedDocument>(join(dir, d, 'report.json'))));
    // Each shard ran its own share (the canary in both), and together they ran the plan.
    const keys = (d: CompletedDocument) => d.cases.map((c) => c.key).sort();
    expect(keys(p1!).filter((k) => keys(p2!).includes(k))).toEqual(['canary']);
    expect(keys(m!)).toEqual(keys(a!));
    const byKey = new Map(a!.cases.map((c) => [c.key, c]));
    for (const c of m!.cases) {
      const base = byKey.get(c.key)!;
      expect(c.facts, c.key).toEqual(base.facts);
      expect(c.expected, c.key).toEqual(base.expected);
      // Clock-bound cases (stalls, session expiry, first-message) are re-run by the engine; the rest must agree exactly.
      if (!isTimingDependent(c.facts)) expect(c.verdict, c.key).toEqual(base.verdict);
    }
    expect(m!.summary.coverage).toEqual(a!.summary.coverage);
    expect(m!.summary.modelCoverage).toEqual(a!.summary.modelCoverage);
    expect(m!.shard).toEqual({ merged: [1, 2], count: 2 });
  }, 300_000);

  it('bad settings are named: a shard out of range, an environment value that is not a number; run --help lists the environment', async () => {
    const shard = await cli(['run', '--shard', '3/2']);
    expect(shard).toMatchObject({ code: 2, stderr: expect.stringContaining('--shard must be K/N with 1 <= K <= N (e.g. 2/4), got "3/2"') });
    const env = await cli(['run'], { WSAC_RUNS: 'many' });
    expect(env).toMatchObject({ code: 2, stderr: expect.stringContaining('WSAC_RUNS (environment) must be an integer >= 0, got "many"') });
    const help = await cli(['run', '--help']);
    for (const name of ['WSAC_SEED', 'WSAC_RUNS', 'WSAC_TARGET', 'WSAC_CONCURRENCY', 'WSAC_REPORT', 'WSAC_SHARD', 'WSAC_BASELINE']) expect(help.stdout).toContain(name);
  });
});
