import type { UpgradeRequest } from '../handshake/extract.ts';
import { parseCompact } from '../handshake/verify-token.ts';
import type { Mutant } from './mutant.ts';

// The "fast path for tests" the field backend shipped to production.
function looksLikeTestTraffic({ headers }: UpgradeRequest): boolean {
  return (
    String(headers['x-e2e-test']).toLowerCase() === 'true' ||
    String(headers['x-test-type']).toLowerCase() === 'e2e' ||
    headers['x-auth-fast-path'] !== undefined
  );
}

export const headerBypass: Mutant = {
  description: 'decodes the JWT without verifying it when X-E2E-Test: true, X-Test-Type: E2E or X-Auth-Fast-Path is present',
  assemble: (base) => ({
    ...base,
    verifyToken: async (token, request, keys, policy) =>
      looksLikeTestTraffic(request) ? parseCompact(token, policy) : base.verifyToken(token, request, keys, policy),
  }),
};
