// Stage 2: is this a compact JWS, signed with one of our keys, by an allowed
// algorithm? Structure, algorithm and key headers are checked before jose verifies
// the signature, so each defect gets its own reason code.
import { compactVerify, errors, type CompactJWSHeaderParameters, type KeyObject } from 'jose';
import { isSymmetric, type Algorithm, type Policy } from '../../model/policy.ts';
import type { HandshakeReason } from '../../model/reasons.ts';
import type { VerificationKeys } from './keys.ts';

export type JoseHeader = CompactJWSHeaderParameters & Record<string, unknown>;
export type Claims = Record<string, unknown>;

export type TokenCheck =
  | { ok: true; header: JoseHeader; claims: Claims }
  | { ok: false; reason: HandshakeReason };

const fail = (reason: HandshakeReason): TokenCheck => ({ ok: false, reason });

const BASE64URL = /^[A-Za-z0-9_-]*$/;
const ATTACKER_KEY_HEADERS = ['jwk', 'jku', 'x5u', 'x5c'];
// Path traversal, quoting, shell and SQL metacharacters, whitespace, control bytes.
const INJECTION = /[/\\'"`|;&$<>\s\u0000-\u001f]|\.\./;

export async function verifyToken(token: string, keys: VerificationKeys, policy: Policy): Promise<TokenCheck> {
  const parsed = parseCompact(token, policy);
  if (!parsed.ok) return parsed;
  const { header } = parsed;
  const alg = header.alg;
  if (alg.toLowerCase() === 'none') return fail('alg-none');
  if (!(policy.algorithms as string[]).includes(alg)) {
    const asymmetricPolicy = !policy.algorithms.some(isSymmetric);
    return fail(asymmetricPolicy && /^HS/i.test(alg) ? 'alg-key-confusion' : 'alg-not-allowed');
  }
  if (ATTACKER_KEY_HEADERS.some((h) => h in header)) return fail('key-attacker-supplied');
  if ('kid' in header) {
    if (typeof header.kid !== 'string') return fail('token-malformed');
    if (INJECTION.test(header.kid)) return fail('key-injection');
    // With kid ignored, the one key verifies whatever the kid names.
    // A fetched JWKS may learn the kid on a refetch: its resolver decides (JWKSNoMatchingKey).
    const known = keys.kind === 'secret' ? keys.kid === header.kid || policy.kid === 'ignored' : keys.kind === 'remote' || keys.kids.has(header.kid);
    if (!known) return fail('key-unknown-kid');
  }
  const reason = await checkSignature(token, keys, policy.algorithms);
  return reason ? fail(reason) : parsed;
}

/** Decodes header and claims without verifying anything (used before verification, and by mutants). */
export function parseCompact(token: string, policy: Pick<Policy, 'maxTokenBytes'>): TokenCheck {
  if (policy.maxTokenBytes !== null && Buffer.byteLength(token) > policy.maxTokenBytes) return fail('token-oversize');
  const segments = token.split('.');
  if (segments.length === 5) return fail('token-encrypted');
  if (segments.length !== 3) return fail('token-malformed');
  const [h = '', p = '', s = ''] = segments;
  if (h === '' || p === '' || !BASE64URL.test(h) || !BASE64URL.test(p) || !BASE64URL.test(s)) return fail('token-malformed');
  const header = decodeJsonObject(h);
  const claims = decodeJsonObject(p);
  if (!header || !claims || typeof header.alg !== 'string') return fail('token-malformed');
  // No extensions: with `b64: false` the signed bytes would not be the claims we read.
  if ('crit' in header || 'b64' in header) return fail('token-malformed');
  return { ok: true, header: header as JoseHeader, claims };
}

function decodeJsonObject(segment: string): Record<string, unknown> | null {
  try {
    const text = new TextDecoder('utf-8', { fatal: true }).decode(Buffer.from(segment, 'base64url'));
    const value: unknown = JSON.parse(text);
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
    // RFC 7515 4: duplicate member names make the JOSE header (and our claims) ambiguous.
    return hasDuplicateMembers(text) ? null : (value as Record<string, unknown>);
  } catch {
    return null;
  }
}

/** For text already known to be valid JSON: does any object repeat a member name? */
export function hasDuplicateMembers(json: string): boolean {
  const stack: Array<Set<string> | null> = [];
  let expectKey = false;
  for (let i = 0; i < json.length; i++) {
    const c = json[i];
    if (c === '"') {
      let j = i + 1;
      while (json[j] !== '"') j += json[j] === '\\' ? 2 : 1;
      if (expectKey) {
        const names = stack.at(-1);
        const name = JSON.parse(json.slice(i, j + 1)) as string;
        if (names?.has(name)) return true;
        names?.add(name);
        expectKey = false;
      }
      i = j;
    } else if (c === '{') {
      stack.push(new Set());
      expectKey = true;
    } else if (c === '[') {
      stack.push(null);
    } else if (c === '}' || c === ']') {
      stack.pop();
      expectKey = false;
    } else if (c === ',') {
      expectKey = stack.at(-1) instanceof Set;
    }
  }
  return false;
}

async function checkSignature(token: string, keys: VerificationKeys, algorithms: Algorithm[]): Promise<HandshakeReason | null> {
  const options = { algorithms };
  try {
    if (keys.kind === 'secret') {
      await compactVerify(token, keys.secret, options);
      return null;
    }
    try {
      await compactVerify(token, keys.resolve, options);
      return null;
    } catch (error) {
      // No kid and several candidate keys: try each, as jose's docs recommend.
      if (!(error instanceof errors.JWKSMultipleMatchingKeys)) throw error;
      for await (const key of error as unknown as AsyncIterable<KeyObject | CryptoKey>) {
        try {
          await compactVerify(token, key, options);
          return null;
        } catch (inner) {
          if (!(inner instanceof errors.JWSSignatureVerificationFailed)) throw inner;
        }
      }
      return 'signature-wrong-key';
    }
  } catch (error) {
    if (error instanceof errors.JWSSignatureVerificationFailed) return 'signature-wrong-key';
    if (error instanceof errors.JWKSNoMatchingKey) return 'key-unknown-kid';
    return 'token-malformed';
  }
}
