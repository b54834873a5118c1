// One case end to end on the wire: set up its user, forge its request at the last
// moment (tokens carry times), drive it, and hand back request and evidence.
import { createHash } from 'node:crypto';
import type { Case } from '../cases/case.ts';
import { subjectKind } from '../cases/edge/cases.ts';
import { forgeRequest, type ForgedRequest } from '../cases/forge/request.ts';
import type { KeyRing } from '../cases/forge/token.ts';
import type { Target, UserRequest } from '../targets/target.ts';
import { drive, type SessionPlan } from './client.ts';
import { REVOCATION_ACTIONS, type Evidence } from './evidence.ts';
import { revocationOf } from '../../model/facts.ts';
import { visits } from '../../model/stage-ids.ts';

export interface DriveSettings {
  /** Client deadline for an HTTP answer. */
  deadlineMs: number;
  /** How long an accepted socket is watched for an unexpected close. */
  observeMs: number;
  /** After a revocation, how long the server has to close. */
  revokeWatchMs: number;
  /** Allowed lateness of the close at exp + skew. */
  expiryToleranceMs: number;
}

export interface Execution {
  request: ForgedRequest;
  evidence: Evidence;
  userId: string;
}

/** A small number derived from the case key: picks among equivalent spellings (alg "None", "nOnE") deterministically. */
export function variantOf(key: string): number {
  return createHash('sha256').update(key).digest().readUInt16BE(0);
}

/** The X-Request-Id of one case execution: unique per run and per execution (re-runs get their own). */
export function requestIdFor(runId: string): string {
  return `wsac-${runId}`;
}

/** What a case needs from the target's directory. */
export function userRequestFor(kase: Case, settings: DriveSettings, caseId: string): UserRequest {
  // A stall outlasts the client's deadline too, so a backend without one is seen hanging.
  return { caseId, kind: subjectKind(kase.facts), stall: kase.facts.latency === 'stalled', stallMs: settings.deadlineMs + 2000 };
}

/** Runs one case; `userId` when its subject was prepared beforehand (Target.prepareUsers). */
export async function executeCase(target: Target, ring: KeyRing, kase: Case, settings: DriveSettings, runId: string, userId?: string): Promise<Execution> {
  const { facts } = kase;
  const policy = target.policy;
  if (userId === undefined) {
    const r = userRequestFor(kase, settings, runId);
    userId = await target.prepareUser(r.caseId, r.kind, r);
  }
  const endpoint = new URL(target.url);
  const request = await forgeRequest(facts, policy, ring, endpoint.pathname + endpoint.search, userId, Date.now(), variantOf(kase.variantKey ?? kase.key), requestIdFor(runId));
  const plan: SessionPlan = {
    handshakeDeadlineMs: settings.deadlineMs,
    authAnswerMs: policy.authWindowMs + settings.deadlineMs,
    watchMs: () => watchFor(kase, request, policy.authWindowMs, policy.clockSkewSeconds, settings),
  };
  const revocation = revocationOf(facts.session);
  if (revocation !== null) {
    plan.afterEstablished = { action: REVOCATION_ACTIONS[revocation], run: () => target.revokeUser(userId, revocation), watchMs: settings.revokeWatchMs };
  }
  const evidence = await drive(target.url, request, plan);
  return { request, evidence, userId };
}

function watchFor(kase: Case, request: ForgedRequest, authWindowMs: number, skewSeconds: number, s: DriveSettings): number {
  const { facts } = kase;
  if (facts.session === 'token-expires' && request.expSeconds !== null) {
    return Math.max(s.observeMs, (request.expSeconds + skewSeconds) * 1000 + s.expiryToleranceMs - Date.now());
  }
  if (request.authMessage === null && awaitsAuthMessage(kase)) return authWindowMs + s.deadlineMs;
  // A backend that upgrades before deciding closes a stalled case only at its deadline.
  if (facts.latency === 'stalled') return Math.max(s.observeMs, s.deadlineMs);
  return s.observeMs;
}

/**
 * Whether a backend may be waiting for a first-message auth: the placement is enabled
 * and the handshake carried no usable credential. Watching through the auth window
 * shows the close 1008 such a backend sends, instead of calling the socket accepted.
 */
function awaitsAuthMessage(kase: Case): boolean {
  const { reason, trace } = kase.prediction;
  return kase.facts.placement === 'first-message' || visits(trace, 'awaiting-auth-message') || reason === 'credential-missing' || reason === 'auth-message-missing';
}

/** A rough cost of a case in ms, so the pool starts the slow ones first. */
export function estimatedCost(kase: Case, authWindowMs: number, skewSeconds: number, s: DriveSettings): number {
  const f = kase.facts;
  if (f.session === 'token-expires') return 2000 + skewSeconds * 1000 + s.expiryToleranceMs;
  if (f.latency === 'stalled') return s.deadlineMs;
  if (revocationOf(f.session) !== null) return s.revokeWatchMs;
  if (f.placement === 'first-message') return authWindowMs;
  return kase.prediction.outcome === 'accept' || kase.prediction.outcome.startsWith('close-') ? s.observeMs : 5;
}
