// The spec's vocabulary for the lifecycle's checks: the stage ids, the group each
// belongs to, the one fact each decides on, and how a predicted trace is read by them
// (the judge's hints, the driver). The table of what each stage does is stages.ts.
import type { FactName } from './facts.ts';

export const GROUPS = {
  handshake: 'Upgrade request',
  token: 'Token',
  claims: 'Claims',
  directory: 'User directory',
  session: 'Open session',
} as const;
export type GroupId = keyof typeof GROUPS;

/** The states of the lifecycle that are checks (every other state is a reason: a terminal). */
export const STAGE_IDS = [
  'origin',
  'credential',
  'structure',
  'algorithm',
  'key',
  'signature',
  'awaiting-auth-message',
  'exp',
  'nbf',
  'iat',
  'iss',
  'aud',
  'typ',
  'jti',
  'sub',
  'lookup',
  'user',
  'role',
  'authenticated',
] as const;
export type StageId = (typeof STAGE_IDS)[number];

export function isStageId(value: string): value is StageId {
  return (STAGE_IDS as readonly string[]).includes(value);
}

/**
 * The one fact of a case a stage decides on; null where it reads several (the credential:
 * placement and scheme), timing (the lookup) or the session's events.
 */
export const STAGE_FACT: Record<StageId, FactName | null> = {
  origin: 'origin',
  credential: null,
  structure: 'structure',
  algorithm: 'alg',
  key: 'key',
  signature: 'signature',
  'awaiting-auth-message': null,
  exp: 'exp',
  nbf: 'nbf',
  iat: 'iat',
  iss: 'iss',
  aud: 'aud',
  typ: 'typ',
  jti: 'jti',
  sub: 'sub',
  lookup: null,
  user: 'user',
  role: 'user',
  authenticated: null,
};

/** Whether a predicted trace passes through a stage. */
export function visits(trace: readonly string[], stage: StageId): boolean {
  return trace.includes(stage);
}

/** The stage whose branch ended a predicted trace: the last state before its terminal. */
export function decidingStage(trace: readonly string[]): StageId | undefined {
  const stage = trace.at(-2);
  return stage !== undefined && isStageId(stage) ? stage : undefined;
}
