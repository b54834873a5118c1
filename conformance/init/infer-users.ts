// Who may connect, and for how long: the user directory (from the users the command
// line names), the Origin allowlist, and whether an open session ends at exp.
import type { UserKind } from '../capabilities/capabilities.ts';
import type { Draft } from './draft.ts';
import { accepted } from './probe.ts';
import type { Send } from './infer-token.ts';

/** A subject no backend knows, for the "unknown user" probe and the config's `missing` user. */
export const NO_SUCH_USER = 'wsac-no-such-user';

export interface UserFlags {
  /** Users by state, as the config's `users.fixed`; `active` may be absent (then any subject is tried). */
  fixed: Partial<Record<UserKind, string>>;
  role: string | null;
}

/** Directory or stateless: does a subject nobody knows get in with a valid token? */
export async function inferUsers(send: Send, draft: Draft, flags: UserFlags): Promise<void> {
  const unknown = await send('user=unknown', { user: 'missing' }, { userId: flags.fixed.missing ?? NO_SUCH_USER });
  if (accepted(unknown)) {
    draft.set('users', 'stateless', `probe user=unknown (sub "${flags.fixed.missing ?? NO_SUCH_USER}") -> ${unknown.text}: the token alone decides`);
    draft.set('requiredRole', null, 'stateless: no user to hold a role');
    return;
  }
  draft.answer(unknown);
  draft.set('users', 'directory', `probe user=unknown -> ${unknown.text}: users are looked up by sub`);
  for (const kind of ['inactive', 'lacks-role'] as const) {
    const id = flags.fixed[kind];
    if (!id) {
      draft.note(kind === 'lacks-role' ? 'requiredRole' : 'users', `no --users ${kind}=ID given: ${kind} users are not covered`);
      continue;
    }
    const o = draft.answer(await send(`user=${kind}`, { user: kind }, { userId: id }));
    draft.note(kind === 'lacks-role' ? 'requiredRole' : 'users', `probe user=${kind} (sub "${id}") -> ${o.text}`);
    if (accepted(o)) draft.suspect(`probe user=${kind} (sub "${id}") -> ${o.text}: a user named as ${kind} got in; the draft keeps the refusal`);
  }
  draft.set('requiredRole', flags.fixed['lacks-role'] ? flags.role : null, flags.fixed['lacks-role'] ? `--role ${flags.role}` : 'no --users lacks-role=ID: no role is checked');
}

/** The allowlist: the origins named (each must get in), a foreign one refused; none named and a foreign one accepted: no check. */
export async function inferOrigins(send: Send, draft: Draft, named: string[]): Promise<void> {
  const foreign = draft.answer(await send('origin=foreign', { origin: 'foreign' }));
  const lines = [`probe origin=foreign -> ${foreign.text}`];
  for (const origin of named) {
    const o = await send(`origin=${origin}`, { origin: 'allowed' }, { policy: { allowedOrigins: [origin] } });
    lines.push(`probe origin=${origin} -> ${o.text}`);
    if (!accepted(o)) draft.suspect(`probe origin=${origin} -> ${o.text}: an origin named with --origin was refused`);
  }
  if (named.length > 0) {
    draft.set('allowedOrigins', named, ...lines);
    draft.answer(await send('origin=null', { origin: 'null' }));
    if (accepted(foreign)) draft.suspect(`probe origin=foreign -> ${foreign.text}: a foreign Origin got in although --origin names the allowed ones`);
  } else if (accepted(foreign)) {
    draft.set('allowedOrigins', [], ...lines, 'any Origin is accepted: no allowlist');
  } else {
    draft.set('allowedOrigins', [], ...lines, 'A FOREIGN ORIGIN IS REFUSED, but no --origin names an allowed one: give --origin to have origins tested (empty here, so they are not)');
  }
}

/** Whether an open socket is closed when its token reaches exp (+ skew). */
export async function inferSessionExpiry(send: Send, draft: Draft, observeMs: number): Promise<void> {
  const skew = draft.policy.clockSkewSeconds;
  const toleranceMs = 2000;
  // exp one second ahead: watch until exp + skew + the tolerance.
  draft.note('session', 'revocation: not probed (init names existing users and changes none); kept the default, which a url target with fixed users reports as not covered');
  const o = await send(`session=token-expires`, { session: 'token-expires' }, { watchMs: (skew + 1) * 1000 + toleranceMs + observeMs });
  if (o.close) {
    draft.set('session', { ...draft.policy.session, closeAtExp: true }, `probe session=token-expires (exp in 1 s, skew ${skew} s) -> ${o.text}`);
    draft.answer(o);
  } else {
    draft.set('session', { ...draft.policy.session, closeAtExp: false }, `probe session=token-expires (exp in 1 s, skew ${skew} s, watched ${skew + 1 + toleranceMs / 1000} s) -> ${o.text}: the token is checked at the upgrade only`);
  }
}
