// Facts -> one concrete token. jose builds every well-formed JWS and the JWE; bytes
// are crafted by hand only where jose cannot or must not help: alg none, bad
// base64url, wrong segment counts, stripped or tampered signatures, empty HMAC keys.
import { createHmac, randomBytes } from 'node:crypto';
import { CompactEncrypt, CompactSign, FlattenedSign, base64url, generateKeyPair, exportJWK, type CryptoKey, type JWK } from 'jose';
import { ALGORITHMS, isSymmetric, type Algorithm, type Policy } from '../../../model/policy.ts';
import type { SigningKeys } from '../../keys.ts';
import type { Facts } from '../facts-util.ts';
import { planClaims } from './claims.ts';
import { nearMiss, type NearMissForm } from '../edge/near-miss.ts';
import { spellingOf } from '../edge/spellings.ts';

export interface ForgedToken {
  token: string;
  header: Record<string, unknown>;
  claims: Record<string, unknown>;
  expSeconds: number | null;
}

const NONE_SPELLINGS = ['none', 'None', 'NONE', 'nOnE'];
const KID_INJECTIONS = ['../../../../dev/null', "' OR 1=1--", '|sleep 5'];
export const ATTACKER_JKU = 'https://attacker.invalid/.well-known/jwks.json';
export const ATTACKER_X5U = 'https://attacker.invalid/cert.pem';

type Key = CryptoKey | Uint8Array;
const enc = new TextEncoder();

/** Keys the forge needs besides the target's: another key of the same kind, attacker keys. */
export class KeyRing {
  private cache = new Map<string, Promise<{ key: Key; jwk: JWK }>>();
  constructor(readonly target: SigningKeys) {}

  /** A key of `alg` that the target does not know (same for the whole run). */
  foreign(alg: Algorithm, purpose: string): Promise<{ key: Key; jwk: JWK }> {
    const id = `${alg}:${purpose}`;
    let p = this.cache.get(id);
    if (!p) {
      p = makeKey(alg);
      this.cache.set(id, p);
    }
    return p;
  }
}

async function makeKey(alg: Algorithm): Promise<{ key: Key; jwk: JWK }> {
  if (isSymmetric(alg)) {
    const secret = new Uint8Array(randomBytes(64));
    return { key: secret, jwk: { kty: 'oct', k: base64url.encode(secret) } };
  }
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true, ...(alg === 'EdDSA' ? { crv: 'Ed25519' } : {}) });
  return { key: privateKey, jwk: await exportJWK(publicKey) };
}

export async function forgeToken(facts: Facts, policy: Policy, ring: KeyRing, userId: string, nowMs: number, variant: number): Promise<ForgedToken> {
  const plan = planClaims(facts, policy, userId, nowMs);
  const claims = { ...plan.claims };
  if (facts.structure === 'oversize') claims.pad = 'x'.repeat((policy.maxTokenBytes ?? 8192) + 512);
  if (facts.structure === 'not-jwt') {
    // The field's fake token, or three segments whose header is not UTF-8 JSON.
    const token =
      variant % 2 === 0
        ? `staging_jwt_token_user_${Math.floor(nowMs / 1000)}`
        : `${base64url.encode(new Uint8Array([0xff, 0xfe, 0x7b, 0x80]))}.${base64url.encode(enc.encode(JSON.stringify(claims)))}.${base64url.encode(new Uint8Array(32))}`;
    return { token, header: {}, claims: {}, expSeconds: null };
  }
  const keys = ring.target;
  const header: Record<string, unknown> = { alg: keys.alg };
  if (plan.typ !== undefined) header.typ = plan.typ;
  if (keys.kid !== undefined) header.kid = keys.kid;

  if (facts.structure === 'jwe') {
    const cek = new Uint8Array(randomBytes(32));
    const token = await new CompactEncrypt(enc.encode(JSON.stringify(claims)))
      .setProtectedHeader({ alg: 'dir', enc: 'A256GCM', ...(typeof plan.typ === 'string' ? { typ: plan.typ } : {}) })
      .encrypt(cek);
    return { token, header: { alg: 'dir', enc: 'A256GCM' }, claims, expSeconds: plan.expSeconds };
  }

  let signingKey: Key = keys.signingKey;
  let alg: string = keys.alg;
  let unsigned = false;
  let rawHmacKey: Uint8Array | null = null;

  switch (facts.alg) {
    case 'none':
      unsigned = true;
      alg = NONE_SPELLINGS[variant % NONE_SPELLINGS.length]!;
      break;
    case 'not-allowed': {
      const other = disallowedAlgorithm(policy);
      alg = other;
      signingKey = isSymmetric(keys.alg) && isSymmetric(other as Algorithm) ? keys.signingKey : (await ring.foreign(other as Algorithm, 'disallowed')).key;
      break;
    }
    case 'key-confusion': {
      // CVE-2016-10555 style: HS256 keyed with the target's own public key bytes.
      alg = 'HS256';
      const pem = keys.verification.kind === 'jwks' ? keys.verification.publicPem : '';
      signingKey = enc.encode(pem);
      break;
    }
    case 'allowed':
      break;
  }
  header.alg = alg;

  switch (facts.key) {
    case 'known':
      break;
    case 'unknown-kid': {
      const form = spellingOf(facts, 'kid');
      header.kid = form && keys.kid !== undefined ? nearMiss(keys.kid, form as NearMissForm) : `unknown-kid-${variant % 1000}`;
      break;
    }
    case 'attacker-jwk': {
      const attacker = await ring.foreign(keys.alg, 'attacker');
      header.jwk = publicPart(attacker.jwk);
      delete header.kid;
      if (!unsigned && facts.alg === 'allowed') signingKey = attacker.key;
      break;
    }
    case 'attacker-jku':
    case 'attacker-x5u': {
      const attacker = await ring.foreign(keys.alg, 'attacker');
      if (facts.key === 'attacker-jku') header.jku = ATTACKER_JKU;
      else header.x5u = ATTACKER_X5U;
      header.kid = 'attacker-key';
      if (!unsigned && facts.alg === 'allowed') signingKey = attacker.key;
      break;
    }
    case 'kid-injection':
      header.kid = KID_INJECTIONS[variant % KID_INJECTIONS.length]!;
      // The classic pay-off of `kid: ../../dev/null` is an empty HMAC key.
      if (isSymmetric(keys.alg) && !unsigned && facts.alg === 'allowed') rawHmacKey = new Uint8Array(0);
      else if (!unsigned && facts.alg === 'allowed') signingKey = (await ring.foreign(keys.alg, 'attacker')).key;
      break;
  }

  if (facts.signature === 'wrong-key' && !unsigned && facts.alg === 'allowed') {
    signingKey = (await ring.foreign(keys.alg, 'wrong-key')).key;
    rawHmacKey = null;
  }

  const payloadBytes = enc.encode(JSON.stringify(claims));
  let token: string;
  const unencoded = facts.structure === 'bad-base64url' && spellingOf(facts, 'structure') === 'b64-false';
  if (unencoded) {
    token = await unencodedPayloadToken(header, claims, signingKey);
  } else if (unsigned) {
    token = `${b64json(header)}.${base64url.encode(payloadBytes)}.`;
  } else if (rawHmacKey !== null) {
    const signingInput = `${b64json(header)}.${base64url.encode(payloadBytes)}`;
    const sig = createHmac('sha256', rawHmacKey).update(signingInput).digest();
    token = `${signingInput}.${base64url.encode(sig)}`;
  } else {
    token = await new CompactSign(payloadBytes).setProtectedHeader(header as { alg: string }).sign(signingKey);
  }

  token = applySignatureFact(token, facts, claims, variant);
  // An unencoded payload is its own bad base64url: nothing more to break.
  if (!unencoded) token = applyStructureFact(token, facts, variant);
  return { token, header, claims: facts.signature === 'tampered' ? { ...claims, role: 'admin' } : claims, expSeconds: plan.expSeconds };
}

/**
 * RFC 7797: `b64: false` (listed in crit), signed over the raw JSON. Dots are escaped
 * (`\u002e`) so the compact form keeps three segments; the payload segment is then
 * JSON, not base64url. A JWT must never be read this way (jose's jwtVerify refuses it).
 */
async function unencodedPayloadToken(header: Record<string, unknown>, claims: Record<string, unknown>, key: Key): Promise<string> {
  const raw = JSON.stringify(claims).replace(/\./g, '\\u002e');
  const jws = await new FlattenedSign(enc.encode(raw)).setProtectedHeader({ ...(header as { alg: string }), b64: false, crit: ['b64'] }).sign(key);
  return `${jws.protected}.${raw}.${jws.signature}`;
}

function applySignatureFact(token: string, facts: Facts, claims: Record<string, unknown>, variant: number): string {
  const [h, p, s] = token.split('.') as [string, string, string];
  if (facts.signature === 'stripped') {
    // No signature at all; its last bytes cut off; or all zeros (for ECDSA: r = s = 0,
    // CVE-2022-21449, "psychic signatures").
    if (variant % 3 === 0 || s.length < 8) return `${h}.${p}.`;
    if (variant % 3 === 1) return `${h}.${p}.${s.slice(0, -6)}`;
    return `${h}.${p}.${base64url.encode(new Uint8Array(base64url.decode(s).length))}`;
  }
  if (facts.signature === 'tampered') {
    return `${h}.${base64url.encode(enc.encode(JSON.stringify({ ...claims, role: 'admin' })))}.${s}`;
  }
  return token;
}

function applyStructureFact(token: string, facts: Facts, variant: number): string {
  const [h, p, s] = token.split('.') as [string, string, string];
  if (facts.structure === 'bad-base64url') {
    // '!' is a valid header/cookie/subprotocol character but not base64url.
    return `${h}.${p.slice(0, 4)}!${p.slice(5)}.${s}`;
  }
  if (facts.structure === 'wrong-segment-count') {
    return variant % 2 === 0 ? `${h}.${p}` : `${h}.${p}.${s}.${s}`;
  }
  return token;
}

function disallowedAlgorithm(policy: Policy): string {
  // Every HMAC algorithm allowed: a token from another key family must be refused all the same.
  if (policy.algorithms.every(isSymmetric)) return ['HS512', 'HS384', 'HS256'].find((a) => !policy.algorithms.includes(a as Algorithm)) ?? 'RS256';
  return ALGORITHMS.filter((a) => !isSymmetric(a)).find((a) => !policy.algorithms.includes(a)) ?? 'PS256';
}

function publicPart(jwk: JWK): JWK {
  const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, ...pub } = jwk;
  return pub;
}

function b64json(value: unknown): string {
  return base64url.encode(enc.encode(JSON.stringify(value)));
}
