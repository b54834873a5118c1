// Messages between the engine's thread and the embedded host (a worker thread running
// the reference backends and their PGlite). Only the engine posts these: nothing a
// request carries reaches this channel.
import { EmbeddedHostError, isConformanceError, isErrorCode, type ErrorCode } from '../../model/errors.ts';
import type { Policy, Revocation } from '../../model/policy.ts';
import type { KeySource, MutantId, UserSeed } from '../../src/index.ts';

export type HostRequest =
  | { op: 'start'; policy: Policy; keys: KeySource; mutant: MutantId | null; stallMs: number; decisionLog: string | null }
  | { op: 'prepare'; backend: number; users: UserSeed[]; stalls: Array<{ userId: string; ms: number | undefined }> }
  | { op: 'revoke'; userId: string; how: Revocation; role: string | null }
  | { op: 'stop'; backend: number }
  | { op: 'close' };

export interface HostResults {
  start: { backend: number; url: string };
  prepare: void;
  revoke: void;
  stop: void;
  close: void;
}

/** A failure inside the host: `code` when it is one of model/errors.ts (a user's), else the stack of a bug. */
export interface HostFailure {
  name: string;
  message: string;
  code?: ErrorCode;
  stack?: string;
}

export type HostReply = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: HostFailure };

/** The worker's side: a user's error keeps its code across the thread, a bug its stack. */
export function toHostFailure(error: Error): HostFailure {
  if (isConformanceError(error)) return { name: error.name, message: error.message, code: error.code };
  return { name: error.name, message: error.message, ...(error.stack ? { stack: error.stack } : {}) };
}

/** The engine's side: a user's error as an EmbeddedHostError with the code thrown in the worker; a bug as a plain Error with the worker's stack. */
export function fromHostFailure(failure: HostFailure): Error {
  const message = `embedded backend: ${failure.message}`;
  if (isErrorCode(failure.code)) return new EmbeddedHostError(message, failure.code);
  const bug = new Error(message);
  bug.name = failure.name;
  if (failure.stack) bug.stack = `${failure.name}: ${message}\n${failure.stack.split('\n').slice(1).join('\n')}`;
  return bug;
}
