// The reference backend with a JWKS from a URL (jose createRemoteJWKSet): a key added
// to the set is accepted on its first unknown kid once the cooldown is over, a kid
// never published stays refused, a removed key is refused once the cache time is over.
// Real sockets, a real HTTP JWKS endpoint; the policy's jwks contract sets the timers.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, type JWK } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolvePolicy } from '../../model/policy.ts';
import type { SqlDirectory } from '../directory/directory.ts';
import { openPgliteDirectory } from '../directory/pglite.ts';
import { userSeeder } from '../directory/seed.ts';
import { startReferenceBackend, type ReferenceBackend } from '../server.ts';
import { attempt, bearer, errorOf, mint, sleep } from '../testing/harness.ts';

const COOLDOWN_MS = 300;
const MAX_AGE_MS = 1200;
const policy = resolvePolicy({ algorithms: ['ES256'], kid: 'jwks', jwks: { cooldownMs: COOLDOWN_MS, maxAgeMs: MAX_AGE_MS } });

let directory: SqlDirectory;
let backend: ReferenceBackend;
let jwksServer: Server;
let published: JWK[] = [];
let fetches = 0;
let jwksUrl: string;
const keys: Record<string, CryptoKey> = {};

async function newKey(kid: string): Promise<JWK> {
  const pair = await generateKeyPair('ES256', { extractable: true });
  keys[kid] = pair.privateKey;
  return { ...(await exportJWK(pair.publicKey)), kid, alg: 'ES256', use: 'sig' };
}

const signedBy = async (kid: string, signer = kid) => attempt(backend.url, { headers: bearer(await mint({ alg: 'ES256', header: { kid }, secret: keys[signer]! as never })) });

beforeAll(async () => {
  directory = await openPgliteDirectory();
  await userSeeder(directory.sql).insert([{ user_id: 'alice', roles: ['chat'] }]);
  published = [await newKey('k1')];
  jwksServer = createServer((_req, res) => {
    fetches += 1;
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: published }));
  });
  await new Promise<void>((r) => jwksServer.listen(0, '127.0.0.1', r));
  jwksUrl = `http://127.0.0.1:${(jwksServer.address() as AddressInfo).port}/.well-known/jwks.json`;
  backend = await startReferenceBackend({ policy, keys: { jwksUrl }, directory });
});

afterAll(async () => {
  await backend?.close();
  await new Promise((r) => jwksServer?.close(r));
  await directory?.close();
});

describe('a JWKS from a URL', () => {
  it('accepts a rotated-in key after the cooldown, refuses a never-published kid, and a removed key after the cache time', async () => {
    expect((await signedBy('k1')).status).toBe(101);
    const afterFirst = fetches;
    expect(afterFirst).toBe(1);

    published = [...published, await newKey('k2')];
    await sleep(COOLDOWN_MS + 200);
    expect((await signedBy('k2')).status).toBe(101);
    expect(fetches).toBe(afterFirst + 1);
    expect((await signedBy('k1')).status).toBe(101);

    await newKey('never-published');
    const unknown = await signedBy('never-published');
    expect({ status: unknown.status, error: errorOf(unknown) }).toEqual({ status: 401, error: 'key-unknown-kid' });

    published = published.filter((k) => k.kid !== 'k2');
    await sleep(MAX_AGE_MS + 200);
    const removed = await signedBy('k2');
    expect({ status: removed.status, error: errorOf(removed) }).toEqual({ status: 401, error: 'key-unknown-kid' });
  });

  it('refuses a new kid seen within the cooldown of the last fetch (no fetch storm)', async () => {
    // A cooldown far longer than this test: the second token comes well within it.
    const slow = await startReferenceBackend({ policy: resolvePolicy({ ...policy, jwks: { cooldownMs: 60_000, maxAgeMs: 600_000 } }), keys: { jwksUrl }, directory });
    try {
      const before = fetches;
      expect((await attempt(slow.url, { headers: bearer(await mint({ alg: 'ES256', header: { kid: 'k1' }, secret: keys.k1! as never })) })).status).toBe(101);
      published = [...published, await newKey('k3')];
      const tooSoon = await attempt(slow.url, { headers: bearer(await mint({ alg: 'ES256', header: { kid: 'k3' }, secret: keys.k3! as never })) });
      expect(errorOf(tooSoon)).toBe('key-unknown-kid');
      expect(fetches).toBe(before + 1);
    } finally {
      await slow.close();
    }
  });
});

describe('JWKS URL start-up checks', () => {
  it.each([
    ['not a url', /is not a URL/],
    ['file:///etc/jwks.json', /must be http\(s\)/],
  ])('refuses %s', async (jwksUrl, message) => {
    await expect(startReferenceBackend({ policy, keys: { jwksUrl }, directory })).rejects.toThrow(message);
  });

  it('refuses a JWKS URL when the policy does not look kids up in a JWKS', async () => {
    await expect(startReferenceBackend({ policy: resolvePolicy({ algorithms: ['ES256'] }), keys: { jwksUrl: 'http://127.0.0.1:1/jwks.json' }, directory })).rejects.toThrow(/set it to "jwks"/);
  });
});
