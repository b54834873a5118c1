// `ws-auth-conformance init`: probe a running backend, write a draft config + policy.
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { UsageError } from '../../model/errors.ts';
import { resolvePolicy, TOKEN_PLACEHOLDER } from '../../model/policy.ts';
import { integerFlag, parseFlags } from '../../src/cli/flags.ts';
import { fingerprintBytes } from '../keys.ts';
import { learnContract, type InitOptions } from '../init/learn.ts';
import { renderConfig } from '../init/render.ts';
import type { Wiring } from '../init/infer-wiring.ts';
import type { UserKind } from '../capabilities/capabilities.ts';
import type { Command } from './command.ts';

export const DEFAULT_OUT = 'ws-auth-conformance.config.ts';
const USER_KINDS: readonly UserKind[] = ['active', 'inactive', 'lacks-role', 'missing'];

const OPTIONS = {
  url: { type: 'string' },
  'secret-env': { type: 'string' },
  issuer: { type: 'string' },
  audience: { type: 'string' },
  users: { type: 'string' },
  role: { type: 'string' },
  origin: { type: 'string', multiple: true },
  kid: { type: 'string' },
  subprotocol: { type: 'string', multiple: true },
  'first-message': { type: 'string' },
  out: { type: 'string' },
  force: { type: 'boolean' },
  'deadline-ms': { type: 'string' },
  'observe-ms': { type: 'string' },
  quiet: { type: 'boolean' },
} as const;

export const command: Command = {
  summary: 'probe a running backend and write a draft config + policy, each field with its evidence',
  usage: `Usage: ws-auth-conformance init --url ws://HOST:PORT/PATH --secret-env NAME [options]

Probes a running backend with about fifty single-fact variations of a valid token
(forged and sent as "run" does, over real sockets) and writes a DRAFT config file with
the policy inline: placements and wiring, algorithms, kid handling, typ, iss/aud checks,
required claims, clock skew, size limit, users, origins, session expiry and the answers
(statuses, close codes, WWW-Authenticate). Each field is commented with the probes it
was inferred from. A 5xx, a hang, or a check skipped next to one that is made is never
learnt as contract: it is listed at the top as a suspected defect, for the run to report
(docs/init.md). Review the draft, then: ws-auth-conformance run --config FILE.

Options:
  --url URL             the backend's WebSocket endpoint (ws:// or wss://)
  --secret-env NAME     environment variable holding the backend's HS secret (never printed)
  --issuer ISS          the iss the backend expects (default: none named; then a backend
                        that checks iss accepts no token, and init says so)
  --audience AUD        the aud the backend expects (likewise)
  --users K=ID,...      existing users by state: active=ID (the subject of the valid
                        token), inactive=ID, lacks-role=ID, missing=ID (default: a subject
                        nobody has); without active, any subject is tried (stateless)
  --role NAME           the role the backend requires (needed with lacks-role=ID)
  --origin ORIGIN       a browser origin the backend allows (repeatable)
  --kid KID             a kid to put in the token header, when the backend needs one
  --subprotocol NAME    a subprotocol to offer on every request (repeatable)
  --first-message T     the first message, JSON with ${TOKEN_PLACEHOLDER} where the token goes
                        (default: {"type":"auth","token":"${TOKEN_PLACEHOLDER}"}, then the
                        known protocols: graphql-ws connection_init)
  --out FILE            where the draft goes, .ts or .mjs (default ${DEFAULT_OUT})
  --force               overwrite FILE if it exists
  --deadline-ms N       client deadline for each HTTP answer (default 3000)
  --observe-ms N        how long an accepted socket is watched (default 400)
  --quiet               no progress lines

Exit status: 0 draft written, 2 bad option, unreachable backend, or no placement
accepting the valid token (the message lists what each answered).
`,
  async run(argv) {
    const { values } = parseFlags(argv, OPTIONS, 'init');
    if (!values.url) throw new UsageError('init needs --url ws://HOST:PORT/PATH (the backend\'s WebSocket endpoint)');
    if (!/^wss?:\/\//.test(values.url)) throw new UsageError(`--url must start with ws:// or wss://, got "${values.url}"`);
    const secretEnv = values['secret-env'];
    if (!secretEnv) throw new UsageError('init needs --secret-env NAME, the environment variable holding the backend\'s HS secret');
    const secret = process.env[secretEnv];
    if (!secret) throw new UsageError(`environment variable ${secretEnv} is not set or empty; export ${secretEnv}=<the backend's HS secret>`);
    const users = parseUsers(values.users);
    if (users['lacks-role'] && !values.role) throw new UsageError('--users lacks-role=ID needs --role NAME (the role that user lacks)');
    const out = resolve(values.out ?? DEFAULT_OUT);
    if (existsSync(out) && !values.force) throw new UsageError(`${out} exists; give --out FILE or --force to overwrite it`);
    const wiring = wiringFrom(values.subprotocol, values['first-message']);
    const quiet = values.quiet ?? false;
    const log = (line: string) => !quiet && process.stderr.write(`${line}\n`);
    const secretBytes = new TextEncoder().encode(secret);
    log(`init: probing ${values.url} (secret from ${secretEnv}, sha256 ${fingerprintBytes(secretBytes, 12)})`);
    const options: InitOptions = {
      url: values.url,
      secret: secretBytes,
      ...(values.kid ? { kid: values.kid } : {}),
      ...(values.issuer ? { issuer: values.issuer } : {}),
      ...(values.audience ? { audience: values.audience } : {}),
      users,
      role: values.role ?? null,
      origins: values.origin ?? [],
      wiring,
      deadlineMs: integerFlag(values['deadline-ms'], 'deadline-ms', 3000, 1),
      observeMs: integerFlag(values['observe-ms'], 'observe-ms', 400, 1),
    };
    let n = 0;
    options.onProbe = (o) => log(`  ${String(++n).padStart(3)} ${o.name.padEnd(26)} ${o.text}`);
    const { draft, probes } = await learnContract(options);
    // The draft must load as it is written: a policy the loader refuses is a bug here.
    resolvePolicy(JSON.parse(JSON.stringify(draft.policy)));
    const text = renderConfig({ draft, url: values.url, secretEnv, ...(values.kid ? { kid: values.kid } : {}), users, probes, at: new Date().toISOString() });
    await writeFile(out, text);
    log(`\nwrote ${out}: ${probes} probes, ${draft.suspected.length} suspected defect(s) listed at its top.`);
    for (const s of draft.suspected) log(`  suspected: ${s}`);
    log(`Review every field (each says what it was inferred from), then:\n  npx ws-auth-conformance run --config ${values.out ?? DEFAULT_OUT}`);
    return 0;
  },
};

function parseUsers(spec: string | undefined): Partial<Record<UserKind, string>> {
  const users: Partial<Record<UserKind, string>> = {};
  for (const pair of (spec ?? '').split(',').filter(Boolean)) {
    const [kind, id] = pair.split('=', 2) as [string, string | undefined];
    if (!(USER_KINDS as readonly string[]).includes(kind) || !id) throw new UsageError(`--users takes STATE=ID pairs (states ${USER_KINDS.join(', ')}), got "${pair}"`);
    users[kind as UserKind] = id;
  }
  return users;
}

function wiringFrom(subprotocols: string[] | undefined, template: string | undefined): Wiring | null {
  if (!subprotocols?.length && template === undefined) return null;
  const wiring = { label: 'the wiring of --subprotocol / --first-message', requiredSubprotocols: subprotocols ?? [], template: template ?? null };
  // The policy's own checks name what is wrong with a subprotocol or a template.
  resolvePolicy({ credentials: { requiredSubprotocols: wiring.requiredSubprotocols, ...(template !== undefined ? { firstMessage: { template } } : {}) } });
  return wiring;
}
