// User hooks on their own: what a command and an endpoint receive (one JSON change per
// line / per POST), that a failing hook is an error naming the hook and what it said,
// and that a bad hook config is refused naming the field. The example app behind a hook
// (conformance/examples/user-hooks/) runs the whole suite through them.
import { createServer, type Server } from 'node:http';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TargetError } from '../../model/errors.ts';
import { profilePolicy } from '../../model/policy.ts';
import { resolveConfig } from '../config/resolve.ts';
import { resolveUrlTarget } from '../config/url-target.ts';
import { hookUsers, type UserChange } from './user-hooks.ts';

const policy = profilePolicy('default');
const servers: Server[] = [];
afterAll(() => servers.forEach((s) => s.close()));

/** A real endpoint that records each POST (headers and JSON body) and answers `status`. */
async function recordingEndpoint(status = 204): Promise<{ url: string; seen: Array<{ auth: string | undefined; change: UserChange }> }> {
  const seen: Array<{ auth: string | undefined; change: UserChange }> = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c));
    req.on('end', () => {
      seen.push({ auth: req.headers.authorization, change: JSON.parse(body) as UserChange });
      res.writeHead(status).end(status >= 300 ? 'no such tenant' : undefined);
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}/users`, seen };
}

describe('user hooks', () => {
  it('a command gets a run\'s users in one go, one JSON change per line; revocations and the clean-up follow', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'wsac-hook-'));
    // The hook appends what it reads to a file: what a real hook would apply to its store.
    await writeFile(join(dir, 'hook.mjs'), "let s = ''; for await (const c of process.stdin) s += c; (await import('node:fs')).appendFileSync('seen.jsonl', s);\n");
    const users = hookUsers({ kind: 'command', command: [process.execPath, 'hook.mjs'], cwd: dir }, policy);
    const kinds = ['active', 'inactive', 'lacks-role', 'missing'] as const;
    const ids = await users.prepareUsers!(kinds.map((kind, i) => ({ caseId: `c${i}`, kind, stall: false })));
    await users.revokeUser(ids[0]!, 'role-removal');
    await users.revokeUser(ids[1]!, 'deletion');
    await users.revokeUser(ids[2]!, 'deactivation');
    await users.close();
    const lines = (await readFile(join(dir, 'seen.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l) as UserChange);
    expect(lines).toEqual([
      { action: 'create', userId: ids[0], active: true, roles: ['chat'] },
      { action: 'create', userId: ids[1], active: false, roles: ['chat'] },
      { action: 'create', userId: ids[2], active: true, roles: ['viewer'] },
      { action: 'remove-role', userId: ids[0], role: 'chat' },
      { action: 'delete', userId: ids[1] },
      { action: 'deactivate', userId: ids[2] },
      // The clean-up deletes what is left (the missing user was never created, the deleted one is gone).
      { action: 'delete', userId: ids[0] },
      { action: 'delete', userId: ids[2] },
    ]);
    expect(users.capabilities).toMatchObject({ stall: false, revoke: ['deactivation', 'deletion', 'role-removal'] });
  });

  it('a failing command is an error naming it, its exit code and what it said', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'wsac-hook-'));
    const users = hookUsers({ kind: 'command', command: [process.execPath, '-e', "console.error('tenant test not found'); process.exit(3)"], cwd: dir }, policy);
    const error = await users.prepareUser('c1', 'active', { stall: false }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TargetError);
    expect((error as Error).message).toMatch(/user hook .*node.* \(create wsac-[0-9a-f]+-c1\) failed with exit code 3: tenant test not found/);
    const missing = hookUsers({ kind: 'command', command: ['./no-such-hook'], cwd: dir }, policy);
    await expect(missing.revokeUser('u1', 'deletion')).rejects.toThrow(/user hook \.\/no-such-hook \(delete u1\) could not start: .*ENOENT.*check target\.users\.command/);
  });

  it('an endpoint gets one POST per change, with the header from the environment; a non-2xx answer is an error', async () => {
    const ok = await recordingEndpoint();
    process.env.WSAC_TEST_HOOK_AUTH = 'Bearer hook-admin-token';
    const dir = await mkdtemp(join(tmpdir(), 'wsac-hook-'));
    await writeFile(join(dir, 'c.json'), JSON.stringify({ target: { kind: 'url', url: 'ws://127.0.0.1:1/ws', keys: { secretEnv: 'WSAC_TEST_HOOK_SECRET' }, users: { http: ok.url, headersEnv: { Authorization: 'WSAC_TEST_HOOK_AUTH' } } } }));
    process.env.WSAC_TEST_HOOK_SECRET = 'a-secret-long-enough-for-hs256-0123456789abcdef';
    const options = await resolveUrlTarget(await resolveConfig({ config: join(dir, 'c.json') }, dir));
    expect(options.users).toMatchObject({ kind: 'http', url: ok.url });
    const users = hookUsers(options.users as Parameters<typeof hookUsers>[0], policy);
    const id = await users.prepareUser('c1', 'active', { stall: false });
    await users.revokeUser(id, 'deactivation');
    expect(ok.seen).toEqual([
      { auth: 'Bearer hook-admin-token', change: { action: 'create', userId: id, active: true, roles: ['chat'] } },
      { auth: 'Bearer hook-admin-token', change: { action: 'deactivate', userId: id } },
    ]);
    const refusing = await recordingEndpoint(404);
    const failing = hookUsers({ kind: 'http', url: refusing.url, headers: {} }, policy);
    await expect(failing.revokeUser('u1', 'deletion')).rejects.toThrow(/user hook POST http:\/\/127\.0\.0\.1:\d+\/users \(delete u1\) answered HTTP 404: no such tenant/);
  });

  it.each([
    [{ command: 'node hook.mjs' }, /target\.users\.command: must be a non-empty list of strings/],
    [{ command: [] }, /target\.users\.command: must be a non-empty list/],
    [{ command: ['node'], http: 'http://x' }, /target\.users: has both command and http/],
    [{ http: 'ftp://x/users' }, /target\.users\.http: must be an http:\/\/ or https:\/\/ URL/],
    [{ http: 'http://127.0.0.1/u', headersEnv: { Authorization: 1 } }, /target\.users\.headersEnv: must map header names to strings/],
    [{ http: 'http://127.0.0.1/u', timeoutMs: 0 }, /target\.users\.timeoutMs: must be a positive whole number/],
    [{ command: ['node'], headers: {} }, /target\.users\.headers: unknown field; known fields here: command, timeoutMs/],
  ])('a bad hook config %j is refused naming the field', async (users, message) => {
    const dir = await mkdtemp(join(tmpdir(), 'wsac-hook-'));
    await writeFile(join(dir, 'c.json'), JSON.stringify({ target: { kind: 'url', url: 'ws://127.0.0.1:1/ws', keys: { secretEnv: 'X' }, users } }));
    await expect(resolveConfig({ config: join(dir, 'c.json') }, dir)).rejects.toThrow(message);
  });

  it('a header variable that is not set is named, its value never shown', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'wsac-hook-'));
    delete process.env.WSAC_TEST_UNSET_AUTH;
    process.env.WSAC_TEST_HOOK_SECRET = 'a-secret-long-enough-for-hs256-0123456789abcdef';
    await writeFile(join(dir, 'c.json'), JSON.stringify({ target: { kind: 'url', url: 'ws://127.0.0.1:1/ws', keys: { secretEnv: 'WSAC_TEST_HOOK_SECRET' }, users: { http: 'http://127.0.0.1:1/u', headersEnv: { Authorization: 'WSAC_TEST_UNSET_AUTH' } } } }));
    await expect(resolveUrlTarget(await resolveConfig({ config: join(dir, 'c.json') }, dir))).rejects.toThrow(/target\.users\.headersEnv\.Authorization: environment variable WSAC_TEST_UNSET_AUTH is not set or empty/);
  });
});
