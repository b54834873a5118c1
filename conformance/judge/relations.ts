// Metamorphic relations (fuzz-catalogue.md), checked on top of the prediction: a case
// and its twin must be observed alike. They catch what a prediction alone can miss
// when a backend is wrong in a consistent-looking way, and they name the cause.
import type { RelationId } from '../cases/case.ts';
import { observedOutcome, type Evidence } from '../drive/evidence.ts';
import type { Facts } from '../cases/facts-util.ts';
import type { Finding } from './context.ts';

export interface Relation {
  id: RelationId;
  description: string;
  /** The twin of a case, or null when the relation says nothing about it. */
  twin(facts: Facts, enabledHandshakePlacements: readonly string[]): Facts | null;
  compare(primary: Evidence, twin: Evidence, facts: Facts): Finding | null;
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
    compare(primary, twin, facts) {
      const a = observedOutcome(primary);
      const b = observedOutcome(twin);
      if (a === b) return null;
      const added = [...facts.noise.headers.map(([k, v]) => `${k}: ${v}`), ...facts.noise.query.map(([k, v]) => `?${k}=${v}`)].join(', ');
      return {
        check: 'noise-invariance',
        phase: 'handshake',
        verdict: a === 'accept' ? 'FAILED-SECURITY' : 'FAILED',
        message: `outcome changed by noise: ${a} with [${added || 'header case/order'}], ${b} without`,
        outcomes: { primary: a, twin: b },
      };
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
    compare(primary, twin, facts) {
      const a = observedOutcome(primary);
      const b = observedOutcome(twin);
      if (a === b) return null;
      return {
        check: 'placement-equivalence',
        phase: 'handshake',
        verdict: a === 'accept' ? 'FAILED-SECURITY' : 'FAILED',
        message: `same token, different outcome: ${a} in ${facts.placement}, ${b} in authorization-header`,
        outcomes: { primary: a, twin: b },
      };
    },
  },
];
