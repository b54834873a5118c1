// The stress script's runs: the CLI as a user runs it (a child process), its exit code,
// its report.json, its wall time and the peak RSS of every process of the run.
import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../cli/bin.mjs', import.meta.url));
export const URL_EXAMPLE = fileURLToPath(new URL('../examples/url-target/', import.meta.url));

// Loaded into every Node process of a run (NODE_OPTIONS is inherited): at exit, each
// appends its pid and peak RSS (KiB) to the file named by WSAC_STRESS_RSS_FILE.
const RSS_HOOK = `data:text/javascript,${encodeURIComponent(
  "import { appendFileSync } from 'node:fs'; process.on('exit', () => { try { appendFileSync(process.env.WSAC_STRESS_RSS_FILE, process.pid + ' ' + process.resourceUsage().maxRSS + '\\n'); } catch {} });",
)}`;

export interface CliRun {
  exitCode: number;
  wallMs: number;
  stdout: string;
  stderr: string;
  /** Peak RSS of the run's processes, summed (MiB), when measured. */
  peakRssMiB: number | null;
}

export async function runCli(args: string[], options: { env?: NodeJS.ProcessEnv; measureRss?: boolean; timeoutMs?: number } = {}): Promise<CliRun> {
  const scratch = await mkdtemp(join(tmpdir(), 'wsac-stress-'));
  const rssFile = join(scratch, 'rss.txt');
  const env: NodeJS.ProcessEnv = { ...process.env, ...options.env };
  if (options.measureRss) {
    env.NODE_OPTIONS = `${env.NODE_OPTIONS ?? ''} --import=${RSS_HOOK}`.trim();
    env.WSAC_STRESS_RSS_FILE = rssFile;
  }
  const started = performance.now();
  const timeoutMs = options.timeoutMs ?? 60 * 60_000;
  const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'], timeout: timeoutMs });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const exitCode = await new Promise<number>((resolve) =>
    child.once('close', (code, signal) => {
      if (signal) stderr += `\nerror: ended by ${signal}${signal === 'SIGTERM' ? ` (the stress script's time limit, ${timeoutMs / 60_000} min)` : ''}`;
      resolve(code ?? -1);
    }),
  );
  const wallMs = performance.now() - started;
  let peakRssMiB: number | null = null;
  if (options.measureRss) {
    const lines = (await readFile(rssFile, 'utf8').catch(() => '')).trim().split('\n').filter(Boolean);
    if (lines.length) peakRssMiB = lines.reduce((sum, l) => sum + Number(l.split(' ')[1]), 0) / 1024;
  }
  await rm(scratch, { recursive: true, force: true });
  return { exitCode, wallMs, stdout, stderr, peakRssMiB };
}

export interface GateRun extends CliRun {
  divergences: number;
  /** One line per divergence: key, expected, observed, confirmation. */
  divergenceLines: string[];
  notReproduced: number | null;
  hangs: number;
}

/** `run --quiet --seed N --report DIR` plus `extra`; counts from its report.json. */
export async function runGate(seed: number, extra: string[] = [], options: Parameters<typeof runCli>[1] = {}): Promise<GateRun> {
  const reportDir = await mkdtemp(join(tmpdir(), 'wsac-stress-report-'));
  try {
    const run = await runCli(['run', '--quiet', '--seed', String(seed), '--report', reportDir, ...extra], options);
    const report = JSON.parse(await readFile(join(reportDir, 'report.json'), 'utf8').catch(() => 'null')) as {
      divergences?: Array<{ key: string; expected: string; observed: string; confirmation?: { status: string; reproduced: number; attempts: number } }>;
      notReproduced?: unknown[];
      summary?: { observed?: Record<string, number> };
    } | null;
    return {
      ...run,
      divergences: report?.divergences?.length ?? 0,
      divergenceLines: (report?.divergences ?? []).map((d) => {
        const c = d.confirmation;
        return `${d.key}: expected ${d.expected}, observed ${d.observed}${c ? ` (${c.status} ${c.reproduced}/${c.attempts})` : ''}`;
      }),
      notReproduced: report?.notReproduced?.length ?? null,
      hangs: report?.summary?.observed?.hang ?? 0,
    };
  } finally {
    await rm(reportDir, { recursive: true, force: true });
  }
}

/** `serve` on the url-target example's policy and users, on a free port; resolves once it prints its URL. */
export async function startServe(secret: string): Promise<{ url: string; stop(): Promise<void> }> {
  const child = spawn(
    process.execPath,
    [BIN, 'serve', '--secret-env', 'WSAC_SECRET', '--policy', join(URL_EXAMPLE, 'policy.json'), '--users', join(URL_EXAMPLE, 'users.json'), '--port', '0', '--log-level', 'error'],
    { env: { ...process.env, WSAC_SECRET: secret }, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      const ready = /"url":"([^"]+)"/.exec(out);
      if (ready) resolve(ready[1]!);
    });
    child.once('exit', (code) => reject(new Error(`serve exited (${code}) before it was ready`)));
  });
  return {
    url,
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}
