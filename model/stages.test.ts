// The spec's stage vocabulary is exactly the stages the table builds: a policy with every
// check on has them all, and no stage outside STAGE_IDS.
import { describe, expect, it } from 'vitest';
import { generatePaths } from './paths.ts';
import { profilePolicy, resolvePolicy } from './policy.ts';
import { STAGE_IDS, decidingStage, isStageId } from './stage-ids.ts';
import { stagesFor } from './stages.ts';

describe('stage vocabulary', () => {
  it('STAGE_IDS are the stages of a policy with every check on', () => {
    const all = resolvePolicy({ placements: { 'first-message': true }, requiredClaims: ['exp', 'nbf', 'iat', 'jti', 'sub'] });
    expect(stagesFor(all).map((s) => s.id).sort()).toEqual([...STAGE_IDS].sort());
  });

  it('every predicted path ends in a reason decided at a stage', () => {
    for (const path of generatePaths(profilePolicy('default')).paths) {
      expect(isStageId(path.states.at(-1)!), path.id).toBe(false);
      expect(decidingStage(path.states), path.id).toBeDefined();
    }
  });
});
