// Messages between the engine's thread and the embedded host (a worker thread running
// the reference backends and their PGlite). Only the engine posts these: nothing a
// request carries reaches this channel.
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

export type HostReply = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: { name: string; message: string } };
