// The PostgreSQL store's own behaviour on a real server (`npm run test:postgres`): transactions held
// across awaits are all-or-nothing, write transactions of two pools (two instances) are serialised,
// nested units are savepoints, a dry run's writes are never kept, rows have SQLite's shapes, and a
// server that cannot be reached or refuses the sign-in is one sentence naming it.
import { type AddressInfo, connect, createServer } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { recordAudit } from '../../src/store/audit-repository.js';
import { closeDatabase, DatabaseOpenError, type Db } from '../../src/store/database.js';
import { openStore, openStoreDryRun, openStoreWhenReachable } from '../../src/store/open-store.js';
import { ensureRole, findRole } from '../../src/store/roles-repository.js';
import { inReadTransaction, inTransaction } from '../../src/store/unit-of-work.js';
import { type PostgresTestDatabase, freshPostgresDatabase, postgresTestUrl } from '../helpers/postgres-test-db.js';
import { count, one, sql, value } from '../helpers/test-db.js';

const databases: PostgresTestDatabase[] = [];
const stores: Db[] = [];

async function newStore(): Promise<{ db: Db; url: string }> {
  const database = await freshPostgresDatabase('sendbot_units');
  databases.push(database);
  const db = await openStore(database.url, { poolSize: 4 });
  stores.push(db);
  return { db, url: database.url };
}

async function secondInstance(url: string): Promise<Db> {
  const db = await openStore(url, { poolSize: 4 });
  stores.push(db);
  return db;
}

afterAll(async () => {
  for (const db of stores.splice(0)) await closeDatabase(db).catch(() => undefined);
  await Promise.all(databases.splice(0).map((d) => d.drop()));
});

const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

describe('PostgreSQL units of work', () => {
  it('rolls back every write of a transaction that fails after an await', async () => {
    const { db } = await newStore();
    const unit = inTransaction(db, async () => {
      await ensureRole(db, 'Unit A', '2025-01-01T00:00:00Z');
      await pause(20);
      throw new Error('boom');
    });
    await expect(unit).rejects.toThrow('boom');
    expect(await findRole(db, 'Unit A')).toBeUndefined();
    await ensureRole(db, 'After', '2025-01-01T00:00:00Z');
    expect((await findRole(db, 'After'))?.name).toBe('After');
  });

  it('serialises write transactions of two instances: the second starts after the first commits', async () => {
    const { db, url } = await newStore();
    const other = await secondInstance(url);
    const order: string[] = [];
    const first = inTransaction(db, async () => {
      order.push('first began');
      await ensureRole(db, 'First', '2025-01-01T00:00:00Z');
      await pause(150);
      order.push('first ends');
    });
    await pause(30);
    const second = inTransaction(other, async () => {
      order.push('second began');
      // Inside the lock it sees the first's commit (read committed, after the lock was granted).
      order.push(`second sees First: ${(await findRole(other, 'First')) !== undefined}`);
    });
    await Promise.all([first, second]);
    expect(order).toEqual(['first began', 'first ends', 'second began', 'second sees First: true']);
  });

  it('keeps a connection free for statements while write transactions queue behind one that holds the lock', async () => {
    const { db } = await newStore();
    const order: string[] = [];
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const holder = inTransaction(db, async () => {
      await ensureRole(db, 'Holder', '2025-01-01T00:00:00Z');
      await held;
      order.push('holder ends');
    });
    // More write transactions than the pool (4) has connections: each would otherwise hold one while
    // it waits for the write lock, and a plain statement (the Slack acknowledgement) would wait too.
    const queued = Array.from({ length: 6 }, (_, i) =>
      inTransaction(db, async () => {
        await ensureRole(db, `Queued ${i}`, '2025-01-01T00:00:00Z');
      }),
    );
    await pause(50);
    // The gate opens by itself after 10 s, so a store without the queue fails on the order instead of hanging.
    const fallback = setTimeout(release, 10_000);
    const statement = value<number>(db, sql`select 1 as n`).then((n) => order.push(`statement answered ${n}`));
    await statement;
    release();
    clearTimeout(fallback);
    await Promise.all([holder, ...queued]);
    expect(order).toEqual(['statement answered 1', 'holder ends']);
    expect(await count(db, 'roles')).toBeGreaterThanOrEqual(7);
  });

  it('makes a nested transaction a savepoint: its failure rolls back only its own writes', async () => {
    const { db } = await newStore();
    await inTransaction(db, async () => {
      await ensureRole(db, 'Outer', '2025-01-01T00:00:00Z');
      await expect(
        inTransaction(db, async () => {
          await ensureRole(db, 'Inner', '2025-01-01T00:00:00Z');
          throw new Error('inner fails');
        }),
      ).rejects.toThrow('inner fails');
    });
    expect(await findRole(db, 'Outer')).toBeDefined();
    expect(await findRole(db, 'Inner')).toBeUndefined();
  });

  it('reads one snapshot in a read transaction while another instance commits', async () => {
    const { db, url } = await newStore();
    const other = await secondInstance(url);
    const seen = await inReadTransaction(db, async () => {
      const before = await count(db, 'roles');
      await ensureRole(other, 'Committed meanwhile', '2025-01-01T00:00:00Z');
      const after = await count(db, 'roles');
      return { before, after };
    });
    expect(seen.after).toBe(seen.before);
    expect(await count(db, 'roles')).toBe(seen.before + 1);
  });

  it('gives rows the shapes the SQLite store gives: counts as numbers, flags 1/0, JSON as text', async () => {
    const { db } = await newStore();
    await recordAudit(db, { at: '2025-01-01T00:00:00Z', actorLabel: 'test', event: 'test.shape', detail: { a: 1 } });
    expect(await value(db, sql`select count(*) from audit_log`)).toBe(1);
    expect(await one(db, sql`select true as yes, false as no`)).toEqual({ yes: 1, no: 0 });
    const detail = await value<string>(db, sql`select detail from audit_log limit 1`);
    expect(typeof detail).toBe('string');
    expect(JSON.parse(detail as string)).toEqual({ a: 1 });
    expect(await one(db, sql`select 1 as "camelCase", 2 as unquotedCamel`)).toEqual({ camelCase: 1, unquotedCamel: 2 });
  });
});

describe('a PostgreSQL dry run', () => {
  it('sees its own writes and leaves the database as it was', async () => {
    const { db, url } = await newStore();
    await ensureRole(db, 'Kept', '2025-01-01T00:00:00Z');
    const dry = await openStoreDryRun(url);
    await inTransaction(dry, () => ensureRole(dry, 'Dry', '2025-01-01T00:00:00Z'));
    expect(await findRole(dry, 'Dry')).toBeDefined();
    await closeDatabase(dry);
    expect(await findRole(db, 'Dry')).toBeUndefined();
    expect(await findRole(db, 'Kept')).toBeDefined();
  });
});

describe('opening a PostgreSQL store that is not there', () => {
  it('says in one sentence that the server cannot be reached, naming it without the password', async () => {
    const url = 'postgres://sendbot:secret-password@127.0.0.1:1/sendbot';
    const error = await openStore(url, { connectTimeoutMs: 2000 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DatabaseOpenError);
    expect((error as Error).message).toContain('cannot reach its PostgreSQL database at 127.0.0.1:1/sendbot');
    expect((error as Error).message).not.toContain('secret-password');
  });

  it('says the sign-in was refused, and does not wait for a wrong password', async () => {
    const good = new URL(postgresTestUrl());
    good.password = 'not-the-password';
    let waits = 0;
    const error = await openStoreWhenReachable(good.toString(), {}, () => waits++, 10).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DatabaseOpenError);
    expect((error as Error).message).toContain('refused sendbot');
    expect(waits).toBe(0);
  });

  it('names a database that does not exist', async () => {
    const missing = new URL(postgresTestUrl());
    missing.pathname = '/no_such_database';
    const error = await openStore(missing.toString()).catch((e: unknown) => e);
    expect((error as Error).message).toContain('There is no database no_such_database');
  });

  it('waits for a server that is not up yet, telling each try, and opens once it answers', async () => {
    const database = await freshPostgresDatabase('sendbot_units');
    databases.push(database);
    const real = new URL(database.url);
    // A loopback proxy that hangs up on the first two connections (a server still starting) and then
    // passes connections through to the real server.
    let connections = 0;
    const proxy = createServer((client) => {
      connections += 1;
      if (connections <= 2) return client.destroy();
      const upstream = connect(Number(real.port), real.hostname);
      client.pipe(upstream).pipe(client);
      upstream.on('error', () => client.destroy());
      client.on('error', () => upstream.destroy());
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    const via = new URL(database.url);
    via.port = String((proxy.address() as AddressInfo).port);
    const tries: number[] = [];
    try {
      const opened = await openStoreWhenReachable(via.toString(), { connectTimeoutMs: 2000, poolSize: 2 }, (_error, n) => tries.push(n), 10);
      stores.push(opened);
      expect(tries).toEqual([1, 2]);
      expect(await count(opened, 'roles')).toBe(0);
      await closeDatabase(opened);
      stores.pop();
    } finally {
      proxy.close();
    }
  });
});
