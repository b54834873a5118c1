// The lifecycle as a table: one stage per check, in the order a server meets them.
// The machine, the diagrams and the path generator are all built from this table,
// specialised to a policy: a check the target does not make has no stage, so every
// state and transition of the resulting machine is one the target must exhibit.
import type { FactName } from './facts.ts';
import type { EventType } from './events.ts';
import { PLACEMENTS, usesSymmetricKey, type Policy } from './policy.ts';
import type { Reason } from './reasons.ts';

export const GROUPS = {
  handshake: 'Upgrade request',
  token: 'Token',
  claims: 'Claims',
  directory: 'User directory',
  session: 'Open session',
} as const;
export type GroupId = keyof typeof GROUPS;

/** A condition on the facts carried by the stage's event. */
export type Condition = Partial<Record<FactName, readonly string[]>>;

export interface Branch {
  /** Taken when every listed fact has one of the listed values; `otherwise` when absent. */
  when?: Condition;
  /** Condition on the policy, fixed when the machine is built. */
  placementDisabled?: true;
  to: string;
  label: string;
}

export interface Stage {
  id: string;
  group: GroupId;
  title: string;
  event: EventType;
  /** Tried in order; the first whose condition holds is taken. */
  branches: Branch[];
  /** Extra events that the stage also handles (the open session ends in three ways). */
  alsoOn?: Array<{ event: EventType; to: string; label: string }>;
  /**
   * Whether a credential that fails here during first-message auth closes the socket
   * (1008) instead of refusing the upgrade: the checks after the handshake are the
   * same, only the way the refusal reaches the client differs.
   */
  afterAccept?: 'credential' | 'dependency';
}

const reject = (to: Reason, when: Condition, label: string): Branch => ({ to, when, label });

/** Whether any credential arrives with the upgrade request (else only first-message auth). */
export function hasHandshakeCredential(policy: Policy): boolean {
  return PLACEMENTS.some((p) => p !== 'first-message' && policy.placements[p]);
}

export function stagesFor(policy: Policy): Stage[] {
  const stages: Stage[] = [];
  const originChecked = policy.allowedOrigins.length > 0;
  const firstMessage = policy.placements['first-message'];

  stages.push({
    id: 'origin',
    group: 'handshake',
    title: 'Origin check',
    event: 'REQUEST',
    branches: [
      ...(originChecked
        ? [
            reject('origin-foreign', { origin: ['foreign'] }, 'Origin not allowed'),
            reject('origin-null', { origin: ['null'] }, 'Origin: null'),
          ]
        : []),
      { to: 'credential', label: originChecked ? 'Origin absent or allowed' : 'no Origin policy' },
    ],
  });

  const handshakePlacements = PLACEMENTS.filter((p) => p !== 'first-message' && policy.placements[p]);
  stages.push({
    id: 'credential',
    group: 'handshake',
    title: 'Credential extraction',
    event: 'CREDENTIAL',
    branches: [
      firstMessage
        ? { to: 'awaiting-auth-message', placementDisabled: true, label: 'no credential: wait for an auth message' }
        : { to: 'credential-missing', placementDisabled: true, label: 'no credential in an enabled placement' },
      ...(firstMessage
        ? [{ to: 'awaiting-auth-message', when: { placement: ['first-message'] }, label: 'none: first-message auth' }]
        : []),
      ...(policy.placements['authorization-header']
        ? [reject('credential-scheme', { placement: ['authorization-header'], scheme: ['other'] }, 'scheme not Bearer')]
        : []),
      ...(handshakePlacements.length > 0
        ? [
            reject('credential-empty', { scheme: ['empty'] }, 'empty credential'),
            { to: 'structure', label: `token in ${handshakePlacements.join(' / ')}` },
          ]
        : []),
    ],
  });

  stages.push(
    {
      id: 'structure',
      group: 'token',
      title: 'Token parse',
      event: 'TOKEN',
      afterAccept: 'credential',
      branches: [
        reject('token-oversize', { structure: ['oversize'] }, 'over the size limit'),
        reject('token-encrypted', { structure: ['jwe'] }, 'JWE'),
        reject('token-malformed', { structure: ['not-jwt', 'bad-base64url', 'wrong-segment-count'] }, 'not a compact JWS'),
        { to: 'algorithm', label: 'compact JWS' },
      ],
    },
    {
      id: 'algorithm',
      group: 'token',
      title: 'Algorithm',
      event: 'ALG',
      afterAccept: 'credential',
      branches: [
        reject('alg-none', { alg: ['none'] }, 'alg none'),
        reject('alg-not-allowed', { alg: ['not-allowed'] }, 'alg not allowed'),
        ...(usesSymmetricKey(policy)
          ? []
          : [reject('alg-key-confusion', { alg: ['key-confusion'] }, 'HS with the public key')]),
        { to: 'key', label: `alg in ${policy.algorithms.join(', ')}` },
      ],
    },
    {
      id: 'key',
      group: 'token',
      title: 'Key selection',
      event: 'KEY',
      afterAccept: 'credential',
      branches: [
        reject('key-unknown-kid', { key: ['unknown-kid'] }, 'unknown kid'),
        reject('key-attacker-supplied', { key: ['attacker-jwk', 'attacker-jku', 'attacker-x5u'] }, 'jwk / jku / x5u'),
        reject('key-injection', { key: ['kid-injection'] }, 'kid injection'),
        { to: 'signature', label: 'known key' },
      ],
    },
    {
      id: 'signature',
      group: 'token',
      title: 'Signature',
      event: 'SIGNATURE',
      afterAccept: 'credential',
      branches: [
        reject('signature-wrong-key', { signature: ['wrong-key'] }, 'other key'),
        reject('signature-stripped', { signature: ['stripped'] }, 'stripped'),
        reject('signature-tampered', { signature: ['tampered'] }, 'tampered payload'),
        { to: 'exp', label: 'valid' },
      ],
    },
    {
      id: 'exp',
      group: 'claims',
      title: 'exp',
      event: 'CLAIM_EXP',
      afterAccept: 'credential',
      branches: [
        reject('exp-expired', { exp: ['past'] }, 'past beyond skew'),
        reject('exp-malformed', { exp: ['wrong-type'] }, 'not a number'),
        ...(policy.requiredClaims.includes('exp') ? [reject('exp-missing', { exp: ['missing'] }, 'missing')] : []),
        { to: 'nbf', label: `future or within ${policy.clockSkewSeconds}s skew` },
      ],
    },
    {
      id: 'nbf',
      group: 'claims',
      title: 'nbf',
      event: 'CLAIM_NBF',
      afterAccept: 'credential',
      branches: [reject('nbf-future', { nbf: ['future'] }, 'future beyond skew'), { to: 'iss', label: 'absent or past' }],
    },
    claimStage('iss', 'aud', 'iss-mismatch', 'iss-missing'),
    claimStage('aud', policy.typ === null ? 'sub' : 'typ', 'aud-mismatch', 'aud-missing'),
  );
  if (policy.typ !== null) stages.push(claimStage('typ', 'sub', 'typ-mismatch', 'typ-missing'));
  stages.push(
    {
      id: 'sub',
      group: 'claims',
      title: 'sub',
      event: 'CLAIM_SUB',
      afterAccept: 'credential',
      branches: [reject('sub-missing', { sub: ['missing'] }, 'missing'), { to: 'lookup', label: 'present' }],
    },
    {
      id: 'lookup',
      group: 'directory',
      title: 'User lookup',
      event: 'LOOKUP',
      afterAccept: 'dependency',
      branches: [
        reject('dependency-timeout', { latency: ['stalled'] }, 'no answer by the deadline'),
        { to: 'user', label: 'answered in time' },
      ],
    },
    {
      id: 'user',
      group: 'directory',
      title: 'User state',
      event: 'USER',
      afterAccept: 'credential',
      branches: [
        reject('user-unknown', { user: ['missing'] }, 'not in the directory'),
        reject('user-inactive', { user: ['inactive'] }, 'inactive'),
        { to: policy.requiredRole === null ? 'authenticated' : 'role', label: 'active' },
      ],
    },
  );
  if (policy.requiredRole !== null) {
    stages.push({
      id: 'role',
      group: 'directory',
      title: `Role "${policy.requiredRole}"`,
      event: 'ROLE',
      afterAccept: 'credential',
      branches: [reject('user-lacks-role', { user: ['lacks-role'] }, 'role missing'), { to: 'authenticated', label: 'role held' }],
    });
  }
  if (firstMessage) {
    stages.push({
      id: 'awaiting-auth-message',
      group: 'session',
      title: 'Auth window',
      event: 'AUTH_MESSAGE',
      branches: [{ to: 'structure', label: 'auth message' }],
      alsoOn: [{ event: 'AUTH_WINDOW_ELAPSED', to: 'auth-message-missing', label: 'window elapsed' }],
    });
  }
  stages.push({
    id: 'authenticated',
    group: 'session',
    title: 'Authenticated',
    event: 'CLIENT_CLOSED',
    branches: [{ to: 'client-closed', label: 'client closes' }],
    alsoOn: [
      { event: 'TOKEN_EXPIRED', to: 'session-token-expired', label: 'exp + skew reached' },
      { event: 'USER_REVOKED', to: 'session-user-revoked', label: 'user deactivated / deleted' },
    ],
  });
  return stages;
}

function claimStage(claim: 'iss' | 'aud' | 'typ', next: string, mismatch: Reason, missing: Reason): Stage {
  const event = `CLAIM_${claim.toUpperCase()}` as EventType;
  return {
    id: claim,
    group: 'claims',
    title: claim,
    event,
    afterAccept: 'credential',
    branches: [reject(mismatch, { [claim]: ['wrong'] }, 'wrong'), reject(missing, { [claim]: ['missing'] }, 'missing'), { to: next, label: 'expected' }],
  };
}
