// Metamorphic relations (docs/field-failures.md, header-bypass): a case and its twin must
// be observed alike. They catch what a prediction alone can miss when a backend is
// wrong in a consistent-looking way, and they name the cause. Here: how a twin is built
// and when two observed outcomes break a relation. Below cases/ (planning builds twins)
// and judge/ (which turns a break into a verdict); it knows only the model.
import type { Facts } from '../../model/facts.ts';

export type RelationId = 'noise-invariance' | 'placement-equivalence';

/** A relation that did not hold: the outcomes observed (drive/evidence.ts observedOutcome) for the case and its twin. */
export interface RelationBreak {
  relation: RelationId;
  primary: string;
  twin: string;
  message: string;
}

export interface Relation {
  id: RelationId;
  description: string;
  /** The twin of a case, or null when the relation says nothing about it. */
  twin(facts: Facts, enabledHandshakePlacements: readonly string[]): Facts | null;
  /** The break shown by the two observed outcomes, or null when the relation holds. */
  compare(primary: string, twin: string, facts: Facts): RelationBreak | null;
}

const HANDSHAKE_ONLY = (f: Facts) => f.session === 'client-closes' && f.latency === 'within-budget';

export const RELATIONS: readonly Relation[] = [
  {
    id: 'noise-invariance',
    description: 'adding noise (extra headers, bypass-looking ones included, header case and order, query noise) never changes the observed outcome',
    twin(f) {
      const n = f.noise;
      const noisy = n.headers.length > 0 || n.query.length > 0 || n.headerCase !== 'canonical' || n.reverseHeaders;
      if (!noisy || !HANDSHAKE_ONLY(f)) return null;
      return { ...f, noise: { headers: [], query: [], headerCase: 'canonical', reverseHeaders: false } };
    },
    compare(a, b, facts) {
      if (a === b) return null;
      const added = [...facts.noise.headers.map(([k, v]) => `${k}: ${v}`), ...facts.noise.query.map(([k, v]) => `?${k}=${v}`)].join(', ');
      return { relation: 'noise-invariance', primary: a, twin: b, message: `outcome changed by noise: ${a} with [${added || 'header case/order'}], ${b} without` };
    },
  },
  {
    id: 'placement-equivalence',
    description: 'the same token in two enabled handshake placements gives the same outcome',
    twin(f, enabled) {
      if (!HANDSHAKE_ONLY(f) || f.scheme !== 'bearer') return null;
      if (f.placement === 'authorization-header' || !enabled.includes(f.placement) || !enabled.includes('authorization-header')) return null;
      return { ...f, placement: 'authorization-header' };
    },
    compare(a, b, facts) {
      if (a === b) return null;
      return { relation: 'placement-equivalence', primary: a, twin: b, message: `same token, different outcome: ${a} in ${facts.placement}, ${b} in authorization-header` };
    },
  },
];

export function relationById(id: RelationId): Relation {
  return RELATIONS.find((r) => r.id === id)!;
}
