// Facts -> the concrete request: where the token goes (placement, scheme), the Origin,
// then the noise. The result is everything the driver sends, plus what a report may
// say about the token (header, claims, signature fingerprint) without the token itself.
import { fingerprintBytes } from '../../keys.ts';
import { TOKEN_PLACEHOLDER, type Policy } from '../../../model/policy.ts';
import type { Facts } from '../facts-util.ts';
import { applyHeaderNoise } from '../noise.ts';
import { fillIdentity } from '../edge/identity-headers.ts';
import { asHeaderBytes, nearMissString } from '../edge/near-miss.ts';
import { spellingOf } from '../edge/spellings.ts';
import { forgeToken, type KeyRing } from './token.ts';

export const FOREIGN_ORIGIN = 'https://evil.ws-auth-conformance.test';
/**
 * Tags every case so a backend's decision log can be joined to it (`run --logs`). Not a
 * fact and not noise: every case carries one, twins and noise variants alike.
 */
export const REQUEST_ID_HEADER = 'X-Request-Id';

export interface TokenInfo {
  header: Record<string, unknown>;
  claims: Record<string, unknown>;
  /** sha256 of the signature segment (or of the whole token when it has none), 16 hex. */
  signatureFingerprint: string;
  bytes: number;
}

export interface ForgedRequest {
  /** Path and query, e.g. `/ws?access_token=...`. */
  path: string;
  /** The headers this case sets, in send order, noise applied (Host and the WebSocket ones are added by the client). */
  headers: Array<[string, string]>;
  /** Subprotocols offered (`bearer`, token) for the subprotocol placement. */
  protocols: string[];
  /** The first-message auth frame, when the case sends one. */
  authMessage: string | null;
  /** The value of the X-Request-Id header, when the case was given one. */
  requestId?: string | null;
  /** The token itself: secret; only printed with --reveal-tokens. */
  token: string | null;
  tokenInfo: TokenInfo | null;
  expSeconds: number | null;
}

export async function forgeRequest(
  facts: Facts,
  policy: Policy,
  ring: KeyRing,
  endpointPath: string,
  userId: string,
  nowMs: number,
  variant: number,
  requestId: string | null = null,
): Promise<ForgedRequest> {
  const headers: Array<[string, string]> = [];
  if (facts.origin === 'allowed') headers.push(['Origin', policy.allowedOrigins[0] ?? 'https://app.invalid']);
  if (facts.origin === 'foreign') headers.push(['Origin', foreignOrigin(policy.allowedOrigins[0], spellingOf(facts, 'origin'))]);
  if (facts.origin === 'null') headers.push(['Origin', 'null']);

  let token: string | null = null;
  let tokenInfo: TokenInfo | null = null;
  let expSeconds: number | null = null;
  if (facts.placement !== 'none') {
    // The scheme fact belongs to the upgrade request; a first message always carries its token.
    if (facts.scheme === 'empty' && facts.placement !== 'first-message') {
      token = '';
    } else {
      const forged = await forgeToken(facts, policy, ring, userId, nowMs, variant);
      token = forged.token;
      expSeconds = forged.expSeconds;
      tokenInfo = { header: forged.header, claims: forged.claims, signatureFingerprint: signatureFingerprint(token), bytes: token.length };
    }
  }

  const query: Array<[string, string]> = [];
  const protocols: string[] = [];
  let authMessage: string | null = null;
  const wiring = policy.credentials;
  // Offered on every request: a backend that requires a subprotocol (graphql-ws) refuses a request without it.
  protocols.push(...wiring.requiredSubprotocols);
  if (token !== null) {
    switch (facts.placement) {
      case 'authorization-header': {
        const scheme = wiring.header.scheme === null ? '' : schemeWord(wiring.header.scheme, facts.scheme, variant);
        const spelled = wiring.header.scheme === null || facts.scheme !== 'other' ? null : spelledScheme(wiring.header.scheme, spellingOf(facts, 'scheme'));
        headers.push([wiring.header.name, spelled === null ? `${scheme} ${token}`.trim() : spelled.glued ? `${spelled.word}${token}` : `${spelled.word} ${token}`]);
        break;
      }
      case 'subprotocol':
        if (wiring.subprotocol.marker !== null) protocols.push(wiring.subprotocol.marker);
        if (token !== '') protocols.push(`${wiring.subprotocol.prefix}${token}`);
        break;
      case 'cookie':
        headers.push(['Cookie', `${wiring.cookie}=${token}`]);
        break;
      case 'query':
        query.push([wiring.query, token]);
        break;
      case 'first-message':
        if (facts.session !== 'auth-message-never-sent') authMessage = firstMessage(wiring.firstMessage.template, token);
        break;
    }
  }
  if (requestId !== null) headers.push([REQUEST_ID_HEADER, requestId]);
  query.push(...facts.noise.query);
  const search = query.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
  return {
    path: search ? `${endpointPath}?${search}` : endpointPath,
    // An identity header names the case's own (active) user.
    headers: applyHeaderNoise(headers, { ...facts.noise, headers: facts.noise.headers.map(([k, v]) => [k, fillIdentity(v, userId)]) }),
    protocols,
    authMessage,
    requestId,
    token,
    tokenInfo,
    expSeconds,
  };
}

/** The template with the token in place of the placeholder, escaped as a JSON string's content. */
export function firstMessage(template: string, token: string): string {
  return template.replace(TOKEN_PLACEHOLDER, JSON.stringify(token).slice(1, -1));
}

function schemeWord(expected: string, scheme: Facts['scheme'], variant: number): string {
  switch (scheme) {
    case 'bearer':
    case 'empty':
      return expected;
    case 'bearer-odd-case': {
      const mixed = [...expected].map((c, i) => (i % 2 ? c.toUpperCase() : c.toLowerCase())).join('');
      const odd = [expected.toLowerCase(), expected.toUpperCase(), mixed].filter((s) => s !== expected);
      return odd[variant % odd.length] ?? mixed;
    }
    case 'other':
      return ['Basic', 'Token', 'Bearer'].filter((s) => s.toLowerCase() !== expected.toLowerCase())[variant % 2]!;
  }
}

/** A near miss of the expected scheme word, or null when the case spells none. */
function spelledScheme(expected: string, form: string | null): { word: string; glued: boolean } | null {
  switch (form) {
    case null:
      return null;
    case 'glued':
      return { word: expected, glued: true };
    case 'lookalike':
      return { word: asHeaderBytes(nearMissString(expected, 'lookalike')), glued: false };
    default:
      return { word: nearMissString(expected, form as 'longer-suffix' | 'longer-prefix' | 'truncated'), glued: false };
  }
}

/** A foreign Origin: a stranger's, or a near miss of the allowed one. */
function foreignOrigin(allowed: string | undefined, form: string | null): string {
  if (form === null || allowed === undefined) return FOREIGN_ORIGIN;
  const url = new URL(allowed);
  switch (form) {
    case 'port':
      return `${url.protocol}//${url.hostname}:${url.port === '8443' ? '8444' : '8443'}`;
    case 'other-scheme':
      return `${url.protocol === 'https:' ? 'http:' : 'https:'}//${url.host}`;
    case 'subdomain':
      return `${url.protocol}//evil.${url.host}`;
    case 'lookalike':
      return asHeaderBytes(`${url.protocol}//${nearMissString(url.host, 'lookalike')}`);
    default:
      return nearMissString(allowed, form as 'longer-suffix' | 'truncated' | 'containing');
  }
}

export function signatureFingerprint(token: string): string {
  const parts = token.split('.');
  const material = parts.length === 3 && parts[2] ? parts[2] : token;
  return fingerprintBytes(material);
}

/** A compact JWS or JWT anywhere in a text: a JSON header (`eyJ`), a payload, a signature (maybe empty). */
const COMPACT_TOKEN = /eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g;

/**
 * `<token sha256:abcd…>` in place of the case's token wherever it appears, and of any
 * other token the request carries (a proxy identity assertion among the noise headers).
 */
export function redact(text: string, token: string | null): string {
  const fingerprinted = (t: string) => `<token sha256:${fingerprintBytes(t, 12)}>`;
  const once = token ? text.split(token).join(fingerprinted(token)) : text;
  return once.replace(COMPACT_TOKEN, fingerprinted);
}
