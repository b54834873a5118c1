// The engine against the reference backend: no false alarms, full coverage, and the
// same seed giving the same cases and verdicts. Setup failures are values, not throws.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { CANONICAL_FACTS } from '../model/facts.ts';
import { profilePolicy, resolvePolicy } from '../model/policy.ts';
import { fuzzArbitrary, drawFacts } from './cases/fuzz.ts';
import { runConformance } from './engine.ts';
import { exitCodeOf, type CompletedRun, type RunResult } from './result.ts';
import { startEmbeddedTarget } from './targets/embedded.ts';
import type { Target } from './targets/target.ts';

function completed(r: RunResult): CompletedRun {
  if (r.kind !== 'completed') throw new Error(`run did not complete: ${JSON.stringify(r)}`);
  return r;
}

function divergenceLines(r: CompletedRun): string[] {
  return r.divergences.map((d) => `${d.key} ${d.handshake}/${d.session} expected ${d.expected} observed ${d.observed}: ${d.hint?.text}`);
}

describe('a run against the reference backend', () => {
  it.concurrent('default profile: zero divergences, every state and transition covered, nothing vacuous', async () => {
    const r = completed(await runConformance({ target: () => startEmbeddedTarget(), seed: 101, runs: 120 }));
    expect(divergenceLines(r)).toEqual([]);
    expect(r.passed).toBe(true);
    expect(exitCodeOf(r)).toBe(0);
    expect(r.preflight.canary?.ok).toBe(true);
    expect(r.summary.vacuous).toBe(0);
    expect(r.summary.notCovered).toBe(0);
    expect(r.summary.coverage.states.covered).toBe(r.summary.coverage.states.total);
    expect(r.summary.coverage.transitions.covered).toBe(r.summary.coverage.transitions.total);
    // Every outcome of the model was predicted and observed.
    for (const outcome of ['accept', 'reject-401', 'reject-403', 'close-1008', 'timeout']) expect(r.summary.observed[outcome]).toBeGreaterThan(0);
  });

  it.concurrent('every placement on (first-message and query too), rfc-strict: zero divergences', async () => {
    const policy = resolvePolicy({ profile: 'rfc-strict', placements: { 'first-message': true, query: true } });
    const r = completed(await runConformance({ target: () => startEmbeddedTarget({ policy }), seed: 202, runs: 80, strict: true }));
    expect(divergenceLines(r)).toEqual([]);
    expect(r.summary.coverage.transitions.covered).toBe(r.summary.coverage.transitions.total);
  });
});

describe('a weaker session contract, declared', () => {
  it.concurrent('a backend that keeps deleted users connected passes under a policy that leaves deletion out: declared once, no deletion case, the other revocations still checked', async () => {
    const policy = resolvePolicy({ session: { revocation: ['deactivation', 'role-removal'] } });
    const r = completed(await runConformance({ target: () => startEmbeddedTarget({ policy, mutant: 'deleted-kept-connected' }), seed: 404, runs: 60 }));
    expect(divergenceLines(r)).toEqual([]);
    expect(r.summary.declared.map((d) => d.id)).toEqual(['no-close-on-deletion']);
    expect(r.cases.some((c) => c.facts.session === 'user-deleted')).toBe(false);
    for (const session of ['user-revoked', 'user-role-removed']) expect(r.cases.some((c) => c.facts.session === session && c.observed === 'close-1008'), session).toBe(true);
  });
});

describe('asymmetric keys', () => {
  it.concurrent.each([['RS256'], ['ES256'], ['EdDSA']] as const)('%s with a JWKS (key confusion and attacker keys included): zero divergences', async (alg) => {
    const policy = resolvePolicy({ algorithms: [alg] });
    const r = completed(await runConformance({ target: () => startEmbeddedTarget({ policy }), seed: 303, runs: 60 }));
    expect(divergenceLines(r)).toEqual([]);
    expect(r.cases.some((c) => c.facts.alg === 'key-confusion' && c.observed === 'reject-401')).toBe(true);
  });
});

describe('determinism', () => {
  it('the same seed draws the same fuzz facts; another seed draws others', () => {
    const policy = profilePolicy('default');
    const arb = fuzzArbitrary(policy, CANONICAL_FACTS);
    expect(drawFacts(arb, 7, 60)).toEqual(drawFacts(arb, 7, 60));
    expect(drawFacts(arb, 7, 60)).not.toEqual(drawFacts(arb, 8, 60));
  });

  it('the same seed gives the same cases and verdicts', async () => {
    const run = async () => completed(await runConformance({ target: () => startEmbeddedTarget(), seed: 99, runs: 40, paths: false }));
    const digest = (r: CompletedRun) => r.cases.map((c) => [c.key, JSON.stringify(c.facts), c.prediction.reason, c.observed, c.handshake, c.session]);
    const [a, b] = [await run(), await run()];
    expect(digest(a)).toEqual(digest(b));
  });
});

describe('setup failures are results', () => {
  it('an unreachable target ends the run as "unreachable" (exit 2), not as divergences', async () => {
    const policy = profilePolicy('default');
    const dead = { kind: 'url', description: 'nothing listens here', url: 'ws://127.0.0.1:9/ws', healthUrl: null, policy, keys: (await startEmbeddedTargetKeys()).keys } as unknown as Target;
    const r = await runConformance({ target: dead, seed: 1, runs: 10 });
    expect(r.kind).toBe('unreachable');
    expect(exitCodeOf(r)).toBe(2);
  });

  it('an unhealthy target (/healthz 500) ends the run as "unreachable" before any case', async () => {
    const server = createServer((_req, res) => res.writeHead(500).end('{"status":"db down"}'));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as AddressInfo).port;
    try {
      const sick = { kind: 'url', description: 'health fails', url: `ws://127.0.0.1:${port}/ws`, healthUrl: `http://127.0.0.1:${port}/healthz`, policy: profilePolicy('default'), keys: (await startEmbeddedTargetKeys()).keys } as unknown as Target;
      const r = await runConformance({ target: sick, seed: 1, runs: 10 });
      expect(r.kind).toBe('unreachable');
      if (r.kind === 'unreachable') expect(r.detail).toMatch(/500.*unhealthy/);
    } finally {
      server.close();
    }
  });

  it('an unknown mutant is a setup error naming the known ids (exit 2)', async () => {
    const r = await runConformance({ target: () => startEmbeddedTarget({ mutant: 'no-such-mutant' }), seed: 1, runs: 0 });
    expect(r.kind).toBe('setup-error');
    if (r.kind === 'setup-error') expect(r.error.message).toMatch(/alg-none/);
    expect(exitCodeOf(r)).toBe(2);
  });
});

async function startEmbeddedTargetKeys(): Promise<{ keys: Target['keys'] }> {
  const { generateKeys } = await import('./keys.ts');
  return { keys: await generateKeys('HS256') };
}
