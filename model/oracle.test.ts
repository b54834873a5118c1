import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { factsArb, noiseArb, policyArb } from './arbitraries.test-support.ts';
import { CANONICAL_FACTS, NO_NOISE, defectsOf, factDomains, type FactValue } from './facts.ts';
import { machineFor, outcomeOf, type TerminalMeta } from './machine.ts';
import { predict } from './oracle.ts';
import { allStateIds } from './paths.ts';
import { PLACEMENTS, claimCheck, profilePolicy, requiresClaim, resolvePolicy, type CheckedClaim, type Policy } from './policy.ts';

/** 'missing' when the claim is checked only when present, or not at all. */
const absentOk = (policy: Policy, claim: CheckedClaim) => (claimCheck(policy, claim) === 'required' ? [] : (['missing'] as const));
import { REASONS } from './reasons.ts';

/** The events of the authenticated state that lead into `target`, sorted. */
function transitionsInto(machine: ReturnType<typeof machineFor>, target: string): string[] {
  const node = machine.getStateNodeById('authenticated');
  return [...node.transitions.entries()].filter(([, ts]) => ts.some((t) => t.target?.some((n) => n.id === target))).map(([event]) => event).sort();
}

const policyAndFacts = policyArb.chain((policy) => factsArb(policy).map((facts) => ({ policy, facts })));

describe('oracle', () => {
  it('predicts accept for the canonical valid case, through every stage', () => {
    const p = predict(profilePolicy('default'), CANONICAL_FACTS);
    expect(p.outcome).toBe('accept');
    expect(p.reason).toBe('client-closed');
    expect(p.trace).toEqual([
      'origin', 'credential', 'structure', 'algorithm', 'key', 'signature', 'exp', 'nbf', 'iss', 'aud', 'typ', 'sub',
      'lookup', 'user', 'role', 'authenticated', 'client-closed',
    ]);
  });

  it.each([
    [{ alg: 'none' }, 'reject-401', 'alg-none'],
    [{ signature: 'wrong-key' }, 'reject-401', 'signature-wrong-key'],
    [{ user: 'missing' }, 'reject-403', 'user-unknown'],
    [{ origin: 'foreign' }, 'reject-403', 'origin-foreign'],
    [{ placement: 'query' }, 'reject-401', 'credential-missing'], // query is disabled by default
    [{ exp: 'within-skew' }, 'accept', 'client-closed'],
    [{ scheme: 'bearer-odd-case' }, 'accept', 'client-closed'],
    [{ latency: 'stalled' }, 'timeout', 'dependency-timeout'],
    [{ session: 'token-expires' }, 'close-1008', 'session-token-expired'],
    [{ placement: 'first-message' }, 'reject-401', 'credential-missing'], // first-message is off by default
  ] as const)('%j -> %s (%s) under the default profile', (defects, outcome, reason) => {
    expect(predict(profilePolicy('default'), { ...CANONICAL_FACTS, ...defects })).toMatchObject({ outcome, reason });
  });

  it.each([
    [{ placement: 'first-message' }, 'accept', 'client-closed'],
    [{ placement: 'first-message', signature: 'tampered' }, 'close-1008', 'auth-message-invalid'],
    [{ placement: 'first-message', session: 'auth-message-never-sent' }, 'close-1008', 'auth-message-missing'],
    [{ placement: 'first-message', latency: 'stalled' }, 'close-1008', 'auth-dependency-timeout'],
    // Without a handshake credential the server must upgrade and wait: no 401 is possible.
    [{ placement: 'none' }, 'close-1008', 'auth-message-missing'],
    [{ placement: 'query' }, 'close-1008', 'auth-message-missing'],
    [{ scheme: 'other' }, 'reject-401', 'credential-scheme'],
  ] as const)('%j -> %s (%s) with first-message auth enabled', (defects, outcome, reason) => {
    const policy = resolvePolicy({ placements: { 'first-message': true } });
    expect(predict(policy, { ...CANONICAL_FACTS, ...defects })).toMatchObject({ outcome, reason });
  });

  it('follows declared outcomes beyond 401/403: any status, accept-then-close, a 5xx for a stall', () => {
    const declared = resolvePolicy({
      outcomes: { 'token-oversize': 'reject-431', 'alg-none': 'close-4401', 'dependency-timeout': 'reject-503', 'session-token-expired': 'close-4001' },
    });
    expect(predict(declared, { ...CANONICAL_FACTS, structure: 'oversize' })).toMatchObject({ outcome: 'reject-431', reason: 'token-oversize' });
    expect(predict(declared, { ...CANONICAL_FACTS, alg: 'none' })).toMatchObject({ outcome: 'close-4401', reason: 'alg-none' });
    expect(predict(declared, { ...CANONICAL_FACTS, latency: 'stalled' })).toMatchObject({ outcome: 'reject-503' });
    expect(predict(declared, { ...CANONICAL_FACTS, session: 'token-expires' })).toMatchObject({ outcome: 'close-4001' });
  });

  it('follows the profile and the target overrides', () => {
    const missingUser = { ...CANONICAL_FACTS, user: 'missing' as const };
    expect(predict(profilePolicy('rfc-strict'), missingUser).outcome).toBe('reject-401');
    const overridden = resolvePolicy({ outcomes: { 'signature-wrong-key': 'reject-403' } });
    expect(predict(overridden, { ...CANONICAL_FACTS, signature: 'wrong-key' }).outcome).toBe('reject-403');
  });

  it('property: any credential, token, claim or user defect never predicts accept', () => {
    fc.assert(
      fc.property(policyAndFacts, ({ policy, facts }) => {
        fc.pre(defectsOf(facts, policy).length > 0);
        return predict(policy, facts).outcome !== 'accept';
      }),
      { numRuns: 2000 },
    );
  });

  it('property: with no defect, no stall and a client that closes, the prediction is accept', () => {
    // Clean cases drawn directly: every value here is acceptable by the contract.
    const cleanArb = policyArb.chain((policy) =>
      fc.record({
        policy: fc.constant(policy),
        origin: fc.constantFrom('absent' as const, 'allowed' as const),
        placement: fc.constantFrom(...PLACEMENTS.filter((p) => policy.placements[p])),
        scheme: fc.constantFrom('bearer' as const, 'bearer-odd-case' as const),
        exp: fc.constantFrom<FactValue<'exp'>>('future', 'within-skew', ...(policy.requiredClaims.includes('exp') ? [] : (['missing'] as const))),
        nbf: fc.constantFrom<FactValue<'nbf'>>('past', ...(requiresClaim(policy, 'nbf') ? [] : (['absent'] as const))),
        user: fc.constantFrom<FactValue<'user'>>('active', ...(policy.requiredRole === null ? (['lacks-role'] as const) : [])),
        // What a declared weaker contract lets through is clean too.
        key: fc.constantFrom<FactValue<'key'>>('known', ...(policy.kid === 'ignored' ? (['unknown-kid'] as const) : [])),
        iss: fc.constantFrom<FactValue<'iss'>>('expected', ...absentOk(policy, 'iss')),
        aud: fc.constantFrom<FactValue<'aud'>>('expected', ...absentOk(policy, 'aud')),
        typ: fc.constantFrom<FactValue<'typ'>>('expected', ...absentOk(policy, 'typ')),
        sub: fc.constantFrom<FactValue<'sub'>>('present', ...(requiresClaim(policy, 'sub') ? [] : (['missing'] as const))),
        iat: fc.constantFrom<FactValue<'iat'>>('present', ...(requiresClaim(policy, 'iat') ? [] : (['missing'] as const))),
        jti: fc.constantFrom<FactValue<'jti'>>('present', ...(requiresClaim(policy, 'jti') ? [] : (['missing'] as const))),
        noise: noiseArb,
      }),
    );
    fc.assert(
      fc.property(cleanArb, ({ policy, ...clean }) => {
        const facts = { ...CANONICAL_FACTS, ...clean };
        expect(defectsOf(facts, policy)).toEqual([]);
        expect(predict(policy, facts).outcome).toBe('accept');
      }),
      { numRuns: 1000 },
    );
  });

  it('property: noise never changes a prediction', () => {
    fc.assert(
      fc.property(policyAndFacts, noiseArb, ({ policy, facts }, noise) => {
        expect(predict(policy, { ...facts, noise })).toEqual(predict(policy, { ...facts, noise: NO_NOISE }));
      }),
      { numRuns: 1000 },
    );
  });

  it('property: the same facts and policy always give the same prediction and trace', () => {
    fc.assert(
      fc.property(policyAndFacts, ({ policy, facts }) => {
        const again = resolvePolicy(JSON.parse(JSON.stringify(policy)));
        expect(predict(again, structuredClone(facts))).toEqual(predict(policy, facts));
      }),
      { numRuns: 500 },
    );
  });

  it('property: every prediction ends in a terminal state named after its reason, whose outcome the policy gives', () => {
    fc.assert(
      fc.property(policyAndFacts, ({ policy, facts }) => {
        const p = predict(policy, facts);
        expect(p.trace.at(-1)).toBe(p.reason);
        expect(p.outcome).toBe(outcomeOf(policy, p.reason));
      }),
      { numRuns: 1000 },
    );
  });
});

describe('machine', () => {
  it.each(['default', 'rfc-strict'] as const)('maps every terminal state of %s to exactly one outcome and one reason', (profile) => {
    const policy = profilePolicy(profile);
    const machine = machineFor(policy);
    const terminals = allStateIds(machine)
      .map((id) => machine.getStateNodeById(id))
      .filter((n) => n.type === 'final');
    expect(terminals.length).toBeGreaterThan(30);
    for (const node of terminals) {
      const meta = node.meta as TerminalMeta;
      expect(REASONS).toContain(meta.reason);
      expect(meta.reason).toBe(node.id);
      expect(meta.outcome).toBe(outcomeOf(policy, meta.reason));
      expect(node.transitions.size).toBe(0);
    }
    // and no state that is not terminal carries an outcome
    const others = allStateIds(machine).map((id) => machine.getStateNodeById(id)).filter((n) => n.type !== 'final');
    for (const node of others) expect((node.meta as TerminalMeta | undefined)?.outcome).toBeUndefined();
  });

  it('has no stage for a check the policy does not make', () => {
    const lax = resolvePolicy({ typ: null, requiredRole: null, allowedOrigins: [], placements: { 'first-message': false } });
    const ids = allStateIds(machineFor(lax));
    expect(ids).not.toContain('typ');
    expect(ids).not.toContain('role');
    expect(ids).not.toContain('awaiting-auth-message');
    expect(ids).not.toContain('origin-foreign');
    expect(ids).not.toContain('auth-message-invalid');
  });

  it('follows the declared weaker contracts: a stage or branch per check the target makes, none for one it skips', () => {
    const weak = resolvePolicy({ kid: 'ignored', maxTokenBytes: null, users: 'stateless', requiredRole: null, claimChecks: { iss: 'when-present', typ: 'unchecked' } });
    const ids = allStateIds(machineFor(weak));
    for (const absent of ['key-unknown-kid', 'token-oversize', 'lookup', 'user', 'role', 'iss-missing', 'typ', 'sub', 'dependency-timeout']) expect(ids).not.toContain(absent);
    for (const present of ['iss', 'iss-mismatch', 'aud-missing', 'exp-missing']) expect(ids).toContain(present);
    const noExpiry = resolvePolicy({ session: { closeAtExp: false } });
    expect(allStateIds(machineFor(noExpiry))).not.toContain('session-token-expired');
    expect(factDomains(noExpiry).session).not.toContain('token-expires');
    // Each revocation while connected is its own transition, present only when the target closes on it.
    const revocations = (p: typeof noExpiry) => transitionsInto(machineFor(p), 'session-user-revoked');
    expect(revocations(profilePolicy('default'))).toEqual(['ROLE_REMOVED', 'USER_DELETED', 'USER_REVOKED']);
    const deactivationOnly = resolvePolicy({ session: { revocation: ['deactivation'] } });
    expect(revocations(deactivationOnly)).toEqual(['USER_REVOKED']);
    expect(factDomains(deactivationOnly).session).not.toContain('user-deleted');
    expect(factDomains(resolvePolicy({ requiredRole: null })).session).not.toContain('user-role-removed');
    for (const session of ['user-revoked', 'user-deleted', 'user-role-removed'] as const) {
      expect(predict(profilePolicy('default'), { ...CANONICAL_FACTS, session })).toMatchObject({ outcome: 'close-1008', reason: 'session-user-revoked' });
    }
    const strict = resolvePolicy({ requiredClaims: ['exp', 'nbf', 'iat', 'jti'] });
    expect(allStateIds(machineFor(strict))).toEqual(expect.arrayContaining(['iat', 'jti', 'nbf-missing', 'iat-missing', 'jti-missing']));
    expect(predict(weak, { ...CANONICAL_FACTS, key: 'unknown-kid', iss: 'missing', sub: 'missing', user: 'missing' })).toMatchObject({ outcome: 'accept' });
    expect(predict(strict, { ...CANONICAL_FACTS, nbf: 'past', jti: 'missing' })).toMatchObject({ outcome: 'reject-401', reason: 'jti-missing' });
    expect(predict(strict, CANONICAL_FACTS)).toMatchObject({ outcome: 'reject-401', reason: 'nbf-missing' });
  });
});
