// `npm run bench`: the engine's speed measured against its ceiling, in one run and
// against one embedded backend, so machine drift cancels out of the ratios.
//
//   1. raw ceiling: plain `ws` clients opening a fresh authenticated connection per
//      handshake (valid token, real user lookup), closing at once;
//   2. the engine: handshake-only fuzz cases (forge, seed a user, drive, observe, judge);
//   3. timeouts: N stalled-lookup cases at once, wall time over one client deadline.
import { parseArgs } from 'node:util';
import WebSocket from 'ws';
import { CANONICAL_FACTS, type Facts } from '../../model/facts.ts';
import { predict } from '../../model/oracle.ts';
import { forgeRequest } from '../cases/forge/request.ts';
import { runPool } from '../drive/pool.ts';
import { KeyRing } from '../cases/forge/token.ts';
import type { Case } from '../cases/case.ts';
import { DEFAULT_CONCURRENCY } from '../config/resolve.ts';
import { runConformance, type RunOptions } from '../engine.ts';
import type { Reporter } from '../report/events.ts';
import { closeSharedDirectory, startEmbeddedTarget } from '../targets/embedded.ts';
import type { Target } from '../targets/target.ts';

const { values } = parseArgs({
  options: {
    handshakes: { type: 'string', default: '3000' },
    cases: { type: 'string', default: '3000' },
    timeouts: { type: 'string', default: '50' },
    concurrency: { type: 'string', default: String(DEFAULT_CONCURRENCY) },
    seed: { type: 'string', default: '7' },
  },
});
const N_RAW = Number(values.handshakes);
const N_CASES = Number(values.cases);
const N_TIMEOUTS = Number(values.timeouts);
const CONCURRENCY = Number(values.concurrency);
const SEED = Number(values.seed);

/** Runs `n` tasks with at most `width` in flight; returns elapsed ms. */
async function timed(n: number, width: number, task: () => Promise<void>): Promise<number> {
  const started = performance.now();
  await runPool(Array.from({ length: n }), width, () => 0, task);
  return performance.now() - started;
}

async function rawHandshakes(target: Target): Promise<number> {
  const userId = await target.prepareUser('bench-raw', 'active', { stall: false });
  const request = await forgeRequest(CANONICAL_FACTS, target.policy, new KeyRing(target.keys), '/ws', userId, Date.now(), 0);
  const headers = Object.fromEntries(request.headers);
  const once = () =>
    new Promise<void>((resolve, reject) => {
      const ws = new WebSocket(target.url, { headers, perMessageDeflate: false });
      ws.once('open', () => ws.terminate());
      ws.once('close', () => resolve());
      ws.once('unexpected-response', (_req, res) => reject(new Error(`raw handshake answered ${res.statusCode}`)));
      ws.once('error', reject);
    });
  await timed(200, CONCURRENCY, once); // warm-up: JIT, PGlite plan cache
  return (N_RAW / (await timed(N_RAW, CONCURRENCY, once))) * 1000;
}

/** Judged cases per second, from the first case started to the last judged. */
async function engineRate(target: Target, options: Partial<RunOptions>): Promise<{ rate: number; wallMs: number; passed: boolean; cases: number }> {
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
  const wallMs = last - planned;
  return { rate: (result.summary.judged / wallMs) * 1000, wallMs, passed: result.passed, cases: result.summary.judged };
}

function stalledCases(target: Target, n: number): Case[] {
  const facts: Facts = { ...CANONICAL_FACTS, latency: 'stalled' };
  const prediction = predict(target.policy, facts);
  return Array.from({ length: n }, (_, i) => ({ key: `bench-stall-${i}`, source: { kind: 'fuzz', seed: SEED, path: `${i}` }, facts, prediction }));
}

const target = await startEmbeddedTarget();
try {
  const raw = await rawHandshakes(target);
  const engine = await engineRate(target, {
    runs: N_CASES,
    // Handshakes only: session waits and stalls are timers, not throughput.
    fuzz: { unavailable: { session: ['token-expires', 'user-revoked', 'auth-message-never-sent'], latency: ['stalled'] } },
  });
  // The target must answer or release the socket by the policy's deadline; the client
  // gives it 500 ms more before calling the case a hang.
  const deadlineMs = target.policy.handshakeDeadlineMs;
  const stalls = await engineRate(target, { cases: stalledCases(target, N_TIMEOUTS), concurrency: N_TIMEOUTS });
  const lines = [
    `target: ${target.description}, concurrency ${CONCURRENCY}, seed ${SEED}`,
    `raw ws handshakes (ceiling):   ${raw.toFixed(0)} handshakes/s over ${N_RAW}`,
    `engine (handshake-only fuzz):  ${engine.rate.toFixed(0)} cases/s over ${engine.cases} cases (${engine.passed ? 'no divergence' : 'DIVERGED'})`,
    `engine / raw:                  ${(engine.rate / raw).toFixed(2)} (target >= 0.70)`,
    `timeouts: ${stalls.cases} stalled cases at once in ${(stalls.wallMs / 1000).toFixed(2)} s = ${(stalls.wallMs / deadlineMs).toFixed(2)} x one handshake deadline (${deadlineMs} ms)${stalls.passed ? '' : ' (DIVERGED)'}`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
} finally {
  await target.close();
  await closeSharedDirectory();
}
