// The decision table over the wire: a real `ws` client against the real backend on
// PGlite, one case per outcome and per reason.
import { CompactEncrypt, exportJWK, exportSPKI, generateKeyPair } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolvePolicy, type PolicyInput } from '../model/policy.ts';
import { HANDSHAKE_REASONS, NO_TOKEN_REASONS, type HandshakeReason } from '../model/reasons.ts';
import type { Directory, SqlDirectory } from './directory/directory.ts';
import { openPgliteDirectory } from './directory/pglite.ts';
import { userSeeder } from './directory/seed.ts';
import type { KeySource } from './handshake/keys.ts';
import { startReferenceBackend, type ReferenceBackend } from './server.ts';
import {
  ALLOWED_ORIGIN,
  attempt,
  bearer,
  craft,
  errorOf,
  mint,
  SECRET as SECRET_FOR_TESTS,
  stallingDirectory,
  type AttemptOptions,
  type Observation,
} from './testing/harness.ts';

const DEADLINE_MS = 400;
let directory: SqlDirectory;
const backends: ReferenceBackend[] = [];
const stalled = new Set(['stalled']);
let stalling: ReturnType<typeof stallingDirectory>;
let rsa: CryptoKeyPair;
let ec: CryptoKeyPair;
let ed: CryptoKeyPair;
let url: { hs: string; headerOnly: string; asym: string; strict: string; broken: string; claims: string };

async function start(policy: PolicyInput, keys: KeySource, dir: Directory): Promise<string> {
  const backend = await startReferenceBackend({ policy: resolvePolicy(policy), keys, directory: dir });
  backends.push(backend);
  return backend.url;
}

beforeAll(async () => {
  directory = await openPgliteDirectory();
  await userSeeder(directory.sql).insert([
    { user_id: 'alice', roles: ['chat'] },
    { user_id: 'bob', is_active: false, roles: ['chat'] },
    { user_id: 'carol', roles: ['read-only'] },
    { user_id: 'stalled', roles: ['chat'] },
  ]);
  stalling = stallingDirectory(directory, stalled);
  [rsa, ec, ed] = await Promise.all([
    generateKeyPair('RS256', { extractable: true }),
    generateKeyPair('ES256', { extractable: true }),
    generateKeyPair('EdDSA', { extractable: true }),
  ]);
  const jwks = {
    keys: [
      { ...(await exportJWK(rsa.publicKey)), kid: 'rsa-1', alg: 'RS256' },
      { ...(await exportJWK(ec.publicKey)), kid: 'ec-1', alg: 'ES256' },
      { ...(await exportJWK(ed.publicKey)), kid: 'ed-1', alg: 'EdDSA' },
    ],
  };
  const hsPolicy: PolicyInput = {
    placements: { query: true, 'first-message': false },
    handshakeDeadlineMs: DEADLINE_MS,
  };
  const broken: Directory = { ...directory, ping: () => Promise.reject(new Error('database down')), subscribe: () => () => {} };
  url = {
    hs: await start(hsPolicy, { secret: SECRET_FOR_TESTS, kid: 'hs-1' }, stalling),
    headerOnly: await start(
      { placements: { subprotocol: false, cookie: false, query: false, 'first-message': false } },
      { secret: SECRET_FOR_TESTS },
      directory,
    ),
    asym: await start({ ...hsPolicy, algorithms: ['RS256', 'ES256', 'EdDSA'] }, { jwks }, directory),
    strict: await start({ ...hsPolicy, profile: 'rfc-strict' }, { secret: SECRET_FOR_TESTS }, directory),
    broken: await start(hsPolicy, { secret: SECRET_FOR_TESTS }, broken),
    claims: await start({ ...hsPolicy, requiredClaims: ['exp', 'nbf', 'iat', 'jti'] }, { secret: SECRET_FOR_TESTS }, directory),
  };
});

afterAll(async () => {
  stalling?.release();
  await Promise.all(backends.map((b) => b.close()));
  await directory?.close();
});

function expectAccepted(obs: Observation): void {
  expect(obs.status, obs.body).toBe(101);
  expect(obs.close?.code).toBe(1000); // the client's own close, echoed
  expect(obs.close?.reason).toBe('client-done');
}

/** A refusal exactly as the contract says: status, JSON reason, challenge, Connection: close. */
function expectRefused(obs: Observation, status: 401 | 403, reason: HandshakeReason): void {
  expect({ status: obs.status, error: errorOf(obs) }).toEqual({ status, error: reason });
  expect(obs.headers['content-type']).toBe('application/json');
  expect(obs.headers.connection).toBe('close');
  const challenge = obs.headers['www-authenticate'];
  if (status === 403) return expect(challenge).toBeUndefined();
  expect(challenge).toBe(
    NO_TOKEN_REASONS.includes(reason) ? 'Bearer realm="ws"' : 'Bearer realm="ws", error="invalid_token"',
  );
}

const hs = (token: string, extra: Record<string, string> = {}): AttemptOptions => ({ headers: { ...bearer(token), ...extra } });
const now = () => Math.floor(Date.now() / 1000);

describe('accept', () => {
  const cases: Array<[string, () => Promise<AttemptOptions>, string?]> = [
    ['Authorization: Bearer', async () => hs(await mint())],
    ['scheme in lower case', async () => ({ headers: { Authorization: `bearer ${await mint()}` } })],
    ['scheme in upper case', async () => ({ headers: { Authorization: `BEARER ${await mint()}` } })],
    ['the configured kid', async () => hs(await mint({ header: { kid: 'hs-1' } }))],
    ['subprotocol bearer, <token>', async () => ({ protocols: ['bearer', await mint()] })],
    ['cookie access_token', async () => ({ headers: { Cookie: `theme=dark; access_token=${await mint()}` } })],
    ['cookie with an allowed Origin', async () => ({ headers: { Cookie: `access_token=${await mint()}`, Origin: ALLOWED_ORIGIN } })],
    ['query access_token (enabled)', async () => ({}), `?access_token=TOKEN`],
    ['exp in the past but within the skew', async () => hs(await mint({ claims: { exp: now() - 2 } }))],
    ['nbf in the past', async () => hs(await mint({ claims: { nbf: now() - 60 } }))],
    ['aud as an array holding ours', async () => hs(await mint({ claims: { aud: ['other', 'ws-chat'] } }))],
    ['typ written as a media type', async () => hs(await mint({ header: { typ: 'application/AT+JWT' } }))],
    [
      'bypass-looking noise headers',
      async () => hs(await mint(), { 'X-E2E-Test': 'true', 'X-Test-Type': 'E2E', 'X-Auth-Fast-Path': 'enabled', 'X-User-Id': 'admin' }),
    ],
  ];
  it.concurrent.each(cases)('%s -> 101', async (_name, build, query) => {
    const options = await build();
    const target = query ? `${url.hs}${query.replace('TOKEN', await mint())}` : url.hs;
    const obs = await attempt(target, options);
    expectAccepted(obs);
    if (options.protocols) expect(obs.protocol).toBe('bearer');
    expect(obs.headers['sec-websocket-protocol']).toBe(options.protocols ? 'bearer' : undefined);
  });

  it.concurrent.each([
    ['RS256', () => rsa, 'rsa-1'],
    ['ES256', () => ec, 'ec-1'],
    ['EdDSA', () => ed, 'ed-1'],
  ] as const)('%s from the JWKS -> 101', async (alg, pair, kid) => {
    expectAccepted(await attempt(url.asym, hs(await mint({ alg, secret: pair().privateKey, header: { kid } }))));
    // Without a kid, the key is chosen by algorithm.
    expectAccepted(await attempt(url.asym, hs(await mint({ alg, secret: pair().privateKey }))));
  });
});

describe('refuse at the handshake', () => {
  type Case = [reason: HandshakeReason, label: string, build: () => Promise<AttemptOptions | [string, AttemptOptions]>];
  const other = new TextEncoder().encode('another-secret-another-secret-another');
  const unsigned = (alg: string) => craft({ alg, typ: 'at+jwt' }, { iss: ISS, aud: AUD, sub: 'alice', exp: now() + 300 });
  const ISS = 'https://issuer.ws-auth-conformance.test';
  const AUD = 'ws-chat';
  const cases: Case[] = [
    ['origin-foreign', 'cookie from a foreign Origin', async () => ({ headers: { Cookie: `access_token=${await mint()}`, Origin: 'https://evil.example' } })],
    ['origin-null', 'Origin: null', async () => ({ headers: { Cookie: `access_token=${await mint()}`, Origin: 'null' } })],
    ['credential-missing', 'no credential', async () => ({})],
    ['credential-missing', 'a placement the policy disables (cookie)', async () => [url.headerOnly, { headers: { Cookie: `access_token=${await mint()}` } }]],
    ['credential-empty', 'Bearer without a value', async () => ({ headers: { Authorization: 'Bearer' } })],
    ['credential-empty', 'empty cookie', async () => ({ headers: { Cookie: 'access_token=' } })],
    ['credential-empty', 'bearer subprotocol without a token', async () => ({ protocols: ['bearer'] })],
    ['credential-empty', 'empty query parameter', async () => [`${url.hs}?access_token=`, {}]],
    ['credential-scheme', 'Basic credentials', async () => ({ headers: { Authorization: 'Basic YWxpY2U6cGFzcw==' } })],
    ['credential-scheme', 'header wins over a valid query token', async () => [`${url.hs}?access_token=${await mint()}`, { headers: { Authorization: 'Token abc' } }]],
    ['token-malformed', 'not a JWT', async () => hs('staging_jwt_token_user_1700000000')],
    ['token-malformed', 'two segments', async () => hs((await mint()).split('.').slice(0, 2).join('.'))],
    ['token-malformed', 'four segments', async () => hs(`${await mint()}.extra`)],
    ['token-malformed', 'bad base64url', async () => hs(`${(await mint()).slice(0, 10)}*${(await mint()).slice(11)}`)],
    ['token-malformed', 'payload not JSON', async () => hs(craft({ alg: 'HS256' }, 'not json', 'c2ln'))],
    ['token-malformed', 'header not UTF-8', async () => hs(`${Buffer.from([0xff, 0xfe, 0x7b]).toString('base64url')}.e30.c2ln`)],
    ['token-malformed', 'crit / b64 extension', async () => hs(craft({ alg: 'HS256', typ: 'at+jwt', b64: false, crit: ['b64'] }, { sub: 'alice' }, 'c2ln'))],
    ['token-malformed', 'duplicate claims', async () => hs(craft({ alg: 'HS256' }, '{"sub":"alice","sub":"admin"}', 'c2ln'))],
    ['token-malformed', 'header precedes a valid cookie', async () => ({ headers: { Authorization: 'Bearer x.y', Cookie: `access_token=${await mint()}` } })],
    ['token-encrypted', 'a JWE', async () => hs(await new CompactEncrypt(new TextEncoder().encode('{}')).setProtectedHeader({ alg: 'dir', enc: 'A256GCM' }).encrypt(new Uint8Array(32)))],
    ['token-oversize', '100 KB token', async () => hs(await mint({ claims: { pad: 'x'.repeat(100_000) } }))],
    ['alg-none', 'alg none', async () => hs(unsigned('none'))],
    ['alg-none', 'alg None', async () => hs(unsigned('None'))],
    ['alg-none', 'alg NONE', async () => hs(unsigned('NONE'))],
    ['alg-none', 'alg nOnE with a signature', async () => hs(craft({ alg: 'nOnE' }, { sub: 'alice' }, 'c2ln'))],
    ['alg-not-allowed', 'HS512', async () => hs(await mint({ alg: 'HS512', secret: 'x'.repeat(64) }))],
    ['alg-not-allowed', 'RS256 on an HMAC policy', async () => hs(await mint({ alg: 'RS256', secret: rsa.privateKey }))],
    ['alg-key-confusion', 'HS256 signed with the RSA public key', async () => [url.asym, hs(await mint({ secret: await exportSPKI(rsa.publicKey), header: { kid: 'rsa-1' } }))]],
    ['key-unknown-kid', 'a kid the secret does not have', async () => hs(await mint({ header: { kid: 'hs-2' } }))],
    ['key-unknown-kid', 'a kid not in the JWKS', async () => [url.asym, hs(await mint({ alg: 'RS256', secret: rsa.privateKey, header: { kid: 'rsa-9' } }))]],
    ['key-attacker-supplied', 'inline jwk', async () => hs(await mint({ header: { jwk: { kty: 'oct', k: 'c2VjcmV0' } } }))],
    ['key-attacker-supplied', 'jku', async () => hs(await mint({ header: { jku: 'https://evil.example/jwks.json' } }))],
    ['key-attacker-supplied', 'x5u', async () => hs(await mint({ header: { x5u: 'https://evil.example/cert.pem' } }))],
    ['key-attacker-supplied', 'x5c', async () => hs(await mint({ header: { x5c: ['MIIB'] } }))],
    ['key-injection', 'kid path traversal', async () => hs(await mint({ header: { kid: '../../dev/null' } }))],
    ['key-injection', 'kid SQL injection', async () => hs(await mint({ header: { kid: "' OR 1=1--" } }))],
    ['key-injection', 'kid shell injection', async () => hs(await mint({ header: { kid: '|sleep 5' } }))],
    ['signature-wrong-key', 'another secret', async () => hs(await mint({ secret: other }))],
    ['signature-wrong-key', 'signature stripped', async () => hs(`${(await mint()).split('.').slice(0, 2).join('.')}.`)],
    ['signature-wrong-key', 'signature truncated', async () => hs((await mint()).slice(0, -4))],
    [
      'signature-wrong-key',
      'payload tampered',
      async () => {
        const [h, , s] = (await mint()).split('.');
        const forged = Buffer.from(JSON.stringify({ iss: ISS, aud: AUD, sub: 'admin', exp: now() + 300 })).toString('base64url');
        return hs(`${h}.${forged}.${s}`);
      },
    ],
    ['signature-wrong-key', 'another RSA key', async () => [url.asym, hs(await mint({ alg: 'RS256', secret: (await generateKeyPair('RS256')).privateKey, header: { kid: 'rsa-1' } }))]],
    ['exp-expired', 'exp past the skew', async () => hs(await mint({ claims: { exp: now() - 60 } }))],
    ['exp-missing', 'no exp', async () => hs(await mint({ claims: { exp: undefined } }))],
    ['exp-malformed', 'exp as a string', async () => hs(await mint({ claims: { exp: String(now() + 300) } }))],
    ['nbf-future', 'nbf beyond the skew', async () => hs(await mint({ claims: { nbf: now() + 60 } }))],
    ['iss-mismatch', 'another issuer', async () => hs(await mint({ claims: { iss: 'https://other.example' } }))],
    ['iss-missing', 'no iss', async () => hs(await mint({ claims: { iss: undefined } }))],
    ['aud-mismatch', 'another audience', async () => hs(await mint({ claims: { aud: 'billing' } }))],
    ['aud-missing', 'no aud', async () => hs(await mint({ claims: { aud: undefined } }))],
    ['typ-mismatch', 'an ID token (typ JWT)', async () => hs(await mint({ header: { typ: 'JWT' } }))],
    ['typ-missing', 'no typ', async () => hs(await mint({ header: { typ: undefined } }))],
    ['nbf-missing', 'no nbf where required', async () => [url.claims, hs(await mint({ claims: { jti: 'j-1' } }))]],
    ['iat-missing', 'no iat where required', async () => [url.claims, hs(await mint({ claims: { nbf: now() - 60, jti: 'j-1', iat: undefined } }))]],
    ['jti-missing', 'no jti where required', async () => [url.claims, hs(await mint({ claims: { nbf: now() - 60 } }))]],
    ['sub-missing', 'no sub', async () => hs(await mint({ claims: { sub: undefined } }))],
    ['user-unknown', 'sub not in the directory', async () => hs(await mint({ claims: { sub: 'mallory' } }))],
    ['user-inactive', 'deactivated user', async () => hs(await mint({ claims: { sub: 'bob' } }))],
    ['user-lacks-role', 'user without the chat role', async () => hs(await mint({ claims: { sub: 'carol' } }))],
  ];

  it.concurrent.each(cases)('%s: %s', async (reason, _label, build) => {
    const built = await build();
    const [target, options] = Array.isArray(built) ? built : [url.hs, built];
    const status = resolvePolicy().outcomes[reason] === 'reject-403' ? 403 : 401;
    expectRefused(await attempt(target, options), status, reason);
  });

  it('covers every handshake reason (stripped and tampered signatures answer signature-wrong-key)', () => {
    const covered = new Set(cases.map(([reason]) => reason));
    const missing = HANDSHAKE_REASONS.filter((r) => !covered.has(r));
    expect(missing).toEqual(['signature-stripped', 'signature-tampered']);
  });

  it('rfc-strict: an unknown user is 401 invalid_token', async () => {
    expectRefused(await attempt(url.strict, hs(await mint({ claims: { sub: 'mallory' } }))), 401, 'user-unknown');
    expectRefused(await attempt(url.strict, hs(await mint({ claims: { sub: 'bob' } }))), 403, 'user-inactive');
  });

  it('a token never appears in a response', async () => {
    const token = await mint({ claims: { sub: 'mallory' } });
    const obs = await attempt(url.hs, hs(token));
    expect(JSON.stringify(obs.headers) + obs.body).not.toContain(token.split('.')[2]);
  });
});

describe('timeout: a stalled user lookup', () => {
  it('never answers and releases the socket at the deadline, while the lookup still hangs', async () => {
    // The lookup never answers and the client would wait 30 s: only the deadline can release it.
    const obs = await attempt(url.hs, { ...hs(await mint({ claims: { sub: 'stalled' } })), handshakeTimeoutMs: 30_000 });
    expect(obs.status).toBeNull();
    expect(obs.error?.message).toMatch(/socket hang up|ECONNRESET/);
    expect(obs.error!.atMs).toBeGreaterThanOrEqual(DEADLINE_MS - 20);
  });

  it('does not hold up other users meanwhile', async () => {
    const [slow, fast] = await Promise.all([
      attempt(url.hs, hs(await mint({ claims: { sub: 'stalled' } }))),
      attempt(url.hs, hs(await mint())),
    ]);
    expect(slow.status).toBeNull();
    expectAccepted(fast);
  });
});

describe('plain HTTP', () => {
  const http = (u: string, path: string) => fetch(u.replace(/^ws/, 'http').replace(/\/ws$/, path));
  it('GET /healthz is 200 after SELECT 1', async () => {
    const res = await http(url.hs, '/healthz');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });
  it('GET /healthz is 503 when the database does not answer', async () => {
    const res = await http(url.broken, '/healthz');
    expect(res.status).toBe(503);
  });
  it('other paths are 404; /ws without upgrade is 426', async () => {
    expect((await http(url.hs, '/nope')).status).toBe(404);
    expect((await http(url.hs, '/ws')).status).toBe(426);
    const obs = await attempt(url.hs.replace(/\/ws$/, '/other'), hs(await mint()));
    expect(obs.status).toBe(404);
  });
});
