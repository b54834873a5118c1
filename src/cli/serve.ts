// `ws-auth-conformance serve`: the reference backend (or one of its mutants) as a
// process. Prints one JSON line {"event":"ready","url":...} on stdout when it accepts
// connections; logs go to stderr; SIGINT/SIGTERM close sockets (1001) and the database.
// A thin adapter: flags in (./flags.ts, as every command), src/backend-process.ts runs it.
// It shares no type with the conformance CLI: the command registry (conformance/cli/main.ts)
// takes any { summary, usage, run(argv) }.
import type { JSONWebKeySet } from 'jose';
import { ServeError } from '../../model/errors.ts';
import { ALGORITHMS, resolvePolicy, type Algorithm, type PolicyInput } from '../../model/policy.ts';
import { startBackendProcess, type BackendProcessOptions } from '../backend-process.ts';
import { normaliseSeed, type UserSeed } from '../directory/seed.ts';
import type { KeySource } from '../handshake/keys.ts';
import { createLogger, isLogLevel, LOG_LEVELS } from '../log.ts';
import { isMutantId, MUTANT_IDS, type MutantId } from '../mutants/index.ts';
import { parseFlags, readJsonFile } from './flags.ts';

/**
 * What `serve` runs when no --policy says otherwise: the `default` profile, with
 * first-message auth off (stated here whatever the profile says), so that a request
 * without a credential is a 401 rather than an accepted socket waiting for an auth message.
 */
export const SERVE_DEFAULT_POLICY: PolicyInput = { placements: { 'first-message': false } };

const USAGE = `Usage: ws-auth-conformance serve [options]

Runs the reference backend: WebSocket endpoint /ws, health check GET /healthz.
Prints {"event":"ready","url":"ws://HOST:PORT/ws"} on stdout when listening.

Keys (one of):
  --secret-env NAME     HS256 secret from environment variable NAME
  --kid KID             with --secret-env: the one kid a token may name
  --jwks FILE           public JWKS (RS256, ES256, EdDSA); algorithms follow the keys
                        unless the policy lists them
  --jwks-url URL        a JWKS fetched from URL, as jose's createRemoteJWKSet does:
                        refetched on an unknown kid (policy.jwks.cooldownMs apart),
                        used at most policy.jwks.maxAgeMs; the policy lists the
                        algorithms, its kid is "jwks"
Contract:
  --policy FILE         JSON policy (fields of model/policy.ts; outcomes as overrides).
                        Default: the "default" profile with first-message auth off
                        (typ "at+jwt", role "chat", header/subprotocol/cookie placements)
  --issuer ISS          expected iss (overrides the policy)
  --audience AUD        expected aud (overrides the policy)
  --clock-skew SECONDS  clock skew (overrides the policy)
Users:
  --users FILE          JSON array of user rows to seed:
                        [{"user_id":"u1","is_active":true,"roles":["chat"]}]
  --db URL              PostgreSQL connection string (default: in-process PGlite)
Server:
  --port N              default 8080; 0 picks a free port
  --host HOST           default 127.0.0.1
  --mutant ID           run a field-failure mutant: ${MUTANT_IDS.join(', ')}
  --log-level LEVEL     ${LOG_LEVELS.join(', ')} (default info; logs go to stderr)
`;


const OPTIONS = {
  port: { type: 'string' },
  host: { type: 'string' },
  'secret-env': { type: 'string' },
  kid: { type: 'string' },
  jwks: { type: 'string' },
  'jwks-url': { type: 'string' },
  policy: { type: 'string' },
  issuer: { type: 'string' },
  audience: { type: 'string' },
  'clock-skew': { type: 'string' },
  users: { type: 'string' },
  db: { type: 'string' },
  mutant: { type: 'string' },
  'log-level': { type: 'string' },
} as const;

export const command = {
  summary: 'run the reference backend (or a mutant) on a port',
  usage: USAGE,
  async run(argv: string[]): Promise<number> {
    const { logLevel, ...config } = await readConfig(argv);
    const logger = createLogger({ level: logLevel });
    const backend = await startBackendProcess({ ...config, logger });
    process.stdout.write(`${JSON.stringify({ event: 'ready', url: backend.url })}\n`);
    const signal = await untilSignal();
    logger.info('stopping', { signal });
    await backend.close();
    return 0;
  },
};

function untilSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const on = (signal: NodeJS.Signals) => {
      process.off('SIGINT', on);
      process.off('SIGTERM', on);
      resolve(signal);
    };
    process.on('SIGINT', on);
    process.on('SIGTERM', on);
  });
}

interface ServeConfig extends Omit<BackendProcessOptions, 'logger'> {
  logLevel: (typeof LOG_LEVELS)[number];
}

/** Everything is checked before the database opens, so bad input fails fast (exit 2). */
export async function readConfig(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<ServeConfig> {
  const { values } = parseFlags(argv, OPTIONS, 'serve');
  const port = values.port === undefined ? 8080 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ServeError(`--port must be 0..65535, got "${values.port}"`);
  const logLevel = values['log-level'] ?? 'info';
  if (!isLogLevel(logLevel)) throw new ServeError(`--log-level must be one of ${LOG_LEVELS.join(', ')}, got "${logLevel}"`);
  let mutant: MutantId | null = null;
  if (values.mutant !== undefined) {
    if (!isMutantId(values.mutant)) throw new ServeError(`unknown --mutant "${values.mutant}"; ids: ${MUTANT_IDS.join(', ')}`);
    mutant = values.mutant;
  }

  const input: PolicyInput = values.policy ? ((await readJsonFile(values.policy, '--policy')) as PolicyInput) : {};
  if (typeof input !== 'object' || input === null || Array.isArray(input)) throw new ServeError(`--policy ${values.policy}: expected a JSON object`);
  if (!values.policy) Object.assign(input, SERVE_DEFAULT_POLICY);
  if (values.issuer !== undefined) input.issuer = values.issuer;
  if (values.audience !== undefined) input.audience = values.audience;
  if (values['clock-skew'] !== undefined) {
    const skew = Number(values['clock-skew']);
    if (values['clock-skew'].trim() === '' || !Number.isFinite(skew) || skew < 0) {
      throw new ServeError(`--clock-skew must be a non-negative number of seconds, got "${values['clock-skew']}"`);
    }
    input.clockSkewSeconds = skew;
  }

  let keys: KeySource;
  const keyFlags = [values['secret-env'], values.jwks, values['jwks-url']].filter((v) => v !== undefined).length;
  if (keyFlags !== 1) throw new ServeError('give exactly one of --secret-env NAME (HS256), --jwks-url URL or --jwks FILE (RS256/ES256/EdDSA)');
  if (values['secret-env'] !== undefined) {
    const name = values['secret-env'];
    const secret = env[name];
    if (secret === undefined || secret === '') throw new ServeError(`--secret-env ${name}: environment variable ${name} is not set (or empty)`);
    keys = values.kid === undefined ? { secret } : { secret, kid: values.kid };
  } else if (values['jwks-url'] !== undefined) {
    if (values.kid !== undefined) throw new ServeError('--kid goes with --secret-env; a JWKS names its own kids');
    if (!Array.isArray(input.algorithms)) throw new ServeError('--jwks-url: the policy must list its algorithms (RS256, ES256, EdDSA, ...): the JWKS is fetched later');
    input.kid ??= 'jwks';
    keys = { jwksUrl: values['jwks-url'] };
  } else {
    if (values.kid !== undefined) throw new ServeError('--kid goes with --secret-env; a JWKS names its own kids');
    const jwks = (await readJsonFile(values.jwks!, '--jwks')) as JSONWebKeySet;
    if (!jwks || !Array.isArray(jwks.keys) || jwks.keys.length === 0) throw new ServeError(`--jwks ${values.jwks}: expected {"keys":[...]} with at least one key`);
    keys = { jwks };
    input.algorithms ??= algorithmsOf(jwks);
  }
  const policy = resolvePolicy(input);

  const users: UserSeed[] = [];
  if (values.users !== undefined) {
    const rows = await readJsonFile(values.users, '--users');
    if (!Array.isArray(rows)) throw new ServeError(`--users ${values.users}: expected a JSON array of user rows`);
    rows.forEach((row, i) => normaliseSeed(row, `--users ${values.users}[${i}]`));
    users.push(...(rows as UserSeed[]));
  }
  return { policy, keys, users, db: values.db, mutant, port, host: values.host ?? '127.0.0.1', logLevel };
}

/** The algorithms a JWKS can verify, for a policy file that does not list them. */
function algorithmsOf(jwks: JSONWebKeySet): Algorithm[] {
  const algs = new Set<Algorithm>();
  for (const key of jwks.keys) {
    if (typeof key.alg === 'string' && (ALGORITHMS as readonly string[]).includes(key.alg)) algs.add(key.alg as Algorithm);
    else if (key.kty === 'RSA') algs.add('RS256');
    else if (key.kty === 'EC' && key.crv === 'P-256') algs.add('ES256');
    else if (key.kty === 'OKP' && key.crv === 'Ed25519') algs.add('EdDSA');
  }
  if (algs.size === 0) throw new ServeError('--jwks: no key for RS256, ES256 or EdDSA');
  return [...algs].filter((a) => a !== 'HS256');
}
