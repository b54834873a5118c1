// The key-rotation phase against the embedded reference backend (a JWKS fetched from the
// tool over HTTP, jose createRemoteJWKSet): clean as it is; a backend that never sees
// the new key, and one that keeps a removed key, are each caught by their step.
import { describe, expect, it } from 'vitest';
import { resolvePolicy } from '../../model/policy.ts';
import { runConformance } from '../engine.ts';
import type { CompletedRun, RunResult } from '../result.ts';
import { startEmbeddedTarget } from '../targets/embedded.ts';
import type { JwksPublisher } from '../targets/jwks-publisher.ts';
import type { Target } from '../targets/target.ts';

const policy = resolvePolicy({ algorithms: ['ES256'], kid: 'jwks', jwks: { cooldownMs: 500, maxAgeMs: 1500 } });
// Canary and rotation only: the rest of a run is tested elsewhere.
const quick = { seed: 11, runs: 0, paths: false, relations: false, confirm: 1 } as const;

function completed(r: RunResult): CompletedRun {
  if (r.kind !== 'completed') throw new Error(`run did not complete: ${JSON.stringify(r)}`);
  return r;
}

/** The target with its JWKS changes filtered: the backend sees only what `keep` lets through. */
async function withJwks(keep: (jwks: JwksPublisher, next: Parameters<JwksPublisher['publish']>[0]) => Parameters<JwksPublisher['publish']>[0]): Promise<Target> {
  const target = await startEmbeddedTarget({ policy });
  const jwks = target.jwks!;
  return { ...target, jwks: { ...jwks, publish: (keys) => jwks.publish(keep(jwks, keys)) }, close: () => target.close() };
}

const outcomes = (r: CompletedRun) => r.cases.filter((c) => c.key.startsWith('rotation:')).map((c) => `${c.key} ${c.observed} ${c.handshake}`);

describe('key rotation', () => {
  it.concurrent.each([['ES256'], ['EdDSA'], ['PS384']] as const)('the reference backend, %s: every step as predicted, in order', async (alg) => {
    const r = completed(await runConformance({ target: () => startEmbeddedTarget({ policy: { ...policy, algorithms: [alg] } }), ...quick }));
    expect(outcomes(r)).toEqual(['rotation:new-key accept OK', 'rotation:previous-key accept OK', 'rotation:unknown-kid reject-401 OK', 'rotation:retired-key reject-401 OK']);
    expect(r.divergences).toEqual([]);
  });

  it.concurrent('a backend that never sees a new key: the new-key step diverges, confirmed', async () => {
    const r = completed(await runConformance({ target: () => withJwks((jwks) => jwks.keys()), ...quick }));
    expect(r.divergences.map((d) => `${d.key} expected ${d.expected} observed ${d.observed} ${d.stability}`)).toEqual([
      'rotation:new-key expected accept (client-closed) observed reject-401 deterministic',
    ]);
  });

  it.concurrent('a backend that keeps a removed key: the retired-key step is FAILED-SECURITY, confirmed', async () => {
    // Removals never reach the backend: the set only grows.
    const r = completed(await runConformance({ target: () => withJwks((jwks, next) => [...jwks.keys(), ...next.filter((k) => !jwks.keys().some((o) => o.kid === k.kid))]), ...quick }));
    expect(r.divergences.map((d) => `${d.key} ${d.handshake} observed ${d.observed} ${d.stability}`)).toEqual(['rotation:retired-key FAILED-SECURITY observed accept deterministic']);
  });
});
