// The JWKS the tool publishes for a url target: served over real HTTP or written to a
// file, public keys only, changed by the rotation steps; and the config that asks for it.
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolvePolicy } from '../../model/policy.ts';
import { generateKeys, keysFromSecret } from '../keys.ts';
import { serveJwks, writeJwksFile } from '../targets/jwks-publisher.ts';
import { freshJwksKey, publishJwks } from './jwks-config.ts';

const jwksPolicy = resolvePolicy({ algorithms: ['ES256'], kid: 'jwks' });

describe('JWKS publisher', () => {
  it('serves the current set at /.well-known/jwks.json, counts fetches, 404 elsewhere', async () => {
    const [a, b] = [await generateKeys('ES256', 'a'), await generateKeys('ES256', 'b')];
    const keysOf = (k: typeof a) => (k.verification.kind === 'jwks' ? k.verification.keys : []);
    const jwks = await serveJwks(keysOf(a));
    try {
      expect(jwks.location).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\.well-known\/jwks\.json$/);
      expect(jwks.lastFetchMs()).toBeNull();
      const first = (await (await fetch(jwks.location)).json()) as { keys: Array<{ kid: string; d?: string }> };
      expect(first.keys.map((k) => k.kid)).toEqual(['a']);
      expect(first.keys[0]!.d).toBeUndefined();
      await jwks.publish([...keysOf(a), ...keysOf(b)]);
      const second = (await (await fetch(jwks.location)).json()) as { keys: Array<{ kid: string }> };
      expect(second.keys.map((k) => k.kid)).toEqual(['a', 'b']);
      expect(jwks.fetches()).toBe(2);
      expect(jwks.lastFetchMs()).not.toBeNull();
      expect((await fetch(jwks.location.replace('jwks.json', 'other.json'))).status).toBe(404);
      await expect(jwks.publish([{ kty: 'EC', crv: 'P-256', x: 'x', y: 'y', d: 'secret' }])).rejects.toThrow(/private or symmetric member/);
    } finally {
      await jwks.close();
    }
  });

  it('writes a file, replaces it on each change, and puts the first set back on close', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'wsac-jwks-'));
    const file = join(dir, 'jwks.json');
    const [a, b] = [await generateKeys('EdDSA', 'a'), await generateKeys('EdDSA', 'b')];
    const keysOf = (k: typeof a) => (k.verification.kind === 'jwks' ? k.verification.keys : []);
    const kids = async () => ((JSON.parse(await readFile(file, 'utf8')) as { keys: Array<{ kid: string }> }).keys.map((k) => k.kid));
    const jwks = await writeJwksFile(keysOf(a), file);
    expect(await kids()).toEqual(['a']);
    await jwks.publish(keysOf(b));
    expect(await kids()).toEqual(['b']);
    expect(jwks.lastFetchMs()).toBeNull();
    await jwks.close();
    expect(await kids()).toEqual(['a']);
  });
});

describe('target.keys.jwks', () => {
  it('makes a fresh key with a kid of its own per run', async () => {
    const [a, b] = [await freshJwksKey('ES256'), await freshJwksKey('ES256')];
    expect(a.kid).toMatch(/^wsac-[0-9a-f]{8}$/);
    expect(a.kid).not.toBe(b.kid);
  });

  it.each([
    [{ serve: {} }, resolvePolicy({ algorithms: ['ES256'] }), /target\.keys\.jwks: given, but policy\.kid is "required-matched"/],
    [{ serve: { port: 'eighty' } }, jwksPolicy, /target\.keys\.jwks\.serve\.port: must be 0\.\.65535/],
    [{ serve: { path: '/keys' } }, jwksPolicy, /target\.keys\.jwks\.serve\.path: unknown field/],
    [{ url: 'http://x' }, jwksPolicy, /target\.keys\.jwks: must be \{ serve: \{ port: 8765 \} \} or \{ file: "jwks\.json" \}/],
  ])('refuses %j with a message naming the field', async (spec, policy, message) => {
    await expect(publishJwks(spec, await freshJwksKey('ES256'), policy, tmpdir())).rejects.toThrow(message);
  });

  it('refuses an HMAC secret (a JWKS holds public keys)', async () => {
    await expect(publishJwks({ serve: {} }, keysFromSecret(new Uint8Array(32)), jwksPolicy, tmpdir())).rejects.toThrow(/a JWKS holds public keys/);
  });
});
