// The documented GitHub Actions workflow (docs/ci/github-actions.yml) stays runnable:
// every ws-auth-conformance command it runs exists with the flags it passes, the shards
// it runs are the ones it merges, and the SARIF it uploads is the one merge writes.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseShard } from '../cases/shard.ts';
import { ENV_FLAGS } from './env.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const BIN = join(import.meta.dirname, 'bin.mjs');
const FILE = join(ROOT, 'docs', 'ci', 'github-actions.yml');

interface Step {
  run?: string;
  uses?: string;
  with?: Record<string, string | number>;
}
interface Job {
  steps: Step[];
  strategy?: { matrix?: { shard?: number[] } };
  permissions?: Record<string, string>;
  env?: Record<string, string>;
}
const workflow = parse(readFileSync(FILE, 'utf8')) as { env: Record<string, string>; jobs: Record<string, Job> };

/** `npx ws-auth-conformance CMD ARGS` lines, with a matrix value filled in. */
function cliLines(job: Job, shard: number): string[][] {
  return job.steps
    .flatMap((s) => (s.run ?? '').split('\n'))
    .map((l) => l.replace(/\$\{\{\s*matrix\.shard\s*\}\}/g, String(shard)).trim())
    .filter((l) => l.startsWith('npx ws-auth-conformance '))
    .map((l) => l.split(/\s+/).slice(2));
}

const help = (command: string) => spawnSync(process.execPath, [BIN, command, '--help'], { encoding: 'utf8' });

describe('docs/ci/github-actions.yml', () => {
  const jobs = Object.values(workflow.jobs);
  const shardJob = jobs.find((j) => j.strategy?.matrix?.shard)!;
  const shards = shardJob.strategy!.matrix!.shard!;
  const gateJob = jobs.find((j) => j.steps.some((s) => s.uses?.startsWith('github/codeql-action/upload-sarif')))!;

  it('runs only commands and flags the CLI has', () => {
    const lines = [...cliLines(shardJob, 1), ...cliLines(gateJob, 1)];
    expect(lines.map((l) => l[0])).toEqual(['run', 'merge']);
    for (const [command, ...args] of lines) {
      const h = help(command!);
      expect(h.status, `${command} --help`).toBe(0);
      for (const flag of args.filter((a) => a.startsWith('--'))) expect(h.stdout, `${command} ${flag}`).toContain(flag);
    }
    for (const name of Object.keys({ ...workflow.env, ...shardJob.env }).filter((n) => n.startsWith('WSAC_'))) {
      expect([...Object.keys(ENV_FLAGS), 'WSAC_GITHUB'], name).toContain(name);
      expect(help('run').stdout, name).toContain(name);
    }
  });

  it('the matrix runs shards 1..N of N, uploads each, and the gate merges exactly those', () => {
    expect(shards).toEqual(Array.from({ length: shards.length }, (_, i) => i + 1));
    const runs = shards.map((k) => cliLines(shardJob, k).find((l) => l[0] === 'run')!);
    runs.forEach((args, i) => expect(parseShard(args[args.indexOf('--shard') + 1]!)).toEqual({ index: i + 1, count: shards.length }));
    const upload = shardJob.steps.find((s) => s.uses?.startsWith('actions/upload-artifact'))!;
    const download = gateJob.steps.find((s) => s.uses?.startsWith('actions/download-artifact'))!;
    const merge = cliLines(gateJob, 0).find((l) => l[0] === 'merge')!;
    const inputs = merge.slice(1, merge.findIndex((a) => a.startsWith('--')));
    expect(inputs).toEqual(shards.map((k) => `${download.with!.path}/${String(upload.with!.name).replace('${{ matrix.shard }}', String(k))}`));
    const reportDirs = runs.map((args) => args[args.indexOf('--report') + 1]);
    expect(reportDirs).toEqual(shards.map((k) => String(upload.with!.path).replace('${{ matrix.shard }}', String(k))));
  });

  it('uploads the SARIF merge writes, with the permission code scanning needs', () => {
    const merge = cliLines(gateJob, 0).find((l) => l[0] === 'merge')!;
    const out = merge[merge.indexOf('--report') + 1];
    const sarif = gateJob.steps.find((s) => s.uses?.startsWith('github/codeql-action/upload-sarif'))!;
    expect(sarif.with!.sarif_file).toBe(`${out}/results.sarif`);
    expect(gateJob.permissions?.['security-events']).toBe('write');
    for (const s of jobs.flatMap((j) => j.steps).filter((x) => x.uses)) expect(s.uses).toMatch(/@v\d+$/);
  });
});
