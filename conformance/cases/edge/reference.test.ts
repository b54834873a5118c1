// The reference backend refuses every near miss and every identity header (and accepts
// the valid spellings) under a policy of another shape than the default: asymmetric
// keys, a required nbf, the query placement, a config identity header of its own.
import { describe, expect, it } from 'vitest';
import { resolvePolicy } from '../../../model/policy.ts';
import { runConformance } from '../../engine.ts';
import { startEmbeddedTarget } from '../../targets/embedded.ts';

describe('edge cases against the reference backend', () => {
  it('ES256, nbf required, query placement, an extra identity header: no divergence', async () => {
    const policy = resolvePolicy({ algorithms: ['ES256'], requiredClaims: ['exp', 'nbf'], placements: { query: true }, typ: 'JWT', clockSkewSeconds: 4 });
    const r = await runConformance({ target: () => startEmbeddedTarget({ policy }), seed: 5, runs: 0, relations: false, identityHeaders: [['X-Company-User', '{user}']] });
    if (r.kind !== 'completed') throw new Error(`run did not complete: ${r.kind}`);
    const edge = r.cases.filter((c) => c.source.kind === 'edge');
    expect(edge.length).toBeGreaterThan(90);
    expect(edge.map((c) => c.key)).toContain('edge:identity:x-company-user');
    expect(r.divergences.map((d) => `${d.key}: expected ${d.expected}, observed ${d.observed}`)).toEqual([]);
  }, 120_000);
});
