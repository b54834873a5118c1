// The Directory contract on both stores: lookup, change notifications from the
// database itself (including writes from another connection), ping. PGlite always;
// a PostgreSQL server when WS_AUTH_TEST_PG_URL is set (e.g. postgres://postgres@127.0.0.1:5432/postgres).
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SqlDirectory, UserChange } from './directory.ts';
import { openPgliteDirectory } from './pglite.ts';
import { openPostgresDirectory } from './postgres.ts';
import { userSeeder } from './seed.ts';
import { DependencyTimeoutError } from '../../model/errors.ts';

const PG_URL = process.env.WS_AUTH_TEST_PG_URL;

const stores: Array<[string, (() => Promise<SqlDirectory>) | null]> = [
  ['PGlite', () => openPgliteDirectory()],
  ['PostgreSQL', PG_URL ? () => openPostgresDirectory(PG_URL) : null],
];

describe.each(stores)('%s directory', (name, open) => {
  let directory: SqlDirectory;
  const all: UserChange[] = [];
  const id = (s: string) => `${name.toLowerCase()}-${s}-${process.pid}`;
  // Only this file's users: a shared server may carry other writers' changes.
  const changes = () => all.filter((c) => c.userId.endsWith(`-${process.pid}`) && c.userId.startsWith(name.toLowerCase()));

  beforeAll(async () => {
    if (!open) return;
    directory = await open();
    directory.subscribe((c) => all.push(c));
    await userSeeder(directory.sql).insert([
      { user_id: id('a'), email: 'a@example.test', roles: ['chat', 'admin'] },
      { userId: id('b'), isActive: false },
    ]);
  });
  afterAll(async () => {
    if (!open) return;
    await userSeeder(directory.sql).remove(id('a'));
    await userSeeder(directory.sql).remove(id('b'));
    await directory.close();
  });

  it.skipIf(!open)('looks users up by id', async () => {
    expect(await directory.lookup(id('a'))).toEqual({ userId: id('a'), isActive: true, roles: ['chat', 'admin'] });
    expect(await directory.lookup(id('b'))).toEqual({ userId: id('b'), isActive: false, roles: [] });
    expect(await directory.lookup(id('nobody'))).toBeNull();
    await expect(directory.ping()).resolves.toBeUndefined();
  });

  it.skipIf(!open)('reports updates and deletes as they happen', async () => {
    const seed = userSeeder(directory.sql);
    await seed.deactivate(id('a'));
    await seed.activate(id('a'));
    await seed.remove(id('b'));
    await expect.poll(() => changes().length).toBeGreaterThanOrEqual(3);
    expect(changes().slice(-3)).toEqual([
      { userId: id('a'), user: { userId: id('a'), isActive: false, roles: ['chat', 'admin'] } },
      { userId: id('a'), user: { userId: id('a'), isActive: true, roles: ['chat', 'admin'] } },
      { userId: id('b'), user: null },
    ]);
  });

  it.skipIf(!PG_URL || name !== 'PostgreSQL')('hears writes made by another connection', async () => {
    const other = new pg.Client({ connectionString: PG_URL });
    await other.connect();
    await other.query('UPDATE users SET roles = $2 WHERE user_id = $1', [id('a'), ['chat']]);
    await other.end();
    await expect.poll(() => changes().at(-1)).toEqual({ userId: id('a'), user: { userId: id('a'), isActive: true, roles: ['chat'] } });
  });
});

describe.skipIf(!PG_URL)('PostgreSQL lookups at the handshake deadline', () => {
  it('a lookup past its timeout is cancelled by the server and its connection returned to the pool', async () => {
    // One lookup connection: if the cancelled lookup kept it, nothing else could run.
    const directory = await openPostgresDirectory(PG_URL!, { poolSize: 1, lookupTimeoutMs: 300 });
    const locker = new pg.Client({ connectionString: PG_URL });
    await locker.connect();
    try {
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE users IN ACCESS EXCLUSIVE MODE');
      await expect(directory.lookup(`blocked-${process.pid}`)).rejects.toBeInstanceOf(DependencyTimeoutError);
      // The table is still locked, yet the pool's only connection answers.
      await expect(directory.ping()).resolves.toBeUndefined();
    } finally {
      await locker.query('ROLLBACK').catch(() => {});
      await locker.end();
      await directory.close();
    }
  });
});
