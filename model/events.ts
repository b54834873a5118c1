// Events of the model. Each event is something the server learns, carrying the facts
// it reveals: the machine needs no clock, because elapsed time (a stalled lookup, a
// token reaching exp, an auth window running out) arrives as an event too.
import type { FactName, Facts, FactValue } from './facts.ts';

export type FactMap = { [K in FactName]: FactValue<K> };

export const EVENT_FACTS = {
  REQUEST: ['origin'],
  CREDENTIAL: ['placement', 'scheme'],
  // The auth message itself reveals that the credential comes by first message.
  AUTH_MESSAGE: ['placement'],
  AUTH_WINDOW_ELAPSED: ['session'],
  TOKEN: ['structure'],
  ALG: ['alg'],
  KEY: ['key'],
  SIGNATURE: ['signature'],
  CLAIM_EXP: ['exp'],
  CLAIM_NBF: ['nbf'],
  CLAIM_IAT: ['iat'],
  CLAIM_ISS: ['iss'],
  CLAIM_AUD: ['aud'],
  CLAIM_TYP: ['typ'],
  CLAIM_JTI: ['jti'],
  CLAIM_SUB: ['sub'],
  LOOKUP: ['latency'],
  USER: ['user'],
  ROLE: ['user'],
  CLIENT_CLOSED: ['session'],
  TOKEN_EXPIRED: ['session'],
  USER_REVOKED: ['session'],
  USER_DELETED: ['session'],
  ROLE_REMOVED: ['session'],
} as const satisfies Record<string, readonly FactName[]>;

export type EventType = keyof typeof EVENT_FACTS;
export type ModelEvent = { type: EventType } & Partial<FactMap>;

/** How a session ends, for each value of the `session` fact. */
const SESSION_END: Record<FactValue<'session'>, EventType> = {
  'client-closes': 'CLIENT_CLOSED',
  'token-expires': 'TOKEN_EXPIRED',
  'user-revoked': 'USER_REVOKED',
  'user-deleted': 'USER_DELETED',
  'user-role-removed': 'ROLE_REMOVED',
  // Irrelevant once a handshake credential was accepted: the client simply closes.
  'auth-message-never-sent': 'CLIENT_CLOSED',
};

/**
 * Everything the server can learn about a case, in lifecycle order. The machine
 * ignores an event its current state does not handle, so one fixed sequence serves
 * every path (a first-message case takes AUTH_MESSAGE, a header case ignores it).
 */
export function eventsFor(facts: Facts): ModelEvent[] {
  // Only a first-message client sends an auth message; any other client, once upgraded
  // without a credential, lets the window run out.
  const auth: ModelEvent =
    facts.placement !== 'first-message' || facts.session === 'auth-message-never-sent'
      ? { type: 'AUTH_WINDOW_ELAPSED', session: 'auth-message-never-sent' }
      : { type: 'AUTH_MESSAGE', placement: 'first-message' };
  const end = SESSION_END[facts.session];
  return [
    { type: 'REQUEST', origin: facts.origin },
    { type: 'CREDENTIAL', placement: facts.placement, scheme: facts.scheme },
    auth,
    { type: 'TOKEN', structure: facts.structure },
    { type: 'ALG', alg: facts.alg },
    { type: 'KEY', key: facts.key },
    { type: 'SIGNATURE', signature: facts.signature },
    { type: 'CLAIM_EXP', exp: facts.exp },
    { type: 'CLAIM_NBF', nbf: facts.nbf },
    { type: 'CLAIM_IAT', iat: facts.iat },
    { type: 'CLAIM_ISS', iss: facts.iss },
    { type: 'CLAIM_AUD', aud: facts.aud },
    { type: 'CLAIM_TYP', typ: facts.typ },
    { type: 'CLAIM_JTI', jti: facts.jti },
    { type: 'CLAIM_SUB', sub: facts.sub },
    { type: 'LOOKUP', latency: facts.latency },
    { type: 'USER', user: facts.user },
    { type: 'ROLE', user: facts.user },
    { type: end, session: end === 'CLIENT_CLOSED' ? 'client-closes' : facts.session },
  ];
}

/** The facts an event reveals, to be merged into what the machine has seen. */
export function factsOf(event: ModelEvent): Partial<FactMap> {
  const seen: Partial<Record<FactName, unknown>> = {};
  for (const name of EVENT_FACTS[event.type] as readonly FactName[]) {
    if (event[name] !== undefined) seen[name] = event[name];
  }
  return seen as Partial<FactMap>;
}
