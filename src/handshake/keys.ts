// Verification keys, prepared once at start-up: an HS256 secret (optionally with
// the one kid tokens may name), a local JWKS, or the URL of a JWKS fetched as jose's
// createRemoteJWKSet does (refetched on an unknown kid after the policy's cooldown,
// used at most policy.jwks.maxAgeMs). Keys are never taken from a token (no jku/x5u
// fetch, no inline jwk): the URL is the operator's.
import { createLocalJWKSet, createRemoteJWKSet, type JSONWebKeySet } from 'jose';
import { usesSymmetricKey, type Policy } from '../../model/policy.ts';
import { BackendConfigError } from '../../model/errors.ts';
import { fingerprint } from './fingerprint.ts';

export type KeySource = { secret: string | Uint8Array; kid?: string } | { jwks: JSONWebKeySet } | { jwksUrl: string };

export type VerificationKeys =
  | { kind: 'secret'; secret: Uint8Array; kid: string | null; fingerprint: string }
  | { kind: 'jwks'; kids: ReadonlySet<string>; resolve: ReturnType<typeof createLocalJWKSet>; fingerprint: string }
  /** A fetched JWKS: which kids it holds is known only to the resolver (an unknown kid may make it refetch). */
  | { kind: 'remote'; resolve: ReturnType<typeof createRemoteJWKSet>; fingerprint: string };

export function prepareKeys(source: KeySource, policy: Policy): VerificationKeys {
  if ('secret' in source) {
    if (!usesSymmetricKey(policy)) {
      throw new BackendConfigError(`a secret was given but policy.algorithms is ${policy.algorithms.join(', ')}; give a JWKS`);
    }
    const secret = typeof source.secret === 'string' ? new TextEncoder().encode(source.secret) : source.secret;
    if (secret.byteLength === 0) throw new BackendConfigError('the HS256 secret is empty');
    return { kind: 'secret', secret, kid: source.kid ?? null, fingerprint: fingerprint(secret) };
  }
  if (usesSymmetricKey(policy)) {
    throw new BackendConfigError(`a JWKS was given but policy.algorithms is ${policy.algorithms.join(', ')}; give a secret`);
  }
  if ('jwksUrl' in source) return remoteKeys(source.jwksUrl, policy);
  let resolve: ReturnType<typeof createLocalJWKSet>;
  try {
    resolve = createLocalJWKSet(source.jwks);
  } catch (error) {
    throw new BackendConfigError(`the JWKS is not usable: ${(error as Error).message}`);
  }
  for (const jwk of source.jwks.keys) {
    if ('d' in jwk || 'k' in jwk) throw new BackendConfigError('the JWKS must hold public keys only');
  }
  const kids = new Set(source.jwks.keys.flatMap((k) => (typeof k.kid === 'string' ? [k.kid] : [])));
  return { kind: 'jwks', kids, resolve, fingerprint: fingerprint(JSON.stringify(source.jwks)) };
}

function remoteKeys(jwksUrl: string, policy: Policy): VerificationKeys {
  let url: URL;
  try {
    url = new URL(jwksUrl);
  } catch {
    throw new BackendConfigError(`the JWKS URL "${jwksUrl}" is not a URL`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new BackendConfigError(`the JWKS URL must be http(s), not ${url.protocol}`);
  if (policy.kid !== 'jwks') throw new BackendConfigError(`a JWKS URL was given but policy.kid is "${policy.kid}"; set it to "jwks"`);
  const { cooldownMs, maxAgeMs } = policy.jwks;
  const resolve = createRemoteJWKSet(url, { cooldownDuration: cooldownMs, cacheMaxAge: maxAgeMs ?? Infinity });
  return { kind: 'remote', resolve, fingerprint: fingerprint(url.href) };
}
