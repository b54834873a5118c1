// The lifecycle as a table: one stage per check, in the order a server meets them.
// The machine, the diagrams and the path generator are all built from this table,
// specialised to a policy: a check the target does not make has no stage, so every
// state and transition of the resulting machine is one the target must exhibit.
import type { FactName } from './facts.ts';
import type { EventType } from './events.ts';
import { CHECKED_CLAIMS, PLACEMENTS, claimCheck, requiresClaim, revocationsOf, usesSymmetricKey, type Policy, type Revocation } from './policy-types.ts';
import type { Reason } from './reasons.ts';
import type { GroupId, StageId } from './stage-ids.ts';

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
  id: StageId;
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

const REVOCATION_EVENTS = { deactivation: 'USER_REVOKED', deletion: 'USER_DELETED', 'role-removal': 'ROLE_REMOVED' } as const satisfies Record<Revocation, EventType>;
const REVOCATION_LABELS: Record<Revocation, string> = { deactivation: 'user deactivated', deletion: 'user deleted', 'role-removal': 'required role removed' };

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
      ...(policy.placements['authorization-header'] && policy.credentials.header.scheme !== null
        ? [reject('credential-scheme', { placement: ['authorization-header'], scheme: ['other'] }, `scheme not ${policy.credentials.header.scheme}`)]
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
        ...(policy.maxTokenBytes === null ? [] : [reject('token-oversize', { structure: ['oversize'] }, 'over the size limit')]),
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
        ...(policy.kid === 'ignored' ? [] : [reject('key-unknown-kid', { key: policy.kid === 'jwks' ? ['unknown-kid', 'retired'] : ['unknown-kid'] }, policy.kid === 'jwks' ? 'kid not in the JWKS' : 'unknown kid')]),
        reject('key-attacker-supplied', { key: ['attacker-jwk', 'attacker-jku', 'attacker-x5u'] }, 'jwk / jku / x5u'),
        reject('key-injection', { key: ['kid-injection'] }, 'kid injection'),
        { to: 'signature', label: policy.kid === 'ignored' ? 'the one key (kid ignored)' : 'known key' },
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
  );
  stages.push(...claimStages(policy));
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
      ...(policy.session.closeAtExp ? [{ event: 'TOKEN_EXPIRED' as const, to: 'session-token-expired', label: 'exp + skew reached' }] : []),
      ...revocationsOf(policy).map((r) => ({ event: REVOCATION_EVENTS[r], to: 'session-user-revoked', label: REVOCATION_LABELS[r] })),
    ],
  });
  return stages;
}

type Unlinked = Omit<Stage, 'branches'> & { branches: Branch[]; pass: string };

/** The claim checks and the user directory, each passing on to the next stage the policy has. */
function claimStages(policy: Policy): Stage[] {
  const chain: Unlinked[] = [
    claim('exp', [
      reject('exp-expired', { exp: ['past'] }, 'past beyond skew'),
      reject('exp-malformed', { exp: ['wrong-type'] }, 'not a number'),
      ...(requiresClaim(policy, 'exp') ? [reject('exp-missing', { exp: ['missing'] }, 'missing')] : []),
    ], `future or within ${policy.clockSkewSeconds}s skew`),
    claim('nbf', [
      reject('nbf-future', { nbf: ['future'] }, 'future beyond skew'),
      ...(requiresClaim(policy, 'nbf') ? [reject('nbf-missing', { nbf: ['absent'] }, 'missing')] : []),
    ], requiresClaim(policy, 'nbf') ? 'past' : 'absent or past'),
  ];
  if (requiresClaim(policy, 'iat')) chain.push(claim('iat', [reject('iat-missing', { iat: ['missing'] }, 'missing')], 'present'));
  for (const name of CHECKED_CLAIMS) {
    const mode = claimCheck(policy, name);
    if (mode === 'unchecked') continue;
    chain.push(
      claim(name, [
        reject(`${name}-mismatch` as Reason, { [name]: ['wrong'] }, 'wrong'),
        ...(mode === 'required' ? [reject(`${name}-missing` as Reason, { [name]: ['missing'] }, 'missing')] : []),
      ], mode === 'required' ? 'expected' : 'expected or absent'),
    );
  }
  if (requiresClaim(policy, 'jti')) chain.push(claim('jti', [reject('jti-missing', { jti: ['missing'] }, 'missing')], 'present'));
  if (requiresClaim(policy, 'sub')) chain.push(claim('sub', [reject('sub-missing', { sub: ['missing'] }, 'missing')], 'present'));
  if (policy.users === 'directory') chain.push(...directoryStages(policy));
  return chain.map(({ pass, ...stage }, i) => ({
    ...stage,
    branches: [...stage.branches, { to: chain[i + 1]?.id ?? 'authenticated', label: pass }],
  }));
}

function claim(id: StageId, branches: Branch[], pass: string): Unlinked {
  const event = `CLAIM_${id.toUpperCase()}` as EventType;
  return { id, group: 'claims', title: id, event, afterAccept: 'credential', branches, pass };
}

function directoryStages(policy: Policy): Unlinked[] {
  const stages: Unlinked[] = [
    {
      id: 'lookup',
      group: 'directory',
      title: 'User lookup',
      event: 'LOOKUP',
      afterAccept: 'dependency',
      branches: [reject('dependency-timeout', { latency: ['stalled'] }, 'no answer by the deadline')],
      pass: 'answered in time',
    },
    {
      id: 'user',
      group: 'directory',
      title: 'User state',
      event: 'USER',
      afterAccept: 'credential',
      branches: [reject('user-unknown', { user: ['missing'] }, 'not in the directory'), reject('user-inactive', { user: ['inactive'] }, 'inactive')],
      pass: 'active',
    },
  ];
  if (policy.requiredRole !== null) {
    stages.push({
      id: 'role',
      group: 'directory',
      title: `Role "${policy.requiredRole}"`,
      event: 'ROLE',
      afterAccept: 'credential',
      branches: [reject('user-lacks-role', { user: ['lacks-role'] }, 'role missing')],
      pass: 'role held',
    });
  }
  return stages;
}
