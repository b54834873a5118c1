// From a url target's config to the options of startUrlTarget: keys from an env
// variable or a JWK file (never from the file itself), users from PostgreSQL, a user
// hook (command or HTTP; header secrets from env variables) or fixed.
import { resolve } from 'node:path';
import { ConfigError } from '../../model/errors.ts';
import { keysFromJwkFile, keysFromSecret } from '../keys.ts';
import { freshJwksKey, publishJwks } from './jwks-config.ts';
import type { UrlTargetOptions, UserSource } from '../targets/url.ts';
import type { ResolvedConfig, UrlTargetConfig } from './schema.ts';

export async function resolveUrlTarget(config: ResolvedConfig): Promise<UrlTargetOptions> {
  const t = config.target as UrlTargetConfig;
  const policy = config.policy;
  const alg = policy.algorithms[0]!;
  let keys;
  if (t.keys?.secretEnv) {
    const secret = process.env[t.keys.secretEnv];
    if (!secret) throw new ConfigError('target.keys.secretEnv', `environment variable ${t.keys.secretEnv} is not set or empty`, `export ${t.keys.secretEnv}=<the target's HS secret>`);
    keys = keysFromSecret(new TextEncoder().encode(secret), alg, t.keys.kid);
  } else if (t.keys?.jwkFile) {
    keys = await keysFromJwkFile(resolve(config.baseDir, t.keys.jwkFile), alg);
    if (t.keys.kid) keys.kid = t.keys.kid;
  } else if (t.keys?.jwks !== undefined) {
    keys = await freshJwksKey(alg);
  } else {
    throw new ConfigError('target.keys', 'no signing key', 'set keys.secretEnv (HS256 secret in an env variable), keys.jwkFile (private JWK) or keys.jwks (the tool makes a key and publishes its JWKS)');
  }
  let users: UserSource;
  const u = t.users;
  if (policy.users === 'stateless') {
    if (u !== undefined) throw new ConfigError('target.users', 'given, but the policy says users: "stateless"', 'drop target.users, or set policy.users to "directory"');
    users = { kind: 'stateless' };
  } else if (u === undefined) {
    throw new ConfigError('target.users', 'missing', 'give { connectionString } (PostgreSQL), { command: [...] } or { http: "URL" } (a user hook), or { fixed: { active: "id", ... } }, or set policy.users to "stateless"');
  } else if ('command' in u) {
    users = { kind: 'command', command: u.command, cwd: config.baseDir, ...(u.timeoutMs ? { timeoutMs: u.timeoutMs } : {}) };
  } else if ('http' in u) {
    users = { kind: 'http', url: u.http, headers: { ...u.headers, ...headersFromEnv(u.headersEnv ?? {}) }, ...(u.timeoutMs ? { timeoutMs: u.timeoutMs } : {}) };
  } else if ('fixed' in u) {
    users = { kind: 'fixed', users: u.fixed };
  } else {
    const connectionString = u.connectionString ?? (u.connectionStringEnv ? process.env[u.connectionStringEnv] : undefined);
    if (!connectionString) {
      throw new ConfigError('target.users.connectionString', 'missing', 'give a PostgreSQL connection string (or connectionStringEnv), or name fixed users with { fixed: {...} }');
    }
    users = { kind: 'postgres', connectionString, insertSql: u.insertSql, deactivateSql: u.deactivateSql, deleteSql: u.deleteSql, removeRoleSql: u.removeRoleSql, stallSql: u.stallSql };
  }
  // Last, once nothing else can fail: startUrlTarget owns (and closes) the publisher from here.
  const jwks = t.keys.jwks === undefined ? null : await publishJwks(t.keys.jwks, keys, policy, config.baseDir);
  return { url: t.url, policy, keys, users, ...(t.healthUrl !== undefined ? { healthUrl: t.healthUrl } : {}), ...(jwks ? { jwks } : {}) };
}

/** Header values from environment variables: a missing one is an error, its value never shown. */
function headersFromEnv(names: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [header, env] of Object.entries(names)) {
    const value = process.env[env];
    if (!value) throw new ConfigError(`target.users.headersEnv.${header}`, `environment variable ${env} is not set or empty`, `export ${env}=<the value of the ${header} header>`);
    out[header] = value;
  }
  return out;
}
