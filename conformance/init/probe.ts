// One probe of `init`: the canonical valid case with a few facts changed, forged by the
// same forge as `run` (cases/forge) under a draft policy, sent over a real socket by the
// same driver (drive/client.ts), and summed up in one line of evidence.
import { keysFromSecret } from '../keys.ts';
import { CANONICAL_FACTS, type Facts } from '../cases/facts-util.ts';
import { forgeRequest, redact } from '../cases/forge/request.ts';
import { KeyRing } from '../cases/forge/token.ts';
import { drive } from '../drive/client.ts';
import { observedOutcome, type Evidence } from '../drive/evidence.ts';
import type { Algorithm, Policy } from '../../model/policy.ts';

export interface ProbeSettings {
  url: string;
  /** The HS secret (never printed). */
  secret: Uint8Array;
  /** kid to put in the header of well-formed tokens, when the backend wants one. */
  kid: string | undefined;
  /** Client deadline for the HTTP answer. */
  deadlineMs: number;
  /** How long an accepted socket is watched before it counts as accepted. */
  observeMs: number;
  /** Called after each probe, for the progress display. */
  onProbe?: (observation: Observation) => void;
}

export interface Observation {
  /** Short name used in evidence comments, e.g. `kid=unknown`. */
  name: string;
  facts: Facts;
  /** The driver's outcome: `accept`, `reject-401`, `http-500`, `close-4403`, `hang`, `no-connection` ... */
  outcome: string;
  /** HTTP status of a refusal, or null. */
  status: number | null;
  /** WWW-Authenticate of a refusal, or null. */
  challenge: string | null;
  /** Close code and when it came (ms after the upgrade), for an upgraded socket the server closed. */
  close: { code: number; reason: string; ms: number } | null;
  /** Bytes of the token sent, when there was one. */
  tokenBytes: number | null;
  /** One line for a comment: `401 with WWW-Authenticate: Bearer realm="chat"`. */
  text: string;
}

export interface ProbeOptions {
  /** The subject (`sub`) of the token. */
  userId: string;
  /** Signing algorithm of well-formed tokens (an HS*, keyed with the secret). */
  alg?: Algorithm;
  /** After the upgrade with no auth message to send, how long to watch (a backend that waits for a first message closes only at its window). */
  watchMs?: number;
  /** With an auth message: how long to wait for the server's answer before watching. */
  authAnswerMs?: number;
  /**
   * Forge just after a second begins: a token's times are whole seconds, and one forged
   * late in a second can be a second older by the time the backend reads it.
   */
  atSecondStart?: boolean;
}

/** How far into a second an `atSecondStart` probe is forged. */
const SECOND_START_MS = 20;

export class Prober {
  count = 0;
  constructor(readonly settings: ProbeSettings) {}

  /** Sends the canonical case with `changes` under `policy` and observes what the backend does. */
  async probe(name: string, policy: Policy, changes: Partial<Facts>, options: ProbeOptions): Promise<Observation> {
    const facts: Facts = { ...CANONICAL_FACTS, ...changes };
    const keys = keysFromSecret(this.settings.secret, options.alg ?? 'HS256', this.settings.kid);
    const endpoint = new URL(this.settings.url);
    this.count += 1;
    if (options.atSecondStart) await new Promise((resolve) => setTimeout(resolve, 1000 - (Date.now() % 1000) + SECOND_START_MS));
    const request = await forgeRequest(facts, policy, new KeyRing(keys), endpoint.pathname + endpoint.search, options.userId, Date.now(), this.count);
    const evidence = await drive(this.settings.url, request, {
      handshakeDeadlineMs: this.settings.deadlineMs,
      authAnswerMs: options.authAnswerMs ?? this.settings.deadlineMs,
      watchMs: options.watchMs ?? this.settings.observeMs,
    });
    const observation = summarise(name, facts, evidence, request.token);
    observation.tokenBytes = request.tokenInfo?.bytes ?? null;
    this.settings.onProbe?.(observation);
    return observation;
  }
}

function summarise(name: string, facts: Facts, e: Evidence, token: string | null): Observation {
  const outcome = observedOutcome(e);
  const status = e.response?.status ?? null;
  const challenge = e.response?.headers['www-authenticate'] ?? null;
  const close = e.upgraded && e.close && e.close.by === 'server' ? { code: e.close.code, reason: e.close.reason, ms: e.close.ms - e.upgraded.ms } : null;
  let text: string;
  if (!e.connect.ok) text = `no connection (${e.connect.error})`;
  else if (e.response) {
    text = `${status}${challenge ? ` with WWW-Authenticate: ${challenge}` : ' without WWW-Authenticate'}`;
    // A server error's body often names its cause (fastify: the fast-jwt error code).
    if (status !== null && status >= 500 && e.response.body) text += `, body ${JSON.stringify(redact(e.response.body, token).slice(0, 160))}`;
  } else if (close) text = `101, then close ${close.code}${close.reason ? ` "${close.reason}"` : ''} after ${close.ms} ms`;
  else if (e.upgraded) text = `101, open until the client closed${e.frames.length ? ` (server said ${JSON.stringify(e.frames[0]!.text.slice(0, 60))})` : ''}`;
  else text = outcome === 'hang' ? 'no answer within the deadline' : outcome === 'timeout' ? 'socket released without an answer' : outcome;
  return { name, facts, outcome, status, challenge, close, tokenBytes: null, text };
}

/** Whether an observation is the backend letting the credential through. */
export function accepted(o: Observation): boolean {
  return o.outcome === 'accept';
}

/** A server error or a hang: never a contract, whatever it answers (docs/init.md). */
export function isFailure(o: Observation): boolean {
  // 1006: the connection dropped without a close frame; 1011: the server's "internal error".
  if (o.close && [1006, 1011].includes(o.close.code)) return true;
  return (o.status !== null && o.status >= 500) || !/^(accept|reject-\d+|http-\d+|close-\d+)$/.test(o.outcome);
}
