// The open session over the wire: expiry, revocation learnt from PostgreSQL (LISTEN/
// NOTIFY), first-message auth, the client's own close, shutdown.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolvePolicy } from '../../model/policy.ts';
import type { SqlDirectory } from '../directory/directory.ts';
import { openPgliteDirectory } from '../directory/pglite.ts';
import { userSeeder, type UserSeeder } from '../directory/seed.ts';
import { startReferenceBackend, type ReferenceBackend } from '../server.ts';
import { ALLOWED_ORIGIN, attempt, bearer, errorOf, mint, SECRET, stallingDirectory, whenOpen } from '../testing/harness.ts';

const WINDOW_MS = 400;
const DEADLINE_MS = 300;
let directory: SqlDirectory;
let seed: UserSeeder;
let stalling: ReturnType<typeof stallingDirectory>;
let backend: ReferenceBackend;
let url: string;

beforeAll(async () => {
  directory = await openPgliteDirectory();
  seed = userSeeder(directory.sql);
  const users = ['alice', 'stalled', 'deactivated-later', 'deleted-later', 'demoted-later', 'neighbour', 'renamed-later'];
  await seed.insert(users.map((user_id) => ({ user_id, roles: ['chat'] })));
  stalling = stallingDirectory(directory, new Set(['stalled']));
  // First-message auth on, no clock skew so expiry is quick to see.
  const policy = resolvePolicy({
    placements: { 'first-message': true },
    clockSkewSeconds: 0,
    authWindowMs: WINDOW_MS,
    handshakeDeadlineMs: DEADLINE_MS,
  });
  backend = await startReferenceBackend({ policy, keys: { secret: SECRET }, directory: stalling });
  url = backend.url;
});

afterAll(async () => {
  stalling?.release();
  await backend?.close();
  await directory?.close();
});

describe('authenticated session', () => {
  it.concurrent('closes 1008 when the token reaches exp', async () => {
    // Far enough ahead that even a slow handshake is accepted before exp.
    const exp = Math.floor(Date.now() / 1000) + 5;
    // The client would watch for 30 s: the close is the server's, and never before exp.
    const obs = await attempt(url, { headers: bearer(await mint({ claims: { exp } })), observeMs: 30_000 });
    const closedAt = Date.now() - obs.elapsedMs + obs.close!.atMs;
    expect(obs.status).toBe(101);
    expect(obs.close).toMatchObject({ code: 1008, reason: 'session-token-expired' });
    expect(closedAt).toBeGreaterThanOrEqual(exp * 1000 - 50);
  });

  it.concurrent.each([
    ['deactivated', 'deactivated-later', () => seed.deactivate('deactivated-later')],
    ['deleted', 'deleted-later', () => seed.remove('deleted-later')],
    ['stripped of the required role', 'demoted-later', () => seed.setRoles('demoted-later', [])],
  ])('closes 1008 when the user is %s while connected', async (_what, user, change) => {
    // The change is made once the session is open; the client would watch for 30 s.
    const { onOpen, open } = whenOpen();
    const pending = attempt(url, { headers: bearer(await mint({ claims: { sub: user } })), observeMs: 30_000, onOpen });
    await open;
    await change();
    const obs = await pending;
    expect(obs.status).toBe(101);
    expect(obs.close).toMatchObject({ code: 1008, reason: 'session-user-revoked' });
  });

  it.concurrent('stays open when a change does not revoke (another field, another user)', async () => {
    const { onOpen, open } = whenOpen();
    const pending = attempt(url, { headers: bearer(await mint({ claims: { sub: 'renamed-later' } })), observeMs: 800, onOpen });
    await open;
    await directory.sql.query(`UPDATE users SET name = 'New Name' WHERE user_id = 'renamed-later'`);
    await seed.deactivate('neighbour');
    const obs = await pending;
    expect(obs.close).toMatchObject({ code: 1000, reason: 'client-done' });
  });

  it.concurrent('echoes the client close with 1000', async () => {
    const obs = await attempt(url, { headers: bearer(await mint()), observeMs: 100 });
    expect(obs.status).toBe(101);
    expect(obs.close).toMatchObject({ code: 1000 });
  });
});

describe('first-message auth', () => {
  const auth = (token: string) => JSON.stringify({ type: 'auth', token });

  it.concurrent('a valid auth message gets auth-ok and the socket stays open', async () => {
    const obs = await attempt(url, { send: [auth(await mint())], observeMs: WINDOW_MS + 300 });
    expect(obs.status).toBe(101);
    expect(obs.messages).toEqual(['{"type":"auth-ok"}']);
    expect(obs.close).toMatchObject({ code: 1000, reason: 'client-done' });
  });

  it.concurrent.each([
    ['a bad signature', async () => auth(await mint({ secret: 'some-other-secret-some-other-secret' }))],
    ['an unknown user', async () => auth(await mint({ claims: { sub: 'mallory' } }))],
    ['an expired token', async () => auth(await mint({ claims: { exp: 1 } }))],
    ['an oversize token', async () => auth(await mint({ claims: { pad: 'x'.repeat(100_000) } }))],
    ['not JSON', async () => 'hello'],
    ['another message type', async () => JSON.stringify({ type: 'chat', text: 'hi' })],
  ])('closes 1008 auth-message-invalid for %s', async (_what, message) => {
    const obs = await attempt(url, { send: [await message()], observeMs: 2000 });
    expect(obs.status).toBe(101);
    expect(obs.messages).toEqual([]);
    expect(obs.close).toMatchObject({ code: 1008, reason: 'auth-message-invalid' });
  });

  it.concurrent('closes 1008 auth-message-missing at the end of the window', async () => {
    const obs = await attempt(url, { observeMs: 30_000 });
    expect(obs.status).toBe(101);
    expect(obs.close).toMatchObject({ code: 1008, reason: 'auth-message-missing' });
    expect(obs.close!.atMs).toBeGreaterThanOrEqual(WINDOW_MS - 20);
  });

  it.concurrent('closes 1008 auth-dependency-timeout when the lookup stalls', async () => {
    // The lookup never answers (until the suite ends): only the deadline can close this.
    const obs = await attempt(url, { send: [auth(await mint({ claims: { sub: 'stalled' } }))], observeMs: 30_000 });
    expect(obs.status).toBe(101);
    expect(obs.close).toMatchObject({ code: 1008, reason: 'auth-dependency-timeout' });
    expect(obs.close!.atMs).toBeGreaterThanOrEqual(DEADLINE_MS - 20);
  });

  it.concurrent('still checks Origin before the upgrade', async () => {
    const obs = await attempt(url, { headers: { Origin: 'https://evil.example' } });
    expect(obs.status).toBe(403);
    expect(errorOf(obs)).toBe('origin-foreign');
    const allowed = await attempt(url, { headers: { Origin: ALLOWED_ORIGIN }, send: [auth(await mint())] });
    expect(allowed.messages).toEqual(['{"type":"auth-ok"}']);
  });
});

describe('a narrower session.revocation', () => {
  it('closes only on the revocations the policy lists (here deactivation): a deleted or demoted user stays connected', async () => {
    await seed.insert(['narrow-deactivated', 'narrow-deleted', 'narrow-demoted'].map((user_id) => ({ user_id, roles: ['chat'] })));
    const narrow = await startReferenceBackend({ policy: resolvePolicy({ session: { revocation: ['deactivation'] } }), keys: { secret: SECRET }, directory });
    try {
      const session = async (user: string, change: () => Promise<void>) => {
        const { onOpen, open } = whenOpen();
        const pending = attempt(narrow.url, { headers: bearer(await mint({ claims: { sub: user } })), observeMs: 1500, onOpen });
        await open;
        await change();
        return (await pending).close;
      };
      const [deactivated, deleted, demoted] = await Promise.all([
        session('narrow-deactivated', () => seed.deactivate('narrow-deactivated')),
        session('narrow-deleted', () => seed.remove('narrow-deleted')),
        session('narrow-demoted', () => seed.removeRole('narrow-demoted', 'chat')),
      ]);
      expect(deactivated).toMatchObject({ code: 1008, reason: 'session-user-revoked' });
      expect(deleted).toMatchObject({ code: 1000, reason: 'client-done' });
      expect(demoted).toMatchObject({ code: 1000, reason: 'client-done' });
    } finally {
      await narrow.close();
    }
  });
});

describe('shutdown', () => {
  it('closes open sockets with 1001', async () => {
    const other = await startReferenceBackend({ policy: resolvePolicy({}), keys: { secret: SECRET }, directory });
    const { onOpen, open } = whenOpen();
    const pending = attempt(other.url, { headers: bearer(await mint()), observeMs: 30_000, onOpen });
    await open;
    await other.close();
    expect((await pending).close).toMatchObject({ code: 1001 });
  });
});
