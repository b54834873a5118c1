// The judge reads RFC 6750 3.1 from the request; the reference backend writes its
// challenge from its own table (NO_TOKEN_REASONS). Over every model path that ends in a
// 401, the two must agree, so a wrong entry in the backend's table would be seen.
import { describe, expect, it } from 'vitest';
import { generatePaths } from '../../model/paths.ts';
import { resolvePolicy } from '../../model/policy.ts';
import { NO_TOKEN_REASONS, isHandshakeReason } from '../../model/reasons.ts';
import { bearerTokenPresented } from './checks.ts';
import type { JudgeInput } from './context.ts';

describe('WWW-Authenticate from the RFC rule', () => {
  it.each(['default', 'rfc-strict'] as const)('agrees with the backend\'s no-token reasons on every 401 path (%s, query placement on)', (profile) => {
    const policy = resolvePolicy({ profile, placements: { query: true } });
    const paths = generatePaths(policy).paths.filter((p) => p.outcome === 'reject-401');
    expect(paths.length).toBeGreaterThan(10);
    for (const path of paths) {
      const { facts } = path;
      // As the forge sends them: no credential for placement none, an empty one for scheme empty.
      const tokenPresented = facts.placement !== 'none' && facts.placement !== 'first-message' && facts.scheme !== 'empty';
      const presented = bearerTokenPresented({ policy, facts, tokenPresented } as JudgeInput);
      const noToken = isHandshakeReason(path.reason) && NO_TOKEN_REASONS.includes(path.reason);
      expect(presented, `${path.id} (${path.reason})`).toBe(!noToken);
    }
  });

  it('a token in a placement the target does not read, or under another scheme, is no bearer token', () => {
    const policy = resolvePolicy({ placements: { query: false } });
    const base = { placement: 'authorization-header', scheme: 'bearer' };
    const input = (facts: object) => ({ policy, facts: { ...base, ...facts }, tokenPresented: true }) as unknown as JudgeInput;
    expect(bearerTokenPresented(input({}))).toBe(true);
    expect(bearerTokenPresented(input({ scheme: 'bearer-odd-case' }))).toBe(true);
    expect(bearerTokenPresented(input({ scheme: 'other' }))).toBe(false);
    expect(bearerTokenPresented(input({ placement: 'query' }))).toBe(false);
  });
});
