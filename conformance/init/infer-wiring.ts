// Where the backend reads the credential: the valid token in each placement, under the
// wiring the user named (or the default one), then under the wirings of protocols
// known to carry their own auth message (graphql-ws). The first wiring under which some
// placement accepts the token is the one proposed.
import { TargetError } from '../../model/errors.ts';
import { PLACEMENTS, TOKEN_PLACEHOLDER, type CredentialWiring, type Placement } from '../../model/policy.ts';
import type { Draft } from './draft.ts';
import { accepted, type Observation, type Prober } from './probe.ts';

export interface Wiring {
  label: string;
  requiredSubprotocols: string[];
  /** First-message template; null: the policy's default. */
  template: string | null;
}

/** Protocols whose first message carries the token, tried when the plain wiring finds no placement. */
const KNOWN_WIRINGS: readonly Wiring[] = [
  {
    label: 'graphql-ws (graphql-transport-ws subprotocol, token in the connection_init payload)',
    requiredSubprotocols: ['graphql-transport-ws'],
    template: `{"type":"connection_init","payload":{"token":"${TOKEN_PLACEHOLDER}"}}`,
  },
];

/** How long a socket upgraded without a credential is watched for the backend's close. */
const NO_CREDENTIAL_WATCH_MS = 6000;

export interface WiringResult {
  /** After the upgrade, how long the backend may wait for a first message before it closes. */
  waitMs: number;
  /** The placement later probes use. */
  primary: Placement;
  /** The probe without any credential. */
  noCredential: Observation;
}

export async function inferWiring(prober: Prober, draft: Draft, userId: string, given: Wiring | null): Promise<WiringResult> {
  const candidates = given ? [given] : [{ label: 'the default wiring', requiredSubprotocols: [], template: null }, ...KNOWN_WIRINGS];
  const tried: string[] = [];
  // typ JWT first (what most issuers write), then at+jwt (RFC 9068 access tokens), which a backend checking typ may insist on.
  for (const typ of TYPS) {
    for (const wiring of candidates) {
      const { found, seen } = await tryWiring(prober, draft, userId, wiring, typ);
      if (found) return found;
      tried.push(`${wiring.label}, typ ${typ}: ${seen.join('; ')}`);
    }
  }
  throw new TargetError(
    `no placement accepted a token signed with the secret (${tried.join(' | ')}). ` +
      'Check that the secret is the backend\'s, that --issuer and --audience are the values it expects, that --users active=ID names an active user, ' +
      'and, for a first-message protocol, give --subprotocol and --first-message TEMPLATE',
  );
}

const TYPS = ['JWT', 'at+jwt'];

/** Names tried when the default one (`access_token`, `bearer, <token>`) is refused. */
const OTHER_NAMES: ReadonlyArray<[Placement, Array<{ label: string; wiring: Partial<CredentialWiring> }>]> = [
  ['query', [{ label: '?token=', wiring: { query: 'token' } }, { label: '?jwt=', wiring: { query: 'jwt' } }]],
  ['cookie', [{ label: 'cookie token', wiring: { cookie: 'token' } }, { label: 'cookie jwt', wiring: { cookie: 'jwt' } }]],
  ['subprotocol', [{ label: 'the token alone', wiring: { subprotocol: { marker: null, prefix: '' } } }]],
];

async function tryWiring(prober: Prober, draft: Draft, userId: string, wiring: Wiring, typ: string): Promise<{ found: WiringResult | null; seen: string[] }> {
  const base = draft.policy.credentials;
  const credentials = { ...base, requiredSubprotocols: wiring.requiredSubprotocols, firstMessage: { template: wiring.template ?? base.firstMessage.template } };
  const policy = { ...draft.policy, credentials, typ };
  const none = await prober.probe('no-token', policy, { placement: 'none' }, { userId, watchMs: NO_CREDENTIAL_WATCH_MS });
  if (none.outcome === 'no-connection') throw new TargetError(`cannot reach ${prober.settings.url}: ${none.text}; is the backend running, and is this its WebSocket URL?`);
  // A backend that upgrades without a credential may be waiting for a first message: a
  // handshake placement counts as accepting only if its socket outlives that wait.
  const upgradedOpen = none.outcome === 'accept';
  const waitMs = none.close ? none.close.ms + 500 : prober.settings.observeMs;
  const results = new Map<Placement, Observation>();
  for (const placement of PLACEMENTS) {
    const first = placement === 'first-message';
    const o = await prober.probe(`placement=${placement}`, policy, { placement }, { userId, watchMs: first ? prober.settings.observeMs : waitMs, authAnswerMs: waitMs });
    results.set(placement, o);
  }
  const lines = PLACEMENTS.map((p) => `probe placement=${p} (the valid token there) -> ${results.get(p)!.text}`);
  // Other common names, where a backend refuses a missing credential before the upgrade (browsers cannot set headers: ?token= is frequent).
  let wired = credentials;
  if (none.status !== null) {
    for (const [placement, names] of OTHER_NAMES) {
      for (const name of accepted(results.get(placement)!) ? [] : names) {
        const tried = { ...wired, ...name.wiring };
        const o = await prober.probe(`placement=${placement} (${name.label})`, { ...policy, credentials: tried }, { placement }, { userId });
        lines.push(`probe placement=${placement} (${name.label}) -> ${o.text}`);
        if (!accepted(o)) continue;
        results.set(placement, o);
        wired = tried;
        break;
      }
    }
  }
  const seen = [`no token -> ${none.text}`, ...[...results].map(([p, o]) => `${p} -> ${o.text}`)];
  const open = PLACEMENTS.filter((p) => accepted(results.get(p)!) && (p === 'first-message' || !upgradedOpen));
  if (open.length === 0) return { found: null, seen };
  draft.set('typ', typ, `the valid token's typ: ${typ}`);
  draft.set('credentials', wired, ...(wiring.template || wiring.requiredSubprotocols.length ? [`wiring: ${wiring.label}`] : []), ...(wired !== credentials ? ['names found by the placement probes'] : []));
  draft.set('placements', Object.fromEntries(PLACEMENTS.map((p) => [p, open.includes(p)])) as Record<Placement, boolean>, ...lines);
  if (upgradedOpen) draft.note('placements', `probe no-token -> ${none.text}: upgraded without a credential and never closed, so a handshake placement cannot be told from no credential`);
  return { found: { waitMs, primary: open[0]!, noCredential: none }, seen };
}
