import { describe, expect, it } from 'vitest';
import { declaredContracts } from './declared.ts';
import { defectsOf, factDomains } from './facts.ts';
import { predict } from './oracle.ts';
import { resolvePolicy } from './policy.ts';
import { rotationSteps } from './rotation.ts';

const jwksPolicy = (jwks = {}) => resolvePolicy({ algorithms: ['ES256'], kid: 'jwks', jwks });

describe('key rotation', () => {
  it('predicts a rotated-in key and the first key accepted, a never-published and a removed kid refused', () => {
    const policy = jwksPolicy();
    const predicted = rotationSteps(policy).map((s) => [s.id, predict(policy, s.facts).outcome, predict(policy, s.facts).reason]);
    expect(predicted).toEqual([
      ['new-key', 'accept', 'client-closed'],
      ['previous-key', 'accept', 'client-closed'],
      ['unknown-kid', 'reject-401', 'key-unknown-kid'],
      ['retired-key', 'reject-401', 'key-unknown-kid'],
    ]);
  });

  it('a step predicted refused has a defect, one predicted accepted has none (the model agrees with defectsOf)', () => {
    const policy = jwksPolicy();
    for (const step of rotationSteps(policy)) {
      expect(defectsOf(step.facts, policy).length > 0).toBe(predict(policy, step.facts).outcome !== 'accept');
    }
  });

  it('makes the steps the contract promises, waiting as it says', () => {
    const steps = (jwks: object) => rotationSteps(jwksPolicy(jwks)).map((s) => `${s.id}:${s.wait}`);
    expect(steps({})).toEqual(['new-key:cooldown', 'previous-key:none', 'unknown-kid:none', 'retired-key:max-age']);
    expect(steps({ refreshOnUnknownKid: false })).toEqual(['new-key:max-age', 'previous-key:none', 'unknown-kid:none', 'retired-key:max-age']);
    expect(steps({ maxAgeMs: null })).toEqual(['new-key:cooldown', 'previous-key:none', 'unknown-kid:none']);
    expect(steps({ refreshOnUnknownKid: false, maxAgeMs: null })).toEqual(['unknown-kid:none']);
    expect(rotationSteps(resolvePolicy({ algorithms: ['ES256'] }))).toEqual([]);
  });

  it('declares a JWKS that is not refetched or kept until restart, once each', () => {
    const ids = (jwks: object) => declaredContracts(jwksPolicy(jwks)).map((d) => d.id);
    expect(ids({})).toEqual([]);
    expect(ids({ refreshOnUnknownKid: false, maxAgeMs: null })).toEqual(['jwks-no-refresh', 'jwks-removed-key-kept']);
    expect(declaredContracts(resolvePolicy({ jwks: { maxAgeMs: null } }))).toEqual([]);
  });

  it('never lets paths or fuzz draw the rotation keys (they need the timed rotation phase)', () => {
    expect(factDomains(jwksPolicy()).key).not.toContain('rotated-in');
    expect(factDomains(jwksPolicy()).key).not.toContain('retired');
  });

  it.each([
    [{ jwks: { refresh: true } }, /policy\.jwks\.refresh: unknown jwks rule/],
    [{ jwks: { cooldownMs: -1 } }, /policy\.jwks\.cooldownMs: a non-negative number/],
    [{ jwks: { maxAgeMs: 'long' } }, /policy\.jwks\.maxAgeMs: .*or null/],
    [{ jwks: { refreshOnUnknownKid: 'yes' } }, /policy\.jwks\.refreshOnUnknownKid: true or false/],
  ])('rejects %j with a message naming the field', (input, message) => {
    expect(() => resolvePolicy(input as never)).toThrow(message);
  });
});
