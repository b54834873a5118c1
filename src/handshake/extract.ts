// Stage 1: origin, then where the credential is. Precedence when several placements
// carry one: header > subprotocol > cookie > query; a disabled placement is ignored.
import type { IncomingHttpHeaders } from 'node:http';
import type { Placement, Policy } from '../../model/policy.ts';
import type { HandshakeReason } from '../../model/reasons.ts';

export interface UpgradeRequest {
  headers: IncomingHttpHeaders;
  url?: string | undefined;
}

export type Extraction =
  | { kind: 'token'; placement: Exclude<Placement, 'first-message'>; token: string }
  | { kind: 'first-message' }
  | { kind: 'reject'; reason: HandshakeReason; placement: Placement | null };

/** Browsers always send Origin; its absence means a non-browser client, which passes. */
export function checkOrigin(request: UpgradeRequest, policy: Policy): HandshakeReason | null {
  if (policy.allowedOrigins.length === 0) return null;
  const origin = request.headers.origin;
  if (origin === undefined) return null;
  if (origin.trim() === 'null') return 'origin-null';
  return policy.allowedOrigins.includes(origin.trim()) ? null : 'origin-foreign';
}

type Found = { token: string } | { reason: HandshakeReason } | null;

type Wiring = Policy['credentials'];

const READERS: Array<[Exclude<Placement, 'first-message'>, (request: UpgradeRequest, wiring: Wiring) => Found]> = [
  ['authorization-header', fromAuthorization],
  ['subprotocol', fromSubprotocol],
  ['cookie', fromCookie],
  ['query', fromQuery],
];

export function extractCredential(request: UpgradeRequest, policy: Policy): Extraction {
  for (const [placement, read] of READERS) {
    if (!policy.placements[placement]) continue;
    const found = read(request, policy.credentials);
    if (found === null) continue;
    if ('reason' in found) return { kind: 'reject', reason: found.reason, placement };
    return { kind: 'token', placement, token: found.token };
  }
  if (policy.placements['first-message']) return { kind: 'first-message' };
  return { kind: 'reject', reason: 'credential-missing', placement: null };
}

function fromAuthorization(request: UpgradeRequest, wiring: Wiring): Found {
  const raw = request.headers[wiring.header.name.toLowerCase()];
  const value = Array.isArray(raw) ? raw.join(', ') : raw;
  if (value === undefined) return null;
  // No scheme: the header holds the bare token.
  if (wiring.header.scheme === null) return value.trim() === '' ? { reason: 'credential-empty' } : { token: value.trim() };
  const match = /^\s*(\S*)(?:\s+(.*))?$/s.exec(value);
  const scheme = match?.[1] ?? '';
  const token = (match?.[2] ?? '').trim();
  if (scheme === '') return { reason: 'credential-empty' };
  if (scheme.toLowerCase() !== wiring.header.scheme.toLowerCase()) return { reason: 'credential-scheme' };
  return token === '' ? { reason: 'credential-empty' } : { token };
}

/** `Sec-WebSocket-Protocol: <marker>, <prefix><token>` (default `bearer, <token>`); the server echoes only the marker. */
function fromSubprotocol(request: UpgradeRequest, wiring: Wiring): Found {
  const value = request.headers['sec-websocket-protocol'];
  if (value === undefined) return null;
  const { marker, prefix } = wiring.subprotocol;
  const offered = value.split(',').map((p) => p.trim()).filter((p) => !wiring.requiredSubprotocols.includes(p));
  if (marker === null) {
    const carrying = offered.find((p) => p.startsWith(prefix));
    return carrying === undefined ? null : carrying === prefix ? { reason: 'credential-empty' } : { token: carrying.slice(prefix.length) };
  }
  const at = offered.findIndex((p) => p.toLowerCase() === marker.toLowerCase());
  if (at < 0) return null;
  const next = offered[at + 1] ?? '';
  const token = next.startsWith(prefix) ? next.slice(prefix.length) : '';
  return token === '' ? { reason: 'credential-empty' } : { token };
}

function fromCookie(request: UpgradeRequest, wiring: Wiring): Found {
  const value = request.headers.cookie;
  if (value === undefined) return null;
  for (const pair of value.split(';')) {
    const eq = pair.indexOf('=');
    if (eq < 0 || pair.slice(0, eq).trim() !== wiring.cookie) continue;
    let token = pair.slice(eq + 1).trim();
    if (token.length >= 2 && token.startsWith('"') && token.endsWith('"')) token = token.slice(1, -1);
    return token === '' ? { reason: 'credential-empty' } : { token };
  }
  return null;
}

function fromQuery(request: UpgradeRequest, wiring: Wiring): Found {
  const params = new URL(request.url ?? '/', 'http://backend.invalid').searchParams;
  if (!params.has(wiring.query)) return null;
  const token = (params.get(wiring.query) ?? '').trim();
  return token === '' ? { reason: 'credential-empty' } : { token };
}
