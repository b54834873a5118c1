// `target.keys.jwks` of a url target: the tool publishes the JWKS the backend reads,
// served over HTTP (`{ serve: { port, host } }`, at /.well-known/jwks.json) or written
// to a file (`{ file }`). Without keys.jwkFile the tool makes a fresh key each run,
// with a kid of its own, so no private key file is needed at all.
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { ConfigError } from '../../model/errors.ts';
import type { Algorithm, Policy } from '../../model/policy.ts';
import { generateKeys, type SigningKeys } from '../keys.ts';
import { serveJwks, writeJwksFile, type JwksPublisher } from '../targets/jwks-publisher.ts';

export type JwksConfig = { serve: { port?: number; host?: string } } | { file: string };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const EXAMPLE = '{ serve: { port: 8765 } } or { file: "jwks.json" }';

/** A fresh key, kid `wsac-<random>`: a backend that cached an earlier run's key meets a new kid, not a changed key. */
export function freshJwksKey(alg: Algorithm): Promise<SigningKeys> {
  return generateKeys(alg, `wsac-${randomBytes(4).toString('hex')}`);
}

export async function publishJwks(spec: unknown, keys: SigningKeys, policy: Policy, baseDir: string): Promise<JwksPublisher> {
  if (policy.kid !== 'jwks') throw new ConfigError('target.keys.jwks', `given, but policy.kid is "${policy.kid}"`, 'set policy.kid to "jwks" (the backend looks kids up in the JWKS)');
  if (keys.verification.kind !== 'jwks') throw new ConfigError('target.keys.jwks', 'a JWKS holds public keys, not an HMAC secret', 'drop keys.secretEnv; give keys.jwkFile or let the tool make the key');
  const publicKeys = keys.verification.keys;
  if (isObject(spec) && 'file' in spec && Object.keys(spec).length === 1 && typeof spec.file === 'string' && spec.file !== '') {
    return writeJwksFile(publicKeys, resolve(baseDir, spec.file));
  }
  if (isObject(spec) && 'serve' in spec && Object.keys(spec).length === 1 && isObject(spec.serve)) {
    const { port, host, ...rest } = spec.serve;
    if (Object.keys(rest).length) throw new ConfigError(`target.keys.jwks.serve.${Object.keys(rest)[0]}`, 'unknown field', 'use port and host');
    if (port !== undefined && (!Number.isInteger(port) || (port as number) < 0 || (port as number) > 65535)) throw new ConfigError('target.keys.jwks.serve.port', `must be 0..65535, got ${JSON.stringify(port)}`, 'the port your backend fetches the JWKS from');
    if (host !== undefined && (typeof host !== 'string' || host === '')) throw new ConfigError('target.keys.jwks.serve.host', 'must be a host name or address', 'e.g. "127.0.0.1", or "0.0.0.0" for a backend in a container');
    return serveJwks(publicKeys, { ...(port !== undefined ? { port: port as number } : {}), ...(host !== undefined ? { host: host as string } : {}) });
  }
  throw new ConfigError('target.keys.jwks', `must be ${EXAMPLE}`, `e.g. jwks: ${EXAMPLE}`);
}
