// Units of work on one SQLite connection: a transaction held across awaits is all-or-nothing, and no
// other request's statement runs inside it (it waits its turn), on a real database file.
import { describe, expect, it } from 'vitest';
import { recordAudit } from '../../src/store/audit-repository.js';
import { ensureRole, findRole } from '../../src/store/roles-repository.js';
import { inReadTransaction, inTransaction, StatementOutsideUnitError, storeCall, withConnection } from '../../src/store/unit-of-work.js';
import { count, sql, testDb, value } from '../helpers/test-db.js';
import { sqliteOf } from '../helpers/test-db.js';

const tick = () => new Promise<void>((resolve) => setTimeout(resolve, 5));

describe('inTransaction', () => {
  it('keeps another request’s write out of a transaction that awaits, and lets it in after the commit', async () => {
    const db = await testDb();
    const order: string[] = [];
    const unit = inTransaction(db, async () => {
      await ensureRole(db, 'Unit A', 'x');
      order.push('unit wrote A');
      await tick(); // another request arrives here
      await ensureRole(db, 'Unit B', 'x');
      order.push('unit wrote B');
    });
    const other = ensureRole(db, 'Other', 'x').then(() => order.push('other wrote'));
    await Promise.all([unit, other]);
    expect(order).toEqual(['unit wrote A', 'unit wrote B', 'other wrote']);
    expect(await count(db, 'roles')).toBe(3);
  });

  it('rolls back every write of a unit that fails after an await, and keeps the write that waited', async () => {
    const db = await testDb();
    const unit = inTransaction(db, async () => {
      await ensureRole(db, 'Unit A', 'x');
      await tick();
      throw new Error('boom');
    });
    const other = ensureRole(db, 'Other', 'x');
    await expect(unit).rejects.toThrow('boom');
    await other;
    expect(await findRole(db, 'Unit A')).toBeUndefined();
    expect((await findRole(db, 'Other'))?.name).toBe('Other');
  });

  it('queues a one-statement store call behind an open unit: it lands after the rollback, not inside it', async () => {
    const db = await testDb();
    const unit = inTransaction(db, async () => {
      await recordAudit(db, { at: 'x', event: 'inside' });
      await tick();
      throw new Error('boom');
    });
    await tick();
    const waiting = recordAudit(db, { at: 'x', event: 'outside' });
    await expect(unit).rejects.toThrow('boom');
    await waiting;
    expect(await value(db, sql`select group_concat(event, ',') from audit_log`)).toBe('outside');
  });

  it('makes a nested unit a savepoint: its failure, caught, undoes only its own writes', async () => {
    const db = await testDb();
    await inTransaction(db, async () => {
      await ensureRole(db, 'Outer', 'x');
      await inTransaction(db, async () => {
        await ensureRole(db, 'Inner', 'x');
        throw new Error('inner');
      }).catch(() => undefined);
      await ensureRole(db, 'After', 'x');
    });
    const names = await value(db, sql`select group_concat(name, ',') from (select name from roles order by name)`);
    expect(names).toBe('After,Outer');
  });

  it('runs units one after another, in the order they asked', async () => {
    const db = await testDb();
    const order: number[] = [];
    await Promise.all(
      [1, 2, 3].map((n) =>
        inTransaction(db, async () => {
          await tick();
          await ensureRole(db, `Role ${n}`, 'x');
          order.push(n);
        }),
      ),
    );
    expect(order).toEqual([1, 2, 3]);
  });
});

describe('the connection guard', () => {
  it('refuses a statement that bypasses the store while another unit holds the connection', async () => {
    const db = await testDb();
    let release!: () => void;
    const held = inTransaction(db, () => new Promise<void>((resolve) => (release = resolve)));
    await tick();
    expect(() => sqliteOf(db).$client.prepare('select 1').get()).toThrow(StatementOutsideUnitError);
    release();
    await held;
    expect(sqliteOf(db).$client.prepare('select 1 as one').get()).toEqual({ one: 1 });
  });
});

describe('withConnection and inReadTransaction', () => {
  it('hold the connection across awaits without a write lock, and let waiting calls run after', async () => {
    const db = await testDb();
    const seen: string[] = [];
    const reading = withConnection(db, async () => {
      await tick();
      seen.push(`read ${(await findRole(db, 'Late'))?.name ?? 'nothing'}`);
    });
    const writing = ensureRole(db, 'Late', 'x').then(() => seen.push('wrote'));
    await Promise.all([reading, writing]);
    expect(seen).toEqual(['read nothing', 'wrote']);
    expect(await inReadTransaction(db, async () => (await findRole(db, 'Late'))?.name)).toBe('Late');
  });
});

describe('storeCall', () => {
  it('keeps its turn across its own awaits: a unit that arrives meanwhile runs after the whole body', async () => {
    const db = await testDb();
    const order: string[] = [];
    const body = storeCall(db, async () => {
      order.push('body starts');
      await tick(); // another request arrives here
      order.push(`body reads ${await value(db, sql`select count(*) from roles`)} roles`);
    });
    const other = inTransaction(db, async () => {
      await ensureRole(db, 'Other', 'x');
      order.push('other wrote');
    });
    await Promise.all([body, other]);
    expect(order).toEqual(['body starts', 'body reads 0 roles', 'other wrote']);
    expect(await storeCall(db, () => 42)).toBe(42);
  });
});
