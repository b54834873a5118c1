// Each mutant against the reference, on the case that makes it a mutant: the same
// request, a different answer on the wire.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolvePolicy } from '../../model/policy.ts';
import type { SqlDirectory } from '../directory/directory.ts';
import { openPgliteDirectory } from '../directory/pglite.ts';
import { userSeeder } from '../directory/seed.ts';
import { createLogger } from '../log.ts';
import { startReferenceBackend, type ReferenceBackend } from '../server.ts';
import { attempt, bearer, craft, errorOf, mint, SECRET, stallingDirectory, whenOpen, type Observation } from '../testing/harness.ts';
import { EDGE_DIFFERENCES, KID } from './edge-mutants.test-support.ts';
import { MUTANT_DESCRIPTIONS, MUTANT_IDS, type MutantId } from './index.ts';

const DEADLINE_MS = 300;
const policy = resolvePolicy({ placements: { 'first-message': false }, clockSkewSeconds: 0, handshakeDeadlineMs: DEADLINE_MS });
let directory: SqlDirectory;
let stalling: ReturnType<typeof stallingDirectory>;
const backends: ReferenceBackend[] = [];
let reference: ReferenceBackend;

const start = async (mutant: MutantId | null) => {
  const backend = await startReferenceBackend({ policy, keys: { secret: SECRET, kid: KID }, directory: stalling, mutant });
  backends.push(backend);
  return backend;
};

beforeAll(async () => {
  for (const name of ['JWT_SECRET_KEY', 'AUTH_JWT_SECRET', 'APP_SECRET_KEY']) delete process.env[name];
  directory = await openPgliteDirectory();
  await userSeeder(directory.sql).insert([
    { user_id: 'alice', roles: ['chat'] },
    { user_id: 'bob', is_active: false, roles: ['chat'] },
    { user_id: 'stalled', roles: ['chat'] },
  ]);
  stalling = stallingDirectory(directory, new Set(['stalled']));
  reference = await start(null);
});

afterAll(async () => {
  stalling?.release();
  await Promise.all(backends.map((b) => b.close()));
  await directory?.close();
});

const now = () => Math.floor(Date.now() / 1000);
const OTHER_SECRET = 'a-secret-the-backend-does-not-have-0123456789';
const forgedUnsigned = () =>
  craft({ alg: 'none', typ: 'at+jwt' }, { iss: policy.issuer, aud: policy.audience, sub: 'alice', exp: now() + 300 });

const accepted = (obs: Observation) => expect(obs.close ?? obs, obs.body).toMatchObject({ code: 1000, reason: 'client-done' });
const refused = (status: number, reason: string) => (obs: Observation) => expect({ status: obs.status, error: errorOf(obs) }).toEqual({ status, error: reason });
// Released by the server (the client's own time-out reads "handshake has timed out").
const released = (obs: Observation) => {
  expect(obs.status).toBeNull();
  expect(obs.error?.message).toMatch(/socket hang up|ECONNRESET/);
};
// How long a client waits for a stalled handshake: many deadlines, so that on a busy
// machine the reference's release still comes first and no-deadline's silence shows.
const PATIENCE_MS = 5000;

interface Difference {
  request: string;
  probe: (url: string) => Promise<Observation>;
  reference: (obs: Observation) => void;
  mutant: (obs: Observation) => void;
}

/** Mutants that answer like the reference and differ only in their decision log. */
const LOG_ONLY = ['log-says-expired', 'log-blames-user'] as const;
type WireMutant = Exclude<MutantId, (typeof LOG_ONLY)[number]>;
const WIRE_IDS = MUTANT_IDS.filter((id): id is WireMutant => !(LOG_ONLY as readonly string[]).includes(id));

const DIFFERENCES: Record<WireMutant, Difference> = {
  ...EDGE_DIFFERENCES,
  'secret-mismatch': {
    request: 'a valid token',
    probe: async (url) => attempt(url, { headers: bearer(await mint()) }),
    reference: accepted,
    mutant: refused(401, 'signature-wrong-key'),
  },
  'sig-403': {
    request: 'a token signed with another secret',
    probe: async (url) => attempt(url, { headers: bearer(await mint({ secret: OTHER_SECRET })) }),
    reference: refused(401, 'signature-wrong-key'),
    mutant: refused(403, 'signature-wrong-key'),
  },
  'missing-user-accept': {
    request: 'a valid token of a user not in the directory',
    probe: async (url) => attempt(url, { headers: bearer(await mint({ claims: { sub: 'mallory' } })) }),
    reference: refused(403, 'user-unknown'),
    mutant: accepted,
  },
  'accept-then-1008': {
    request: 'a token signed with another secret',
    probe: async (url) => attempt(url, { headers: bearer(await mint({ secret: OTHER_SECRET })), observeMs: 1000 }),
    reference: refused(401, 'signature-wrong-key'),
    mutant: (obs) => {
      expect(obs.status).toBe(101);
      expect(obs.close).toMatchObject({ code: 1008, reason: 'signature-wrong-key' });
    },
  },
  'header-bypass': {
    request: 'a forged unsigned token plus X-E2E-Test: true',
    probe: async (url) => attempt(url, { headers: { ...bearer(forgedUnsigned()), 'X-E2E-Test': 'true' } }),
    reference: refused(401, 'alg-none'),
    mutant: accepted,
  },
  'slow-auth-fail-open': {
    request: 'a valid token of a user whose lookup stalls',
    probe: async (url) => attempt(url, { headers: bearer(await mint({ claims: { sub: 'stalled' } })), handshakeTimeoutMs: PATIENCE_MS }),
    reference: released,
    mutant: accepted,
  },
  'no-deadline': {
    request: 'a valid token of a user whose lookup stalls',
    probe: async (url) => attempt(url, { headers: bearer(await mint({ claims: { sub: 'stalled' } })), handshakeTimeoutMs: PATIENCE_MS }),
    reference: released,
    mutant: (obs) => {
      expect(obs.status).toBeNull();
      expect(obs.error?.message).toMatch(/handshake has timed out/);
      expect(obs.error!.atMs).toBeGreaterThanOrEqual(PATIENCE_MS - 50);
    },
  },
  'fake-token-403': {
    request: 'staging_jwt_token_user_1700000000',
    probe: (url) => attempt(url, { headers: bearer('staging_jwt_token_user_1700000000') }),
    reference: refused(401, 'token-malformed'),
    mutant: refused(403, 'user-unknown'),
  },
  'alg-none': {
    request: 'an unsigned token (alg: none)',
    probe: (url) => attempt(url, { headers: bearer(forgedUnsigned()) }),
    reference: refused(401, 'alg-none'),
    mutant: accepted,
  },
  'no-exp': {
    request: 'a token that expired a minute ago',
    probe: async (url) => attempt(url, { headers: bearer(await mint({ claims: { exp: now() - 60 } })) }),
    reference: refused(401, 'exp-expired'),
    mutant: accepted,
  },
  'no-iss-aud': {
    request: 'a token for another service (other iss and aud)',
    probe: async (url) => attempt(url, { headers: bearer(await mint({ claims: { iss: 'https://other.example', aud: 'billing' } })) }),
    reference: refused(401, 'iss-mismatch'),
    mutant: accepted,
  },
  'inactive-accept': {
    request: 'a valid token of a deactivated user',
    probe: async (url) => attempt(url, { headers: bearer(await mint({ claims: { sub: 'bob' } })) }),
    reference: refused(403, 'user-inactive'),
    mutant: accepted,
  },
  'no-session-expiry': {
    request: 'a token expiring about a second after connect',
    probe: async (url) => attempt(url, { headers: bearer(await mint({ claims: { exp: now() + 2 } })), observeMs: 3200 }),
    reference: (obs) => expect(obs.close).toMatchObject({ code: 1008, reason: 'session-token-expired' }),
    mutant: accepted,
  },
  'no-origin-check': {
    request: 'a cookie credential from a foreign Origin',
    probe: async (url) => attempt(url, { headers: { Cookie: `access_token=${await mint()}`, Origin: 'https://evil.example' } }),
    reference: refused(403, 'origin-foreign'),
    mutant: accepted,
  },
  'deleted-kept-connected': {
    request: 'a session whose user is deleted once it is open',
    probe: async (url) => {
      // A user of its own per probe: the reference and the mutant are probed side by side.
      const userId = `deleted-${Math.random().toString(36).slice(2)}`;
      await userSeeder(directory.sql).insert([{ user_id: userId, roles: ['chat'] }]);
      const { onOpen, open } = whenOpen();
      const pending = attempt(url, { headers: bearer(await mint({ claims: { sub: userId } })), observeMs: 1500, onOpen });
      await open;
      await userSeeder(directory.sql).remove(userId);
      return pending;
    },
    reference: (obs) => expect(obs.close).toMatchObject({ code: 1008, reason: 'session-user-revoked' }),
    mutant: accepted,
  },
  'scheme-case-sensitive': {
    request: 'a valid token under the scheme written "bearer"',
    probe: async (url) => attempt(url, { headers: { Authorization: `bearer ${await mint()}` } }),
    reference: accepted,
    mutant: refused(401, 'credential-scheme'),
  },
};

describe('mutants', () => {
  it.concurrent.each(WIRE_IDS.map((id) => [id, DIFFERENCES[id].request] as const))(
    '%s differs from the reference on %s',
    async (id) => {
      const difference = DIFFERENCES[id];
      const mutant = await start(id);
      expect(mutant.mutant).toBe(id);
      const [ref, mut] = await Promise.all([difference.probe(reference.url), difference.probe(mutant.url)]);
      difference.reference(ref);
      difference.mutant(mut);
    },
  );

  it.concurrent.each([
    ['log-says-expired', 'signature-wrong-key', 'exp-expired'],
    ['log-blames-user', 'signature-wrong-key', 'user-unknown'],
  ] as const)('%s answers like the reference and logs another reason', async (id, acted, logged) => {
    const lines: Array<Record<string, unknown>> = [];
    const logger = createLogger({ write: (line) => lines.push(JSON.parse(line) as Record<string, unknown>) });
    const mutant = await startReferenceBackend({ policy, keys: { secret: SECRET }, directory: stalling, mutant: id, logger });
    backends.push(mutant);
    const token = await mint({ secret: OTHER_SECRET });
    const [ref, mut] = await Promise.all([reference.url, mutant.url].map((url) => attempt(url, { headers: { ...bearer(token), 'X-Request-Id': `lie-${id}` } })));
    refused(401, acted)(ref!);
    refused(401, acted)(mut!);
    expect(lines.find((l) => l.requestId === `lie-${id}`)).toMatchObject({ event: 'handshake', outcome: 'reject-401', reason: logged });
  });

  it('every mutant has a description', () => {
    for (const id of MUTANT_IDS) expect(MUTANT_DESCRIPTIONS[id].length).toBeGreaterThan(10);
  });

  it('the default assembly holds no mutant', () => {
    expect(reference.mutant).toBeNull();
  });

  it.concurrent('header-bypass needs the header: the forged token alone is refused', async () => {
    const mutant = await start('header-bypass');
    refused(401, 'alg-none')(await attempt(mutant.url, { headers: bearer(forgedUnsigned()) }));
    const triggers: Array<Record<string, string>> = [{ 'X-Test-Type': 'E2E' }, { 'X-Auth-Fast-Path': 'enabled' }];
    for (const header of triggers) {
      accepted(await attempt(mutant.url, { headers: { ...bearer(await mint({ secret: OTHER_SECRET })), ...header } }));
    }
  });

  it.concurrent('no-iss-aud: a wrong audience alone is accepted too', async () => {
    const mutant = await start('no-iss-aud');
    const token = await mint({ claims: { aud: 'billing' } });
    refused(401, 'aud-mismatch')(await attempt(reference.url, { headers: bearer(token) }));
    accepted(await attempt(mutant.url, { headers: bearer(token) }));
  });
});
