// What the example tests share: start an example app as its own process (as a user
// starts their backend), run the CLI against it with the example's config, and
// compare the divergences with the findings the example's README lists.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { FactName } from '../../model/facts.ts';

const HERE = import.meta.dirname;
const BIN = join(HERE, '..', 'cli', 'bin.mjs');

/** One finding an example's README documents. */
export interface KnownFinding {
  /** The model reason whose outcome the backend misses, and what it answers instead. */
  reason: string;
  observed: string;
  /** The fact value that produces it: a fuzz case combining several defects shows it too (null: every case). */
  fact: [FactName, string] | null;
  /**
   * `defect`: the library (as documented) breaks the contract its options state.
   * `inexpressible`: what the backend does is a contract the policy cannot state yet.
   */
  kind: 'defect' | 'inexpressible';
}

export interface ReportCase {
  key: string;
  source: { kind: string };
  facts: Record<string, unknown>;
  expected: { reason: string; outcome: string };
  observed: string;
  divergent: boolean;
  /** The fact whose setting back to canonical made the backend answer as predicted (engine/cause.ts). */
  cause?: { fact: string | null; value: string | null };
}

export interface Report {
  kind: string;
  exitCode: number;
  preflight: { canary: { ok: boolean; detail: string } | null };
  summary: { declared?: Array<{ id: string }> };
  cases: ReportCase[];
}

export interface ExampleApp {
  url: string;
  secret: string;
  stop(): void;
}

/** Starts `launch.ts <name>` on a free port with a fresh secret. */
export function startExample(name: string, fixed = false, env: Record<string, string> = {}): Promise<ExampleApp> {
  const secret = randomBytes(32).toString('hex');
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', join(HERE, 'launch.ts'), name, ...(fixed ? ['--fixed'] : [])], {
    env: { ...process.env, ...env, WSAC_SECRET: secret, PORT: '0' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`example ${name} exited with ${code}`)));
    createInterface({ input: child.stdout! }).once('line', (line) => {
      const { url } = JSON.parse(line) as { url: string };
      resolve({ url, secret, stop: () => child.kill('SIGTERM') });
    });
  });
}

/** `run --config <example>/ws-auth-conformance.config.ts --target url=...` (or another config), its report.json. */
export async function runTool(example: string, app: ExampleApp, seed: number, runs: number, config = join(HERE, example, 'ws-auth-conformance.config.ts'), env: Record<string, string> = {}): Promise<{ report: Report; output: string }> {
  const dir = await mkdtemp(join(tmpdir(), `wsac-${example}-`));
  const args = [BIN, 'run', '--config', config, '--target', `url=${app.url}`];
  // A patient client: these apps answer at once, but on a busy CI runner a starved
  // process can take longer than the default 1.5 s, which the tool would call a hang.
  args.push('--seed', String(seed), '--runs', String(runs), '--deadline-ms', '5000', '--quiet', '--report', dir);
  const child = spawn(process.execPath, args, { env: { ...process.env, ...env, WSAC_SECRET: app.secret }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (c: Buffer) => (output += c));
  child.stderr!.on('data', (c: Buffer) => (output += c));
  await new Promise((resolve) => child.once('exit', resolve));
  if (output.includes(app.secret)) throw new Error('the secret appeared in the output');
  const report = JSON.parse(await readFile(join(dir, 'report.json'), 'utf8').catch(() => 'null')) as Report | null;
  if (!report) throw new Error(`no report.json:\n${output}`);
  return { report, output };
}

export const signature = (f: { reason: string; observed: string }) => `${f.reason} -> ${f.observed}`;

/** The distinct findings of the canary, the model-path and the edge cases (each isolates one defect). */
export function pathFindings(report: Report): string[] {
  const found = report.cases.filter((c) => c.divergent && (c.source.kind === 'path' || c.source.kind === 'canary' || c.source.kind === 'edge')).map((c) => signature({ reason: c.expected.reason, observed: c.observed }));
  return [...new Set(found)].sort();
}

/** Divergent cases (fuzz and twins too) that none of the known findings explains. */
export function unexplained(report: Report, known: readonly KnownFinding[]): string[] {
  return report.cases
    .filter((c) => c.divergent && !known.some((k) => k.fact === null || c.facts[k.fact[0]] === k.fact[1]))
    .map((c) => `${c.key}: expected ${c.expected.outcome} (${c.expected.reason}), observed ${c.observed}`);
}

/** The cause is the fact, or a near miss's spelling of it (`iss:object` for iss=wrong). */
function causeIs(c: ReportCase, [fact, value]: [FactName, string]): boolean {
  if (c.cause!.fact === 'spelling') return c.cause!.value!.split(':')[0] === fact && c.facts[fact] === value;
  return c.cause!.fact === fact && c.cause!.value === value;
}

/** Divergent cases whose true cause (one fact set back) is not the fact of a known finding. */
export function wrongCauses(report: Report, known: readonly KnownFinding[]): string[] {
  return report.cases
    .filter((c) => c.divergent && c.cause?.fact && !known.some((k) => k.fact === null || causeIs(c, k.fact)))
    .map((c) => `${c.key}: cause ${c.cause!.fact}=${c.cause!.value}`);
}

/**
 * The test of one example: the documented app shows exactly `known`, the correct backend
 * of its shape (--fixed) nothing, and the summary lists exactly the `declared` weaker contracts.
 */
export async function checkExample(
  example: string,
  known: readonly KnownFinding[],
  declared: readonly string[],
  options: { fixed: boolean; seed: number; runs: number; env?: Record<string, string> },
): Promise<Report> {
  const { expect } = await import('vitest');
  const app = await startExample(example, options.fixed, options.env);
  try {
    const { report, output } = await runTool(example, app, options.seed, options.runs, undefined, options.env);
    const expected = options.fixed ? [] : known;
    expect(report.kind, output).toBe('completed');
    expect(report.preflight.canary?.ok, output).toBe(!expected.some((k) => k.fact === null));
    expect(pathFindings(report), output).toEqual([...new Set(expected.map(signature))].sort());
    expect(unexplained(report, expected), output).toEqual([]);
    // Where one fact set back explains a divergence, that fact is the finding's, whatever else the case had.
    expect(wrongCauses(report, expected), output).toEqual([]);
    expect(report.exitCode).toBe(expected.length > 0 ? 1 : 0);
    expect((report.summary.declared ?? []).map((d) => d.id).sort()).toEqual([...declared].sort());
    return report;
  } finally {
    app.stop();
  }
}
