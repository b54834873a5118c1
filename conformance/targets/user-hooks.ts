// Users behind a hook: the operator's own program (`command`) or endpoint (`http`) is
// told, one JSON object per change, which user to create, deactivate, delete or strip of
// a role. A command gets one or more changes per run, one per line (a run's users in one
// go: starting a program per user would cost more than the cases); an endpoint gets one
// change per POST. The tool knows nothing of the store behind it, so any backend can be seeded
// (docs/targets.md "User hooks"). Header values and the hook's output are never printed
// beyond a short excerpt of what it said when it failed.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { REVOCATIONS, type Policy, type Revocation } from '../../model/policy.ts';
import { TargetError } from '../../model/errors.ts';
import { runPool } from '../pool/pool.ts';
import type { Target } from './target.ts';
import type { UserKind } from '../capabilities/capabilities.ts';

/** What the hook is asked to do, as the JSON it receives. */
export type UserChange =
  | { action: 'create'; userId: string; active: boolean; roles: string[] }
  | { action: 'deactivate'; userId: string }
  | { action: 'delete'; userId: string }
  | { action: 'remove-role'; userId: string; role: string };

export type HookSource =
  | {
      kind: 'command';
      /** Program and arguments (no shell); the changes go to its standard input, one JSON object per line. */
      command: string[];
      /** Working directory of the program (the config file's folder). */
      cwd: string;
      timeoutMs?: number;
    }
  | {
      kind: 'http';
      /** The JSON is POSTed here. */
      url: string;
      /** Request headers, values already resolved (e.g. from environment variables). */
      headers: Record<string, string>;
      timeoutMs?: number;
    };

const DEFAULT_TIMEOUT_MS = 30_000;
const POOL_SIZE = 4;

/** The part of a Target that puts users in place through a hook. */
export type HookUsers = Pick<Target, 'description' | 'capabilities' | 'prepareUser' | 'prepareUsers' | 'revokeUser' | 'close'>;

export function hookUsers(source: HookSource, policy: Policy): HookUsers {
  const send = (changes: UserChange[]): Promise<unknown> =>
    changes.length === 0 ? Promise.resolve() : source.kind === 'command' ? runCommand(source, changes) : runPool(changes, POOL_SIZE, () => 0, (c) => postChange(source, c));
  const prefix = `wsac-${randomBytes(4).toString('hex')}`;
  const role = policy.requiredRole ?? 'member';
  // Users that exist in the target's store now: deleted at the end of the run.
  const present = new Set<string>();
  const create = (caseId: string, kind: UserKind): UserChange | null =>
    kind === 'missing' ? null : { action: 'create', userId: `${prefix}-${caseId}`, active: kind !== 'inactive', roles: kind === 'lacks-role' ? ['viewer'] : [role] };
  const prepare = async (requests: ReadonlyArray<{ caseId: string; kind: UserKind }>) => {
    const creates = requests.map((r) => create(r.caseId, r.kind)).filter((c) => c !== null);
    await send(creates);
    for (const c of creates) present.add(c.userId);
    return requests.map((r) => `${prefix}-${r.caseId}`);
  };
  const revocations: Record<Revocation, (userId: string) => UserChange> = {
    deactivation: (userId) => ({ action: 'deactivate', userId }),
    deletion: (userId) => ({ action: 'delete', userId }),
    'role-removal': (userId) => ({ action: 'remove-role', userId, role }),
  };
  return {
    description: source.kind === 'command' ? `users by command hook ${source.command[0]}` : `users by HTTP hook ${new URL(source.url).origin}`,
    capabilities: { stall: false, revoke: REVOCATIONS, userKinds: ['active', 'missing', 'inactive', 'lacks-role'] },
    prepareUser: async (caseId, kind) => (await prepare([{ caseId, kind }]))[0]!,
    prepareUsers: prepare,
    async revokeUser(userId, how) {
      await send([revocations[how](userId)]);
      if (how === 'deletion') present.delete(userId);
    },
    async close() {
      const left = [...present].map((userId): UserChange => ({ action: 'delete', userId }));
      present.clear();
      await send(left).catch(() => undefined);
    },
  };
}

/** A short, single-line excerpt of what a failing hook said. */
function excerpt(text: string): string {
  const line = text.trim().replace(/\s+/g, ' ');
  return line.length > 200 ? `${line.slice(0, 200)}...` : line;
}

function runCommand(source: Extract<HookSource, { kind: 'command' }>, changes: UserChange[]): Promise<void> {
  const [program, ...args] = source.command;
  const first = changes[0]!;
  const what = `user hook ${program} (${first.action} ${first.userId}${changes.length > 1 ? ` and ${changes.length - 1} more` : ''})`;
  return new Promise((resolve, reject) => {
    const child = spawn(program!, args, { cwd: source.cwd, stdio: ['pipe', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => {
      if (stderr.length < 4096) stderr += chunk.toString('utf8');
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new TargetError(`${what} did not finish within ${source.timeoutMs ?? DEFAULT_TIMEOUT_MS} ms (raise target.users.timeoutMs if it is just slow)`));
    }, source.timeoutMs ?? DEFAULT_TIMEOUT_MS);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(new TargetError(`${what} could not start: ${error.message}; check target.users.command (run from ${source.cwd})`));
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve();
      else reject(new TargetError(`${what} failed with ${signal ?? `exit code ${code}`}${stderr ? `: ${excerpt(stderr)}` : ''}`));
    });
    // A hook that does not read its input must not crash the run with EPIPE.
    child.stdin!.on('error', () => {});
    child.stdin!.end(changes.map((c) => `${JSON.stringify(c)}\n`).join(''));
  });
}

async function postChange(source: Extract<HookSource, { kind: 'http' }>, change: UserChange): Promise<void> {
  const what = `user hook POST ${source.url} (${change.action} ${change.userId})`;
  let response: Response;
  try {
    response = await fetch(source.url, {
      method: 'POST',
      headers: { ...source.headers, 'content-type': 'application/json' },
      body: JSON.stringify(change),
      signal: AbortSignal.timeout(source.timeoutMs ?? DEFAULT_TIMEOUT_MS),
    });
  } catch (error) {
    const cause = (error as Error).name === 'TimeoutError' ? `no answer within ${source.timeoutMs ?? DEFAULT_TIMEOUT_MS} ms` : ((error as { cause?: Error }).cause ?? (error as Error)).message;
    throw new TargetError(`${what} failed: ${cause}; check target.users.http`);
  }
  const body = await response.text().catch(() => '');
  if (!response.ok) throw new TargetError(`${what} answered HTTP ${response.status}${body ? `: ${excerpt(body)}` : ''}`);
}
