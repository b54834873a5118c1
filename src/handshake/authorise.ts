// Stage 5: may this user open a socket? Also used for open sessions when the user changes.
import type { Policy } from '../../model/policy.ts';
import type { HandshakeReason } from '../../model/reasons.ts';
import type { DirectoryUser } from '../directory/directory.ts';

export interface AuthoriseChecks {
  active: boolean;
  role: boolean;
}

export function authorise(
  user: DirectoryUser | null,
  policy: Policy,
  checks: AuthoriseChecks = { active: true, role: true },
): HandshakeReason | null {
  if (user === null) return 'user-unknown';
  if (checks.active && !user.isActive) return 'user-inactive';
  if (checks.role && policy.requiredRole !== null && !user.roles.includes(policy.requiredRole)) return 'user-lacks-role';
  return null;
}
