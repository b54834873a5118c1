// The pipeline for one token: verify -> validate claims -> look up -> authorise.
// Shared by the upgrade request and first-message auth.
import type { Policy } from '../../model/policy.ts';
import type { HandshakeReason } from '../../model/reasons.ts';
import type { Assembly } from '../assembly.ts';
import type { Directory, DirectoryUser } from '../directory/directory.ts';
import type { UpgradeRequest } from './extract.ts';
import type { VerificationKeys } from './keys.ts';
import type { Claims } from './verify-token.ts';

export interface AuthContext {
  assembly: Assembly;
  policy: Policy;
  keys: VerificationKeys;
  directory: Directory;
}

export type AuthResult = { ok: true; user: DirectoryUser; claims: Claims } | { ok: false; reason: HandshakeReason };

export async function authenticate(token: string, request: UpgradeRequest, ctx: AuthContext): Promise<AuthResult> {
  const { assembly, policy } = ctx;
  const verified = await assembly.verifyToken(token, request, ctx.keys, policy);
  if (!verified.ok) return verified;
  const claimsDefect = assembly.validateClaims(verified.header, verified.claims, policy, Date.now() / 1000);
  if (claimsDefect) return { ok: false, reason: claimsDefect };
  // A stateless target trusts the token alone: its subject is the session's user.
  if (policy.users === 'stateless') return { ok: true, user: { userId: String(verified.claims.sub ?? ''), isActive: true, roles: [] }, claims: verified.claims };
  const user = await assembly.lookUp(ctx.directory, verified.claims.sub as string, policy);
  const refused = assembly.authorise(user, policy);
  if (refused || user === null) return { ok: false, reason: refused ?? 'user-unknown' };
  return { ok: true, user, claims: verified.claims };
}
