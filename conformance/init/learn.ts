// `init`'s probing, in order: where the credential goes, what is checked in the token,
// who may connect and for how long; then the answers (statuses, close codes) as
// outcomes. Every field is set with the probes that decided it (Draft.evidence).
import { resolvePolicy, type Placement } from '../../model/policy.ts';
import type { UserKind } from '../capabilities/capabilities.ts';
import { Draft } from './draft.ts';
import { inferWiring, type Wiring } from './infer-wiring.ts';
import { inferAlgorithms, inferIssAud, inferKid, inferRequiredClaims, inferSizeLimit, inferSkew, inferTyp, type Send } from './infer-token.ts';
import { inferOrigins, inferSessionExpiry, inferUsers } from './infer-users.ts';
import { Prober, type Observation } from './probe.ts';

export interface InitOptions {
  url: string;
  secret: Uint8Array;
  kid?: string;
  issuer?: string;
  audience?: string;
  /** Users by state (the config's `users.fixed`). */
  users: Partial<Record<UserKind, string>>;
  role: string | null;
  origins: string[];
  /** The wiring the user named (--subprotocol, --first-message), or null to try the known ones. */
  wiring: Wiring | null;
  deadlineMs: number;
  observeMs: number;
  onProbe?: (o: Observation) => void;
}

/** A subject for the valid token when no active user is named: a stateless backend takes any. */
export const ANY_SUBJECT = 'wsac-init-subject';

export async function learnContract(options: InitOptions): Promise<{ draft: Draft; probes: number }> {
  const prober = new Prober({ url: options.url, secret: options.secret, kid: options.kid, deadlineMs: options.deadlineMs, observeMs: options.observeMs, onProbe: options.onProbe });
  // A permissive start: nothing is assumed checked until a probe shows it.
  const draft = new Draft(
    resolvePolicy({
      ...(options.issuer !== undefined ? { issuer: options.issuer } : {}),
      ...(options.audience !== undefined ? { audience: options.audience } : {}),
      typ: null,
      requiredClaims: [],
      kid: 'ignored',
      maxTokenBytes: null,
      allowedOrigins: [],
      users: 'stateless',
      requiredRole: null,
      session: { closeAtExp: false },
    }),
  );
  const userId = options.users.active ?? ANY_SUBJECT;
  const { waitMs, primary, noCredential } = await inferWiring(prober, draft, userId, options.wiring);
  noteFirstMessage(draft, noCredential, waitMs);
  draft.answer(noCredential);
  const send: Send = (name, changes, o = {}) =>
    prober.probe(name, { ...draft.policy, ...o.policy }, { placement: primary as Placement, ...changes }, {
      userId: o.userId ?? userId,
      ...(o.alg ? { alg: o.alg } : {}),
      watchMs: o.watchMs ?? options.observeMs,
      authAnswerMs: waitMs,
      ...(o.atSecondStart ? { atSecondStart: true } : {}),
    });

  draft.answer(await send('signature=wrong-key', { signature: 'wrong-key' }));
  draft.answer(await send('token=not-jwt', { structure: 'not-jwt' }));
  await inferAlgorithms(send, draft);
  await inferKid(send, draft);
  await inferTyp(send, draft);
  await inferIssAud(send, draft, { issuer: options.issuer !== undefined, audience: options.audience !== undefined });
  await inferRequiredClaims(send, draft);
  await inferSkew(send, draft);
  await inferSizeLimit(send, draft);
  await inferUsers(send, draft, { fixed: options.users, role: options.role });
  await inferOrigins(send, draft, options.origins);
  await inferSessionExpiry(send, draft, options.observeMs);
  draft.learnOutcomes();
  noteChallenges(draft);
  draft.note('handshakeDeadlineMs', 'not probed: the default (a backend must answer the upgrade within it)');
  return { draft, probes: prober.count };
}

/** With first-message auth, the wait before the backend closes a silent socket is its auth window. */
function noteFirstMessage(draft: Draft, none: Observation, waitMs: number): void {
  if (!draft.policy.placements['first-message']) return;
  if (none.close) {
    draft.set('authWindowMs', Math.max(100, Math.round(none.close.ms / 100) * 100), `probe no-token -> ${none.text}: the auth window`);
  } else {
    draft.note('authWindowMs', `probe no-token -> ${none.text} (watched ${waitMs} ms): no auth window seen, kept the default`);
  }
}

/** WWW-Authenticate on the 401s: what the profile judges (RFC 6750 3: a 401 carries a challenge). */
function noteChallenges(draft: Draft): void {
  const refusals = draft.answers.filter((o) => o.status === 401);
  const bare = refusals.filter((o) => o.challenge === null);
  if (refusals.length === 0) return draft.note('profile', 'no probe was answered 401: the default profile');
  if (bare.length === 0) return draft.note('profile', `every 401 carried WWW-Authenticate (probe ${refusals[0]!.name} -> ${refusals[0]!.text}): the default profile`);
  draft.note('profile', `probe ${bare[0]!.name} -> ${bare[0]!.text}: ${bare.length} of ${refusals.length} 401s lack WWW-Authenticate, which the run reports NON-STRICT (RFC 6750 3)`);
}
