// Verification keys, prepared once at start-up: an HS256 secret (optionally with
// the one kid tokens may name) or a local JWKS. Keys are never taken from a token
// (no jku/x5u fetch, no inline jwk).
import { createLocalJWKSet, type JSONWebKeySet } from 'jose';
import { usesSymmetricKey, type Policy } from '../../model/policy.ts';
import { BackendConfigError } from '../../model/errors.ts';
import { fingerprint } from './fingerprint.ts';

export type KeySource = { secret: string | Uint8Array; kid?: string } | { jwks: JSONWebKeySet };

export type VerificationKeys =
  | { kind: 'secret'; secret: Uint8Array; kid: string | null; fingerprint: string }
  | { kind: 'jwks'; kids: ReadonlySet<string>; resolve: ReturnType<typeof createLocalJWKSet>; fingerprint: string };

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
