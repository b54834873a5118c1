// Signing material for minting tokens. Secrets and private keys live only here and
// in the forge; everything printed names a key by its fingerprint.
import { createHash, randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { calculateJwkThumbprint, exportJWK, exportSPKI, generateKeyPair, importJWK, type CryptoKey, type JWK } from 'jose';
import { isSymmetric, type Algorithm } from '../model/policy.ts';
import { ConfigError } from '../model/errors.ts';

export interface SigningKeys {
  /** The algorithm well-formed tokens are signed with (the policy's first). */
  alg: Algorithm;
  /** The key id the target knows, or undefined when it keys by algorithm alone. */
  kid: string | undefined;
  /** HMAC secret or private key. Never printed. */
  signingKey: CryptoKey | Uint8Array;
  /** What the target verifies with: the secret again, or the public JWK. */
  verification: { kind: 'secret'; secret: Uint8Array } | { kind: 'jwks'; keys: JWK[]; publicPem: string };
  /** Short public name of the key: sha256 of the secret, or the JWK thumbprint. */
  fingerprint: string;
}

/** What output carries instead of a key or token: leading hex digits of its SHA-256. */
export function fingerprintBytes(bytes: Uint8Array | string, hexDigits = 16): string {
  return createHash('sha256').update(bytes).digest('hex').slice(0, hexDigits);
}

export function keysFromSecret(secret: Uint8Array, alg: Algorithm = 'HS256', kid?: string): SigningKeys {
  if (!isSymmetric(alg)) throw new ConfigError('keys.alg', `a secret signs HS* tokens, not ${alg}`, 'use a JWK private key file for asymmetric algorithms');
  return { alg, kid, signingKey: secret, verification: { kind: 'secret', secret }, fingerprint: fingerprintBytes(secret) };
}

/** Fresh keys for a target the engine starts itself (embedded). */
export async function generateKeys(alg: Algorithm, kid = 'wsac-key-1'): Promise<SigningKeys> {
  if (isSymmetric(alg)) return keysFromSecret(new Uint8Array(randomBytes(64)), alg, kid);
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true, ...(alg === 'EdDSA' ? { crv: 'Ed25519' } : {}) });
  return asymmetricKeys(alg, kid, privateKey, publicKey);
}

async function asymmetricKeys(alg: Algorithm, kid: string, privateKey: CryptoKey, publicKey: CryptoKey): Promise<SigningKeys> {
  const jwk = { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' };
  return {
    alg,
    kid,
    signingKey: privateKey,
    verification: { kind: 'jwks', keys: [jwk], publicPem: await exportSPKI(publicKey) },
    fingerprint: (await calculateJwkThumbprint(jwk)).slice(0, 16),
  };
}

/** A private JWK file (url targets): the public half is derived, the file never echoed. */
export async function keysFromJwkFile(path: string, alg: Algorithm): Promise<SigningKeys> {
  let jwk: JWK;
  try {
    jwk = JSON.parse(await readFile(path, 'utf8')) as JWK;
  } catch (error) {
    throw new ConfigError('target.keys.jwkFile', `cannot read a JSON JWK from ${path} (${(error as Error).message})`, 'point it at a private JWK file');
  }
  if (!jwk.d) throw new ConfigError('target.keys.jwkFile', 'the JWK has no private part', 'export the private key, not the public one');
  const usedAlg = (jwk.alg as Algorithm | undefined) ?? alg;
  const privateKey = (await importJWK(jwk, usedAlg, { extractable: true })) as CryptoKey;
  const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, ...pub } = jwk;
  const publicKey = (await importJWK(pub, usedAlg, { extractable: true })) as CryptoKey;
  return asymmetricKeys(usedAlg, jwk.kid ?? 'wsac-key-1', privateKey, publicKey);
}
