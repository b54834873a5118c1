// The edge cases: every near miss differs from the expected value and is predicted as the
// fact it stands for; the forge writes exactly that near miss; the set is the same for the
// same policy; identity headers name the case's user and the config adds its own.
import fc from 'fast-check';
import { base64url, compactVerify, decodeProtectedHeader } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { CANONICAL_FACTS, type Facts } from '../../../model/facts.ts';
import { predict } from '../../../model/oracle.ts';
import { profilePolicy, resolvePolicy } from '../../../model/policy.ts';
import { parseCompact } from '../../../src/handshake/verify-token.ts';
import { generateKeys, type SigningKeys } from '../../keys.ts';
import { canonicalFacts } from '../case.ts';
import { forgeRequest } from '../forge/request.ts';
import { KeyRing } from '../forge/token.ts';
import { edgeCases, subjectKind } from './cases.ts';
import { edgeHint } from './hint.ts';
import { fillIdentity, identityHeaders, IDENTITY_HEADERS } from './identity-headers.ts';
import { nearMiss, nearMissString, SHAPE_FORMS, STRING_FORMS } from './near-miss.ts';

const policy = { ...profilePolicy('default'), clockSkewSeconds: 4 };
const now = 1_900_000_000_000;
let keys: SigningKeys;
let ring: KeyRing;

beforeAll(async () => {
  keys = await generateKeys('HS256');
  ring = new KeyRing(keys);
});

const cases = () => edgeCases(policy, canonicalFacts(policy));
const caseOf = (spelling: string) => {
  const found = cases().find((k) => k.facts.spelling === spelling);
  if (!found) throw new Error(`no edge case ${spelling}`);
  return found;
};
const forge = (spelling: string) => forgeRequest(caseOf(spelling).facts, policy, ring, '/ws', 'e1-abc123-7', now, 0);
const claimsOf = (t: string) => JSON.parse(new TextDecoder().decode(base64url.decode(t.split('.')[1]!))) as Record<string, unknown>;
const header = (headers: Array<[string, string]>, name: string) => headers.find(([k]) => k.toLowerCase() === name.toLowerCase())?.[1];

describe('near misses', () => {
  it('property: no string form equals the expected value, and each keeps to its kind of difference', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 30 }), fc.constantFrom(...STRING_FORMS), (expected, form) => {
        const miss = nearMissString(expected, form);
        expect(miss).not.toBe(expected);
        if (form === 'longer-suffix') expect(miss.startsWith(expected)).toBe(true);
        if (form === 'longer-prefix') expect(miss.endsWith(expected)).toBe(true);
        if (form === 'containing') expect(miss.includes(expected)).toBe(true);
        if (form === 'whitespace') expect(miss.trim()).toBe(expected.trim());
      }),
    );
  });

  it('folds back to the expected value under the comparison each form defeats', () => {
    const expected = 'ws-chat';
    expect(nearMissString(expected, 'case').toLowerCase()).toBe(expected);
    expect(nearMissString(expected, 'nfkc').normalize('NFKC')).toBe(expected);
    expect(nearMissString(expected, 'lookalike')).not.toBe(expected);
    expect(expected.startsWith(nearMissString(expected, 'truncated'))).toBe(true);
    expect(expected.includes(nearMissString(expected, 'substring'))).toBe(true);
    for (const form of SHAPE_FORMS) expect(typeof nearMiss(expected, form)).not.toBe('string');
  });
});

describe('edge cases', () => {
  it('are the same for the same policy, one per spelling, with unique keys', () => {
    expect(cases()).toEqual(cases());
    const keys = cases().map((k) => k.key);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys.filter((k) => k.startsWith('edge:identity:'))).toHaveLength(IDENTITY_HEADERS.length);
  });

  it('each is predicted as the fact it stands for: a near miss of a value is that value wrong', () => {
    for (const kase of cases()) {
      const { spelling: _spelling, ...plain } = kase.facts;
      expect(kase.prediction, kase.key).toEqual(predict(policy, plain as Facts));
    }
    expect(caseOf('aud:containing').prediction.reason).toBe('aud-mismatch');
    expect(caseOf('aud:array-with').prediction.outcome).toBe('accept');
    expect(caseOf('sub:case').prediction.reason).toBe('user-unknown');
    expect(caseOf('identity:x-auth-request-user').prediction.reason).toBe('credential-missing');
  });

  it('leave out what the policy does not compare', () => {
    const lax = resolvePolicy({ claimChecks: { aud: 'unchecked' }, allowedOrigins: [], kid: 'ignored', users: 'stateless', requiredRole: null });
    const spellings = edgeCases(lax, canonicalFacts(lax)).map((k) => k.facts.spelling ?? '');
    expect(spellings.some((s) => /^(aud|origin|kid|sub):/.test(s))).toBe(false);
    expect(spellings.some((s) => s.startsWith('iss:'))).toBe(true);
  });
});

describe('the forge writes the near miss', () => {
  it('aud, iss and sub in the claims, signed with the target key', async () => {
    const aud = (await forge('aud:containing')).token!;
    expect(claimsOf(aud).aud).toBe(`x${policy.audience}x`);
    expect(await compactVerify(aud, keys.signingKey as Uint8Array).then(() => true)).toBe(true);
    expect(claimsOf((await forge('aud:array-with')).token!).aud).toEqual(['some-other-service', policy.audience]);
    expect(claimsOf((await forge('iss:array')).token!).iss).toEqual([policy.issuer]);
    expect(claimsOf((await forge('sub:case')).token!).sub).toBe('E1-ABC123-7');
    expect(subjectKind(caseOf('sub:case').facts)).toBe('active');
  });

  it('typ and kid in the header, exp and nbf at their edges', async () => {
    expect(decodeProtectedHeader((await forge('typ:longer-suffix')).token!).typ).toBe(`${policy.typ}.evil`);
    expect(decodeProtectedHeader((await forge('kid:case')).token!).kid).toBe(keys.kid!.toUpperCase());
    expect(claimsOf((await forge('exp:zero')).token!).exp).toBe(0);
    expect(claimsOf((await forge('exp:skew-edge')).token!).exp).toBe(now / 1000 - policy.clockSkewSeconds - 3);
    expect(claimsOf((await forge('exp:null')).token!).exp).toBeNull();
  });

  it('scheme and Origin in the request headers', async () => {
    expect(header((await forge('scheme:longer-suffix')).headers, 'Authorization')).toMatch(/^Bearer\.evil eyJ/);
    expect(header((await forge('scheme:glued')).headers, 'Authorization')).toMatch(/^BearereyJ/);
    expect(header((await forge('origin:port')).headers, 'Origin')).toBe(`${policy.allowedOrigins[0]}:8443`);
    expect(header((await forge('origin:longer-suffix')).headers, 'Origin')).toBe(`${policy.allowedOrigins[0]}.evil`);
  });

  it('b64:false: correctly signed over the raw JSON, which the reference refuses as malformed', async () => {
    const token = (await forge('structure:b64-false')).token!;
    expect(decodeProtectedHeader(token)).toMatchObject({ b64: false, crit: ['b64'] });
    const { payload } = await compactVerify(token, keys.signingKey as Uint8Array);
    expect(JSON.parse(new TextDecoder().decode(payload))).toMatchObject({ iss: policy.issuer, aud: policy.audience });
    expect(parseCompact(token, policy)).toEqual({ ok: false, reason: 'token-malformed' });
  });

  it('an identity header names the case user, and the config adds its own', async () => {
    const r = await forge('identity:x-goog-authenticated-user-email');
    expect(r.token).toBeNull();
    expect(header(r.headers, 'X-Goog-Authenticated-User-Email')).toBe('accounts.google.com:e1-abc123-7');
    const jwt = fillIdentity('{user-jwt}', 'alice');
    expect(claimsOf(jwt).sub).toBe('alice');
    const extra = identityHeaders([['X-Company-User', '{user}'], ['x-forwarded-user', 'ALICE']]);
    expect(extra).toContainEqual(['X-Company-User', '{user}']);
    expect(extra.filter(([n]) => n.toLowerCase() === 'x-forwarded-user')).toEqual([['x-forwarded-user', 'ALICE']]);
    expect(edgeCases(policy, canonicalFacts(policy), [['X-Company-User', '{user}']]).map((k) => k.key)).toContain('edge:identity:x-company-user');
  });
});

describe('edge hints', () => {
  const facts = (spelling: string): Facts => caseOf(spelling).facts;
  it('name the failure a near miss let in points at, and stay out when the cause is another fact', () => {
    expect(edgeHint(facts('aud:containing'), true, false)?.id).toBe('aud-near-miss');
    expect(edgeHint(facts('sub:whitespace'), true, false)?.id).toBe('user-id-normalised');
    expect(edgeHint(facts('identity:x-auth-request-user'), true, false)?.id).toBe('identity-header-trusted');
    expect(edgeHint(facts('exp:zero'), true, false)?.id).toBe('exp-falsy-ignored');
    expect(edgeHint(facts('iss:case'), true, false)?.id).toBe('near-miss');
    expect(edgeHint(facts('kid:case'), true, false)?.id).toBe('kid-case-insensitive');
    expect(edgeHint(facts('aud:array-with'), false, true)?.id).toBe('aud-array-refused');
    expect(edgeHint(facts('exp:float'), false, true)?.id).toBe('valid-spelling-refused');
    expect(edgeHint(facts('aud:containing'), false, false)).toBeNull();
    expect(edgeHint(facts('aud:containing'), true, false, 'signature')).toBeNull();
    expect(edgeHint({ ...CANONICAL_FACTS }, true, false)).toBeNull();
  });
});
