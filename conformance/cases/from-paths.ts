// Every path of the model becomes a case: its facts as the model completed them, its
// prediction from the oracle (the path's own outcome, re-checked here).
import { predict } from '../../model/oracle.ts';
import { generatePaths, type Coverage } from '../../model/paths.ts';
import type { Policy } from '../../model/policy.ts';
import type { Case } from './case.ts';

export function casesFromPaths(policy: Policy): { cases: Case[]; coverage: Coverage } {
  const set = generatePaths(policy);
  const cases = set.paths.map((path): Case => {
    const prediction = predict(policy, path.facts);
    if (prediction.outcome !== path.outcome || prediction.reason !== path.reason) {
      throw new Error(`model defect: path ${path.id} says ${path.outcome}/${path.reason}, the oracle ${prediction.outcome}/${prediction.reason}`);
    }
    return { key: `path:${path.id}`, source: { kind: 'path', pathId: path.id }, facts: path.facts, prediction };
  });
  return { cases, coverage: set.coverage };
}
