// The forge builds requests with exactly the facts asked for: each fact value,
// applied to the canonical valid case, yields a request whose decoded token (or
// placement) shows that one defect and nothing else wrong.
import fc from 'fast-check';
import { base64url, compactVerify, decodeProtectedHeader } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { CANONICAL_FACTS, type Facts } from '../../../model/facts.ts';
import { profilePolicy, resolvePolicy } from '../../../model/policy.ts';
import { tokenFromMessage } from '../../../src/session/auth-message.ts';
import { generateKeys, type SigningKeys } from '../../keys.ts';
import { factsArbitrary } from '../arbitraries/facts.ts';
import { forgeRequest, type ForgedRequest } from './request.ts';
import { KeyRing } from './token.ts';

const policy = { ...profilePolicy('default'), clockSkewSeconds: 4 };
const now = 1_900_000_000_000;
const nowS = now / 1000;
let keys: SigningKeys;
let ring: KeyRing;

beforeAll(async () => {
  keys = await generateKeys('HS256');
  ring = new KeyRing(keys);
});

const forge = (f: Partial<Facts>, variant = 0) => forgeRequest({ ...CANONICAL_FACTS, ...f }, policy, ring, '/ws', 'user-1', now, variant);
const tokenOf = (r: ForgedRequest) => r.token!;
const claimsOf = (t: string) => JSON.parse(new TextDecoder().decode(base64url.decode(t.split('.')[1]!))) as Record<string, unknown>;
const verifies = async (t: string) => compactVerify(t, keys.signingKey as Uint8Array).then(() => true, () => false);

describe('forge: the canonical case', () => {
  it('is a valid HS256 token in the Authorization header, signed with the target key', async () => {
    const r = await forge({});
    expect(r.headers).toEqual([['Authorization', `Bearer ${r.token}`]]);
    const t = tokenOf(r);
    expect(await verifies(t)).toBe(true);
    expect(decodeProtectedHeader(t)).toMatchObject({ alg: 'HS256', typ: 'at+jwt', kid: keys.kid });
    expect(claimsOf(t)).toMatchObject({ iss: policy.issuer, aud: policy.audience, sub: 'user-1' });
    expect(claimsOf(t).exp).toBeGreaterThan(nowS + 60);
  });
});

describe('forge: one defect per fact value', () => {
  it('structure', async () => {
    expect(tokenOf(await forge({ structure: 'not-jwt' }, 0))).toMatch(/^staging_jwt_token_user_\d+$/);
    const notJson = tokenOf(await forge({ structure: 'not-jwt' }, 1));
    expect(notJson.split('.')).toHaveLength(3);
    expect(() => decodeProtectedHeader(notJson)).toThrow();
    const bad = tokenOf(await forge({ structure: 'bad-base64url' }));
    expect(bad.split('.')).toHaveLength(3);
    expect(bad.split('.').some((s) => !/^[A-Za-z0-9_-]*$/.test(s))).toBe(true);
    expect(tokenOf(await forge({ structure: 'wrong-segment-count' }, 0)).split('.')).toHaveLength(2);
    expect(tokenOf(await forge({ structure: 'wrong-segment-count' }, 1)).split('.')).toHaveLength(4);
    const jwe = tokenOf(await forge({ structure: 'jwe' }));
    expect(jwe.split('.')).toHaveLength(5);
    expect(decodeProtectedHeader(jwe)).toMatchObject({ alg: 'dir', enc: 'A256GCM' });
    const big = tokenOf(await forge({ structure: 'oversize' }));
    expect(big.length).toBeGreaterThan(policy.maxTokenBytes!);
    expect(await verifies(big)).toBe(true);
  });

  it('alg', async () => {
    for (let v = 0; v < 4; v++) {
      const t = tokenOf(await forge({ alg: 'none' }, v));
      expect(String(decodeProtectedHeader(t).alg).toLowerCase()).toBe('none');
      expect(t.endsWith('.')).toBe(true);
    }
    const other = tokenOf(await forge({ alg: 'not-allowed' }));
    expect(policy.algorithms).not.toContain(decodeProtectedHeader(other).alg);
    // Every HMAC algorithm allowed (@fastify/jwt's default): another key family is still not allowed.
    const algorithms: typeof policy.algorithms = ['HS256', 'HS384', 'HS512'];
    const foreign = await forgeRequest({ ...CANONICAL_FACTS, alg: 'not-allowed' }, { ...policy, algorithms }, ring, '/ws', 'user-1', now, 0);
    expect(decodeProtectedHeader(tokenOf(foreign)).alg).toBe('RS256');
  });

  it('key', async () => {
    const unknown = decodeProtectedHeader(tokenOf(await forge({ key: 'unknown-kid' })));
    expect(unknown.kid).not.toBe(keys.kid);
    expect(decodeProtectedHeader(tokenOf(await forge({ key: 'attacker-jwk' }))).jwk).toBeDefined();
    expect(decodeProtectedHeader(tokenOf(await forge({ key: 'attacker-jku' }))).jku).toMatch(/^https:\/\/attacker/);
    expect(decodeProtectedHeader(tokenOf(await forge({ key: 'attacker-x5u' }))).x5u).toMatch(/^https:\/\/attacker/);
    for (let v = 0; v < 3; v++) expect(decodeProtectedHeader(tokenOf(await forge({ key: 'kid-injection' }, v))).kid).toMatch(/\.\.\/|'|\|/);
  });

  it('signature', async () => {
    const wrong = tokenOf(await forge({ signature: 'wrong-key' }));
    expect(decodeProtectedHeader(wrong)).toMatchObject({ alg: 'HS256', kid: keys.kid });
    expect(await verifies(wrong)).toBe(false);
    expect(tokenOf(await forge({ signature: 'stripped' }, 0)).endsWith('.')).toBe(true);
    const cut = tokenOf(await forge({ signature: 'stripped' }, 1));
    expect(cut.split('.')[2]!.length).toBeGreaterThan(0);
    expect(await verifies(cut)).toBe(false);
    const zeros = tokenOf(await forge({ signature: 'stripped' }, 2));
    expect([...base64url.decode(zeros.split('.')[2]!)].every((b) => b === 0)).toBe(true);
    expect(await verifies(zeros)).toBe(false);
    const tampered = tokenOf(await forge({ signature: 'tampered' }));
    expect(await verifies(tampered)).toBe(false);
    expect(claimsOf(tampered).role).toBe('admin');
  });

  it('claims', async () => {
    const exp = async (v: Facts['exp']) => claimsOf(tokenOf(await forge({ exp: v }))).exp;
    expect(await exp('past')).toBeLessThan(nowS - policy.clockSkewSeconds - 2);
    const within = (await exp('within-skew')) as number;
    // 2 s from both boundaries: still valid with the skew, clearly past without it.
    expect(within).toBeLessThanOrEqual(nowS - 2);
    expect(within).toBeGreaterThanOrEqual(nowS - policy.clockSkewSeconds + 2);
    expect(await exp('missing')).toBeUndefined();
    expect(typeof (await exp('wrong-type'))).toBe('string');
    expect(claimsOf(tokenOf(await forge({ nbf: 'future' }))).nbf).toBeGreaterThan(nowS + policy.clockSkewSeconds + 2);
    expect(claimsOf(tokenOf(await forge({ nbf: 'past' }))).nbf).toBeLessThan(nowS);
    expect(claimsOf(tokenOf(await forge({ iss: 'wrong' }))).iss).not.toBe(policy.issuer);
    expect(claimsOf(tokenOf(await forge({ iss: 'missing' }))).iss).toBeUndefined();
    expect(claimsOf(tokenOf(await forge({ aud: 'wrong' }))).aud).not.toBe(policy.audience);
    expect(claimsOf(tokenOf(await forge({ aud: 'missing' }))).aud).toBeUndefined();
    expect(decodeProtectedHeader(tokenOf(await forge({ typ: 'wrong' }))).typ).not.toBe(policy.typ);
    expect(decodeProtectedHeader(tokenOf(await forge({ typ: 'missing' }))).typ).toBeUndefined();
    expect(claimsOf(tokenOf(await forge({ sub: 'missing' }))).sub).toBeUndefined();
    for (const f of ['exp', 'nbf', 'iss', 'aud', 'typ', 'sub'] as const) {
      // Claim defects keep the signature valid: only the claim is wrong.
      expect(await verifies(tokenOf(await forge({ [f]: f === 'nbf' ? 'future' : f === 'sub' ? 'missing' : 'wrong' } as Partial<Facts>)))).toBe(true);
    }
  });

  it('placement, scheme and origin', async () => {
    const sub = await forge({ placement: 'subprotocol' });
    expect(sub.protocols).toEqual(['bearer', sub.token]);
    const cookie = await forge({ placement: 'cookie' });
    expect(cookie.headers).toEqual([['Cookie', `access_token=${cookie.token}`]]);
    const query = await forge({ placement: 'query' });
    expect(query.path).toBe(`/ws?access_token=${encodeURIComponent(query.token!)}`);
    const fm = await forge({ placement: 'first-message' });
    expect(fm.headers).toEqual([]);
    expect(JSON.parse(fm.authMessage!)).toEqual({ type: 'auth', token: fm.token });
    expect((await forge({ placement: 'first-message', session: 'auth-message-never-sent' })).authMessage).toBeNull();
    const none = await forge({ placement: 'none' });
    expect([none.headers, none.protocols, none.path, none.token]).toEqual([[], [], '/ws', null]);
    expect((await forge({ scheme: 'empty' })).headers).toEqual([['Authorization', 'Bearer']]);
    expect((await forge({ placement: 'subprotocol', scheme: 'empty' })).protocols).toEqual(['bearer']);
    const odd = await forge({ scheme: 'bearer-odd-case' });
    expect(odd.headers[0]![1]).toMatch(/^bearer /i);
    expect(odd.headers[0]![1].startsWith('Bearer ')).toBe(false);
    expect((await forge({ scheme: 'other' })).headers[0]![1]).toMatch(/^(Basic|Token) /);
    expect((await forge({ origin: 'allowed' })).headers[0]).toEqual(['Origin', policy.allowedOrigins[0]]);
    expect((await forge({ origin: 'null' })).headers[0]).toEqual(['Origin', 'null']);
    expect((await forge({ origin: 'foreign' })).headers[0]![1]).not.toBe(policy.allowedOrigins[0]);
  });
});

describe('forge: credential wiring from the policy', () => {
  const wired = resolvePolicy({
    placements: { query: true, 'first-message': true },
    credentials: {
      header: { name: 'X-Auth-Token', scheme: null },
      query: 'token',
      cookie: 'jwt',
      subprotocol: { marker: null, prefix: 'base64url.bearer.' },
      requiredSubprotocols: ['graphql-transport-ws'],
      firstMessage: { template: '{"type":"connection_init","payload":{"authorization":"Bearer {{token}}"}}' },
    },
  });
  const wire = (f: Partial<Facts>) => forgeRequest({ ...CANONICAL_FACTS, ...f }, wired, ring, '/ws', 'user-1', now, 0);
  it('puts the token under the names, scheme, prefix and template the policy gives, required subprotocols on every request', async () => {
    const header = await wire({});
    expect(header.headers).toContainEqual(['X-Auth-Token', header.token]);
    expect(header.protocols).toEqual(['graphql-transport-ws']);
    const query = await wire({ placement: 'query' });
    expect(query.path).toBe(`/ws?token=${query.token}`);
    const cookie = await wire({ placement: 'cookie' });
    expect(cookie.headers).toContainEqual(['Cookie', `jwt=${cookie.token}`]);
    const sub = await wire({ placement: 'subprotocol' });
    expect(sub.protocols).toEqual(['graphql-transport-ws', `base64url.bearer.${sub.token}`]);
    const first = await wire({ placement: 'first-message' });
    expect(JSON.parse(first.authMessage!)).toEqual({ type: 'connection_init', payload: { authorization: `Bearer ${first.token}` } });
    expect(tokenFromMessage('{"type":"connection_init","payload":{"authorization":"Bearer {{token}}"}}', first.authMessage!)).toBe(first.token);
    expect(tokenFromMessage('{"type":"connection_init","payload":{"authorization":"Bearer {{token}}"}}', '{"type":"subscribe","payload":{"authorization":"x"}}')).toBeNull();
  });
});

describe('forge: properties', () => {
  it('puts the token only where the placement fact says, whatever the other facts', async () => {
    await fc.assert(
      fc.asyncProperty(factsArbitrary(policy, CANONICAL_FACTS, { canonicalWeight: 1, slowCanonicalWeight: 1, unavailable: {} }), async (facts) => {
        const r = await forgeRequest(facts, policy, ring, '/ws', 'user-2', now, 0);
        if (!r.token) return facts.placement === 'none' || facts.scheme === 'empty';
        const where = {
          'authorization-header': r.headers.some(([k, v]) => k.toLowerCase() === 'authorization' && v.includes(r.token!)),
          subprotocol: r.protocols.includes(r.token),
          cookie: r.headers.some(([k, v]) => k.toLowerCase() === 'cookie' && v.includes(r.token!)),
          query: r.path.includes(encodeURIComponent(r.token)),
          'first-message': (r.authMessage ?? '').includes(r.token),
        };
        const found = Object.entries(where).filter(([, yes]) => yes).map(([p]) => p);
        return facts.session === 'auth-message-never-sent' && facts.placement === 'first-message' ? found.length === 0 : found.length === 1 && found[0] === facts.placement;
      }),
      { numRuns: 150, seed: 4 },
    );
  });

  it('noise never touches the credential: with and without noise the token lands in the same place', async () => {
    await fc.assert(
      fc.asyncProperty(factsArbitrary(policy, CANONICAL_FACTS), async (facts) => {
        const noisy = await forgeRequest(facts, policy, ring, '/ws', 'user-3', now, 1);
        const quiet = await forgeRequest({ ...facts, noise: { headers: [], query: [], headerCase: 'canonical', reverseHeaders: false } }, policy, ring, '/ws', 'user-3', now, 1);
        const strip = (r: ForgedRequest) => r.headers.filter(([k]) => ['authorization', 'cookie', 'origin'].includes(k.toLowerCase())).map(([, v]) => v.replace(r.token ?? '\u0000', 'T'));
        return JSON.stringify(strip(noisy).sort()) === JSON.stringify(strip(quiet).sort()) && noisy.protocols.length === quiet.protocols.length;
      }),
      { numRuns: 100, seed: 5 },
    );
  });

  it('the request id header is on every case, once, noisy or not, and never carries the token', async () => {
    await fc.assert(
      fc.asyncProperty(factsArbitrary(policy, CANONICAL_FACTS), async (facts) => {
        const quietFacts = { ...facts, noise: { headers: [], query: [], headerCase: 'canonical' as const, reverseHeaders: false } };
        for (const f of [facts, quietFacts]) {
          const r = await forgeRequest(f, policy, ring, '/ws', 'user-4', now, 1, 'wsac-abc-7');
          const ids = r.headers.filter(([k]) => k.toLowerCase() === 'x-request-id');
          if (ids.length !== 1 || ids[0]![1] !== 'wsac-abc-7' || r.requestId !== 'wsac-abc-7') return false;
        }
        return true;
      }),
      { numRuns: 60, seed: 6 },
    );
  });
});
