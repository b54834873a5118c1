import { describe, expect, it } from 'vitest';
import { declaredContracts } from './declared.ts';
import { PolicyError, policyDigest, profilePolicy, resolvePolicy } from './policy.ts';

describe('policy', () => {
  it('resolves a file over its profile', () => {
    const p = resolvePolicy({ profile: 'rfc-strict', issuer: 'https://id.example', placements: { query: true } });
    expect(p.issuer).toBe('https://id.example');
    expect(p.placements.query).toBe(true);
    expect(p.placements['authorization-header']).toBe(true);
    expect(p.outcomes['user-unknown']).toBe('reject-401');
  });

  it.each([
    [{ issuerr: 'x' }, /policy\.issuerr: unknown field/],
    [{ profile: 'lenient' }, /policy\.profile: unknown profile "lenient"/],
    [{ outcomes: { 'alg-none': 'accept' } }, /policy\.outcomes\.alg-none: "accept" is not allowed here; use "reject-<4xx\|5xx>"/],
    [{ outcomes: { 'alg-none': 'reject-200' } }, /policy\.outcomes\.alg-none: "reject-200" is not allowed here/],
    [{ outcomes: { 'alg-none': 'close-1006' } }, /policy\.outcomes\.alg-none: "close-1006" is not allowed here/],
    [{ outcomes: { 'dependency-timeout': 'reject-401' } }, /policy\.outcomes\.dependency-timeout: "reject-401" is not allowed here; use "timeout", "reject-<5xx>"/],
    [{ outcomes: { 'session-token-expired': 'reject-401' } }, /policy\.outcomes\.session-token-expired: "reject-401" is not allowed here; use "close-<code>"/],
    [{ outcomes: { 'client-closed': 'reject-401' } }, /policy\.outcomes\.client-closed: not an overridable reason/],
    [{ placements: { header: true } }, /policy\.placements\.header: unknown placement/],
    [{ algorithms: ['HS256', 'RS256'] }, /policy\.algorithms: mix of HMAC and asymmetric/],
    [{ algorithms: ['none'] }, /policy\.algorithms: unsupported "none"/],
    [{ clockSkewSeconds: -1 }, /policy\.clockSkewSeconds: a non-negative number/],
    [{ placements: { 'authorization-header': false, subprotocol: false, cookie: false, 'first-message': false } }, /enable at least one placement/],
    [{ kid: 'maybe' }, /policy\.kid: "maybe" is not one of required-matched, ignored, jwks/],
    [{ kid: 'jwks' }, /policy\.kid: "jwks" needs asymmetric algorithms/],
    [{ claimChecks: { iss: 'sometimes' } }, /policy\.claimChecks\.iss: "sometimes" is not one of required, when-present, unchecked/],
    [{ claimChecks: { sub: 'required' } }, /policy\.claimChecks\.sub: not a checked claim/],
    [{ requiredClaims: ['iss'] }, /policy\.requiredClaims: "iss" cannot be listed/],
    [{ users: 'stateless' }, /policy\.requiredRole: must be null when users is "stateless"/],
    [{ maxTokenBytes: 10 }, /policy\.maxTokenBytes: a whole number of bytes/],
    [{ credentials: { firstMessage: { template: '{"type":"auth"}' } } }, /policy\.credentials\.firstMessage\.template: JSON with \{\{token\}\} exactly once/],
    [{ credentials: { firstMessage: { template: '{"token":{{token}}}' } } }, /policy\.credentials\.firstMessage\.template: not JSON once/],
    [{ credentials: { header: { name: 'X Auth' } } }, /policy\.credentials\.header\.name: a non-empty token/],
    [{ credentials: { queryName: 'x' } }, /policy\.credentials\.queryName: unknown credential field/],
    [{ session: { revocation: ['delete'] } }, /policy\.session\.revocation: an array of distinct values among deactivation, deletion, role-removal/],
    [{ session: { revocation: 'deletion' } }, /policy\.session\.revocation: an array/],
    [{ session: { onDelete: true } }, /policy\.session\.onDelete: unknown session rule; use closeAtExp, revocation/],
  ])('rejects %j with a message naming the field', (input, message) => {
    expect(() => resolvePolicy(input as never)).toThrow(PolicyError);
    expect(() => resolvePolicy(input as never)).toThrow(message);
  });

  it('reports every problem at once, not only the first', () => {
    const error = (() => {
      try {
        resolvePolicy({ issuerr: 'x', clockSkewSeconds: -1, placements: { header: true }, algorithms: ['none'] } as never);
      } catch (e) {
        return e as PolicyError;
      }
    })();
    expect(error).toBeInstanceOf(PolicyError);
    expect(error!.problems.map((p) => p.field).sort()).toEqual(['algorithms', 'clockSkewSeconds', 'issuerr', 'placements.header']);
    expect(error!.message).toMatch(/policy\.issuerr: unknown field.*; policy\.placements\.header: unknown placement.*; policy\.algorithms: unsupported "none".*; policy\.clockSkewSeconds: a non-negative number/);
  });

  it('declares each weaker contract once, and none for the default profile', () => {
    expect(declaredContracts(profilePolicy('default'))).toEqual([]);
    const weak = resolvePolicy({ kid: 'ignored', maxTokenBytes: null, users: 'stateless', requiredRole: null, typ: null, claimChecks: { iss: 'when-present' } });
    expect(declaredContracts(weak).map((d) => d.id)).toEqual(['kid-ignored', 'iss-when-present', 'typ-unchecked', 'sub-optional', 'no-size-limit', 'stateless']);
    // A revocation the target does not close on is declared once; role removal only where there is a role to lose.
    expect(declaredContracts(resolvePolicy({ session: { revocation: ['deactivation'] } })).map((d) => d.id)).toEqual(['no-close-on-deletion', 'no-close-on-role-removal']);
    expect(declaredContracts(resolvePolicy({ requiredRole: null, session: { revocation: [] } })).map((d) => d.id)).toEqual(['no-close-on-deactivation', 'no-close-on-deletion']);
  });

  it('keeps the digest of a policy written before session.revocation, and changes it when fewer revocations are named', () => {
    const before = resolvePolicy({ session: { closeAtExp: false } });
    const listed = resolvePolicy({ session: { closeAtExp: false, revocation: ['role-removal', 'deletion', 'deactivation'] } });
    expect(policyDigest(listed)).toBe(policyDigest(before));
    expect(policyDigest(resolvePolicy({ session: { revocation: ['deactivation'] } }))).not.toBe(policyDigest(profilePolicy('default')));
  });

  it('digests are stable across key order and differ across contracts', () => {
    const a = resolvePolicy({ issuer: 'i', audience: 'a' });
    const b = resolvePolicy({ audience: 'a', issuer: 'i' });
    expect(policyDigest(a)).toBe(policyDigest(b));
    expect(policyDigest(a)).not.toBe(policyDigest(profilePolicy('default')));
  });
});
