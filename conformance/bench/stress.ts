// `npm run stress`: the figures of "verdicts you can trust on a busy CI runner", printed,
// never asserted. Each part runs the CLI as a user would (a child process):
//
//   gate     the default gate on the embedded reference backend, N seeds, busy loops competing
//   url      the same against `serve` through a url target (the url-target example)
//   mutants  `mutants --json` with busy loops competing: killed with the expected verdict and hint
//   idle     no busy loops: the default gate's wall time and peak RSS; time to the first
//            confirmed divergence per mutant (median, max)
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadAverage, startBusyLoops } from './stress-load.ts';
import { runCli, runGate, startServe, URL_EXAMPLE, type GateRun } from './stress-runs.ts';

const PARTS = ['gate', 'url', 'mutants', 'idle'] as const;
type Part = (typeof PARTS)[number];

const USAGE = `Usage: npm run stress -- [--parts gate,url,mutants,idle] [--seeds N] [--first-seed N] [--loops-per-core N]

Prints the figures of issue 8 (nothing is asserted):
  gate     default gate (run --quiet --seed S) on the embedded backend, per seed, busy loops competing
  url      the same against \`serve\` through a url target (conformance/examples/url-target)
  mutants  mutants --json, busy loops competing: killed with the expected verdict and hint
  idle     no busy loops: default gate wall time and peak RSS, time to first confirmed divergence per mutant
Options:
  --parts LIST         parts to run, comma-separated (default: all)
  --seeds N            seeds per gate part (default 20), from --first-seed (default 1)
  --loops-per-core N   busy loops (node -e 'for(;;){}') per core while under load (default 8)
`;

const { values } = parseArgs({
  options: {
    parts: { type: 'string', default: PARTS.join(',') },
    seeds: { type: 'string', default: '20' },
    'first-seed': { type: 'string', default: '1' },
    'loops-per-core': { type: 'string', default: '8' },
    help: { type: 'boolean', short: 'h' },
  },
});
if (values.help) {
  process.stdout.write(USAGE);
  process.exit(0);
}
const count = (name: 'seeds' | 'first-seed' | 'loops-per-core', min: number) => {
  const n = Number(values[name]);
  if (!Number.isInteger(n) || n < min) {
    process.stderr.write(`error: --${name} must be an integer >= ${min}, got "${values[name]}"\n${USAGE}`);
    process.exit(2);
  }
  return n;
};
const parts = values.parts.split(',').map((p) => p.trim()).filter(Boolean);
const unknown = parts.filter((p) => !(PARTS as readonly string[]).includes(p));
if (unknown.length) {
  process.stderr.write(`error: unknown part ${unknown.join(', ')}; parts: ${PARTS.join(', ')}\n`);
  process.exit(2);
}
const SEEDS = count('seeds', 1);
const FIRST = count('first-seed', 0);
const PER_CORE = count('loops-per-core', 0);
const seeds = Array.from({ length: SEEDS }, (_, i) => FIRST + i);
const say = (line: string): void => void process.stdout.write(`${line}\n`);
const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** Runs `body` with the busy loops on (bounded to `maxMs`), stopping them whatever happens. */
async function underLoad<T>(maxMs: number, body: () => Promise<T>): Promise<T> {
  if (PER_CORE === 0) return body();
  const load = await startBusyLoops(PER_CORE, maxMs);
  say(`[load] ${load.loops} busy loops (${PER_CORE} per core); load average ${loadAverage()}`);
  // Ctrl-C reaches the CLI runs too (same process group); the loops are ours to end.
  const stop = () => void load.stop().finally(() => process.exit(130));
  process.once('SIGINT', stop);
  try {
    return await body();
  } finally {
    process.off('SIGINT', stop);
    await load.stop();
  }
}

function gateLine(label: string, seed: number, r: GateRun): string {
  const notRep = r.notReproduced === null ? '' : `, ${r.notReproduced} not reproduced`;
  const stderr = r.stderr.trim().split('\n');
  const err = r.exitCode === 2 ? ` (${stderr.find((l) => /error/i.test(l)) ?? stderr[0]})` : '';
  const shown = r.divergenceLines.slice(0, 5).map((l) => `\n    ${l}`).join('');
  return `${label} seed ${seed}: exit ${r.exitCode}, ${r.divergences} divergences${notRep}, ${r.hangs} hangs observed, ${secs(r.wallMs)}, load ${loadAverage()}${err}${shown}`;
}

function gateTotals(label: string, runs: GateRun[]): string {
  const clean = runs.filter((r) => r.divergences === 0 && r.exitCode === 0).length;
  const exit2 = runs.filter((r) => r.exitCode === 2).length;
  const total = runs.reduce((n, r) => n + r.divergences, 0);
  return `${label}: 0 divergences and exit 0 in ${clean}/${runs.length} seeds; exit 2 in ${exit2}; ${total} divergences in all (max ${Math.max(...runs.map((r) => r.divergences))} in one seed)`;
}

async function gatePart(label: string, extra: () => string[], env: NodeJS.ProcessEnv = {}): Promise<void> {
  const runs: GateRun[] = [];
  for (const seed of seeds) {
    const r = await runGate(seed, extra(), { env });
    runs.push(r);
    say(gateLine(label, seed, r));
  }
  say(gateTotals(label, runs));
}

interface MutantsJson {
  killed: number;
  diagnosed: number;
  total: number;
  mutants: Array<{ id: string; killed: boolean; diagnosed: boolean; diverged?: boolean; firstConfirmedMs?: number | null; counterexample: { confirmation?: string } | null; error?: string }>;
}

async function mutants(): Promise<{ json: MutantsJson | null; wallMs: number; exitCode: number; stderr: string }> {
  const r = await runCli(['mutants', '--json']);
  let json: MutantsJson | null = null;
  try {
    json = JSON.parse(r.stdout) as MutantsJson;
  } catch {
    json = null;
  }
  return { json, wallMs: r.wallMs, exitCode: r.exitCode, stderr: r.stderr };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
}

const LOAD_MAX_MS = 4 * 60 * 60_000;
const run: Record<Part, () => Promise<void>> = {
  gate: () => underLoad(LOAD_MAX_MS, () => gatePart('gate (embedded)', () => [])),
  async url() {
    const secret = randomBytes(32).toString('hex');
    await underLoad(LOAD_MAX_MS, async () => {
      const serve = await startServe(secret);
      try {
        const config = join(URL_EXAMPLE, 'ws-auth-conformance.config.ts');
        await gatePart('gate (url, serve)', () => ['--config', config, '--target', `url=${serve.url}`], { WSAC_SECRET: secret });
      } finally {
        await serve.stop();
      }
    });
  },
  async mutants() {
    const m = await underLoad(LOAD_MAX_MS, mutants);
    if (!m.json) return say(`mutants under load: no JSON (exit ${m.exitCode}): ${m.stderr.trim().split('\n').pop()}; ${secs(m.wallMs)}`);
    const errors = m.json.mutants.filter((x) => x.error).map((x) => x.id);
    const other = m.json.mutants.filter((x) => !x.killed && x.diverged).map((x) => x.id);
    const firstConfirmed = m.json.mutants.filter((x) => x.firstConfirmedMs != null).length;
    say(
      `mutants under load: ${m.json.killed}/${m.json.total} killed (confirmed, expected verdict), ${m.json.diagnosed}/${m.json.total} with the expected hint too; ` +
        `${firstConfirmed}/${m.json.total} with a confirmed divergence; other divergence only: ${other.join(', ') || 'none'}; errors: ${errors.join(', ') || 'none'}; ${secs(m.wallMs)}`,
    );
  },
  async idle() {
    say(`[idle] load average ${loadAverage()} (other work on the machine counts too)`);
    const gate = await runGate(FIRST, [], { measureRss: true });
    say(`idle default gate (seed ${FIRST}): exit ${gate.exitCode}, ${gate.divergences} divergences, wall ${secs(gate.wallMs)}, peak RSS ${gate.peakRssMiB?.toFixed(0) ?? '?'} MiB (sum of its processes' peaks)`);
    const m = await mutants();
    if (!m.json) return say(`idle mutants: no JSON (exit ${m.exitCode})`);
    const times = m.json.mutants.map((x) => x.firstConfirmedMs).filter((t): t is number => typeof t === 'number');
    const missing = m.json.mutants.filter((x) => typeof x.firstConfirmedMs !== 'number').map((x) => x.id);
    const figures = times.length ? `median ${secs(median(times))}, max ${secs(Math.max(...times))}` : 'none confirmed';
    say(`idle mutants: ${m.json.killed}/${m.json.total} killed; time to first confirmed divergence (from target start): ${figures}${missing.length ? `; none for ${missing.join(', ')}` : ''}`);
  },
};

say(`stress: parts ${parts.join(', ')}; seeds ${seeds[0]}..${seeds[seeds.length - 1]}; load average ${loadAverage()}`);
for (const part of parts as Part[]) await run[part]();
