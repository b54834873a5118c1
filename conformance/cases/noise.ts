// Noise: request material that must never change the outcome. The bypass-looking
// headers are the ones field backends honoured as a "test fast path".
import type { Noise } from './facts-util.ts';

export const BYPASS_HEADERS: ReadonlyArray<readonly [string, string]> = [
  ['X-E2E-Test', 'true'],
  ['X-Test-Type', 'E2E'],
  ['X-Test-Mode', 'true'],
  ['X-Auth-Fast-Path', 'enabled'],
  ['X-User-Id', 'admin'],
  ['X-Forwarded-User', 'admin'],
];

export const BENIGN_HEADERS: ReadonlyArray<readonly [string, string]> = [
  // Not X-Request-Id: every case carries its own (forge/request.ts), for the log join.
  ['X-Correlation-Id', 'wsac-0001'],
  ['User-Agent', 'ws-auth-conformance'],
  ['Accept-Language', 'en'],
];

export const NOISE_QUERY: ReadonlyArray<readonly [string, string]> = [
  ['user', 'admin'],
  ['debug', 'true'],
];

export function isBypassHeader(name: string): boolean {
  return BYPASS_HEADERS.some(([n]) => n.toLowerCase() === name.toLowerCase());
}

/** Writes a header name the way the noise says (RFC 9110: names are case-insensitive). */
export function caseHeaderName(name: string, headerCase: Noise['headerCase']): string {
  if (headerCase === 'lower') return name.toLowerCase();
  if (headerCase === 'upper') return name.toUpperCase();
  return name;
}

/** The case's own headers with noise applied: case, order, then the extra headers. */
export function applyHeaderNoise(own: Array<[string, string]>, noise: Noise): Array<[string, string]> {
  const cased = own.map(([k, v]): [string, string] => [caseHeaderName(k, noise.headerCase), v]);
  if (noise.reverseHeaders) cased.reverse();
  return [...cased, ...noise.headers.map(([k, v]): [string, string] => [k, v])];
}
