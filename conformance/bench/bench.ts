// `npm run bench`: the engine's speed against a yardstick, in one run and against one
// embedded backend, so machine drift cancels out of the ratio.
//
//   1. handshake cases: the engine's own fuzz cases (handshakes only), run by the engine
//      (forge, seed a user, drive, observe, judge) and, in alternating rounds, sent as
//      the same pre-forged requests by a bare `ws` client (yardstick.ts): same answers,
//      same observe window on accepted sockets, same concurrency;
//   2. timeouts: N stalled-lookup cases at once, wall time over one client deadline.
import { parseArgs } from 'node:util';
import { CANONICAL_FACTS, type Facts } from '../../model/facts.ts';
import { predict } from '../../model/oracle.ts';
import { DEFAULT_FUZZ_SHAPE } from '../cases/arbitraries/facts.ts';
import { canonicalFacts, type Case } from '../cases/case.ts';
import { fuzzArbitrary, fuzzCases } from '../cases/fuzz.ts';
import type { DriveSettings } from '../drive/execute.ts';
import { runConformance, type RunOptions } from '../engine.ts';
import type { Reporter } from '../report/events.ts';
import { closeSharedDirectory, startEmbeddedTarget } from '../targets/embedded.ts';
import type { Target } from '../targets/target.ts';
import { forgeAll, sendAll } from './yardstick.ts';

// Both sides of the comparison run this wide (the engine fixed, not adaptive): like with like.
const BENCH_CONCURRENCY = 64;
const { values } = parseArgs({
  options: {
    cases: { type: 'string', default: '2000' },
    rounds: { type: 'string', default: '2' },
    timeouts: { type: 'string', default: '50' },
    concurrency: { type: 'string', default: String(BENCH_CONCURRENCY) },
    seed: { type: 'string', default: '7' },
    help: { type: 'boolean', short: 'h' },
  },
});
if (values.help) {
  process.stdout.write(`Usage: npm run bench -- [--cases N] [--rounds N] [--timeouts N] [--concurrency N] [--seed N]

Engine vs yardstick (the same pre-forged requests from a bare ws client) on N handshake
fuzz cases, in alternating rounds; then N stalled cases at once against one deadline.
Defaults: --cases 2000 --rounds 2 --timeouts 50 --concurrency ${BENCH_CONCURRENCY} --seed 7
`);
  process.exit(0);
}
const positive = (name: keyof typeof values) => {
  const n = Number(values[name]);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive integer, got ${values[name]}`);
  return n;
};
const N_CASES = positive('cases');
const ROUNDS = positive('rounds');
const N_TIMEOUTS = positive('timeouts');
const CONCURRENCY = positive('concurrency');
const SEED = positive('seed');
// Handshakes only: session waits and stalls are timers, not throughput.
const HANDSHAKE_ONLY = { session: ['token-expires', 'user-revoked', 'auth-message-never-sent'], latency: ['stalled'] } as const;

/** Judged cases per second, from the first case started to the last judged. */
async function engineRate(target: Target, options: Partial<RunOptions>): Promise<{ wallMs: number; passed: boolean; cases: number; observed: Record<string, number> }> {
  let planned = 0;
  let last = 0;
  const reporter: Reporter = {
    onEvent(e) {
      if (e.type === 'cases-planned') planned = performance.now();
      if (e.type === 'case-finished') last = performance.now();
    },
  };
  const result = await runConformance({ target, seed: SEED, runs: 0, concurrency: CONCURRENCY, paths: false, relations: false, shrink: false, ...options }, reporter);
  if (result.kind !== 'completed') throw new Error(`bench run did not complete: ${result.kind}`);
  return { wallMs: last - planned, passed: result.passed, cases: result.summary.judged, observed: result.summary.observed };
}

function stalledCases(target: Target, n: number): Case[] {
  const facts: Facts = { ...CANONICAL_FACTS, latency: 'stalled' };
  const prediction = predict(target.policy, facts);
  return Array.from({ length: n }, (_, i) => ({ key: `bench-stall-${i}`, source: { kind: 'fuzz', seed: SEED, path: `${i}` }, facts, prediction }));
}

const target = await startEmbeddedTarget();
try {
  const policy = target.policy;
  // The engine's defaults (engine.ts): the client deadline and the observe window.
  const settings: DriveSettings = { deadlineMs: policy.handshakeDeadlineMs + 500, observeMs: 150, revokeWatchMs: 1500, expiryToleranceMs: 1500 };
  const shape = { ...DEFAULT_FUZZ_SHAPE, unavailable: HANDSHAKE_ONLY };
  const cases = fuzzCases(policy, fuzzArbitrary(policy, canonicalFacts(policy), shape), SEED, N_CASES);
  // Warm-up: JIT, PGlite plan cache.
  await sendAll(target.url, await forgeAll(target, cases.slice(0, 200), settings, 'warm'), CONCURRENCY, settings, policy);
  let engineMs = 0;
  let yardstickMs = 0;
  let engineCases = 0;
  let diverged = false;
  const lines = [`target: ${target.description}, ${cases.length} handshake cases (seed ${SEED}), concurrency ${CONCURRENCY}, observe window ${settings.observeMs} ms`];
  for (let round = 1; round <= ROUNDS; round++) {
    const forged = await forgeAll(target, cases, settings, String(round));
    const raw = await sendAll(target.url, forged, CONCURRENCY, settings, policy);
    const engine = await engineRate(target, { cases });
    yardstickMs += raw.wallMs;
    engineMs += engine.wallMs;
    engineCases += engine.cases;
    diverged ||= !engine.passed;
    lines.push(
      `round ${round}: yardstick ${rate(cases.length, raw.wallMs)} req/s (answers ${mix(raw.answers)}); engine ${rate(engine.cases, engine.wallMs)} cases/s (observed ${mix(engine.observed)})${engine.passed ? '' : ' DIVERGED'}`,
    );
  }
  lines.push(
    `yardstick (bare ws, same pre-forged requests): ${rate(cases.length * ROUNDS, yardstickMs)} requests/s`,
    `engine (forge, seed, drive, judge):            ${rate(engineCases, engineMs)} cases/s${diverged ? ' (DIVERGED)' : ''}`,
    `engine / yardstick:                            ${(engineCases / engineMs / ((cases.length * ROUNDS) / yardstickMs)).toFixed(2)}`,
  );
  process.stdout.write(`${lines.join('\n')}\n`);
  // The target must answer or release the socket by the policy's deadline; the client
  // gives it 500 ms more before calling the case a hang.
  const deadlineMs = policy.handshakeDeadlineMs;
  const stalls = await engineRate(target, { cases: stalledCases(target, N_TIMEOUTS), concurrency: N_TIMEOUTS });
  process.stdout.write(
    `timeouts: ${stalls.cases} stalled cases at once in ${(stalls.wallMs / 1000).toFixed(2)} s = ${(stalls.wallMs / deadlineMs).toFixed(2)} x one handshake deadline (${deadlineMs} ms)${stalls.passed ? '' : ' (DIVERGED)'}\n`,
  );
} finally {
  await target.close();
  await closeSharedDirectory();
}

function rate(n: number, ms: number): string {
  return ((n / ms) * 1000).toFixed(0);
}

function mix(counts: Record<string, number>): string {
  return Object.entries(counts)
    .sort((a, b) => b[1] - a[1])
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
}
