// A case: facts chosen first, the model's prediction for them, and where they came from.
import type { Facts } from './facts-util.ts';
import { canonicalFor } from '../../model/facts.ts';
import { PLACEMENTS, type Policy } from '../../model/policy.ts';
import { predict, type Prediction } from '../../model/oracle.ts';
import type { RotationStepId } from '../../model/rotation.ts';
import type { RelationId } from '../relations/relations.ts';

export type CaseSource =
  | { kind: 'canary' }
  | { kind: 'path'; pathId: string }
  | { kind: 'edge'; spelling: string }
  | { kind: 'fuzz'; seed: number; path: string }
  | { kind: 'twin'; of: string; relation: RelationId }
  | { kind: 'replay'; file: string }
  | { kind: 'custom'; name: string }
  | { kind: 'rotation'; step: RotationStepId };

export interface Case {
  /** Stable name within a run: `canary`, `path:<id>`, `edge:<spelling>`, `fuzz:<n>`, `<key>~<relation>`. */
  key: string;
  source: CaseSource;
  facts: Facts;
  prediction: Prediction;
  /**
   * Key that picks among equivalent spellings (alg "None" or "nOnE", which stripped
   * signature); twins and shrink steps use their original's, so they differ only in facts.
   */
  variantKey?: string;
}

/** The canonical valid case under a policy: the model's (a required nbf present), in an enabled placement. */
export function canonicalFacts(policy: Policy): Facts {
  const canonical = canonicalFor(policy);
  if (policy.placements[canonical.placement as keyof Policy['placements']]) return canonical;
  // Handshake placements come first in PLACEMENTS: the order used when the canonical one is disabled.
  const placement = PLACEMENTS.find((p) => policy.placements[p]) ?? canonical.placement;
  return { ...canonical, placement };
}

/**
 * A case of the caller's own facts (a user's test suite: `{ ...CANONICAL_FACTS, token: 'expired' }`),
 * predicted by the model under the policy; run it with `runConformance({ cases: [...] })`.
 */
export function customCase(policy: Policy, name: string, facts: Facts): Case {
  return { key: `custom:${name}`, source: { kind: 'custom', name }, facts, prediction: predict(policy, facts) };
}
