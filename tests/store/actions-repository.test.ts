// The action read model on a real SQLite file: an action's latest update is found by its id however
// stale SQLite's statistics are (taken when `updates` was nearly empty, then thousands came in).
import { describe, expect, it } from 'vitest';
import { getActionView } from '../../src/store/actions-repository.js';
import { demoPlanDb } from '../helpers/demo-plan-db.js';
import { rows, sql, sqliteOf } from '../helpers/test-db.js';

describe('getActionView', () => {
  it('looks up the latest update through an index, never scanning every update, with statistics from when there were two', async () => {
    const { db } = await demoPlanDb();
    const client = sqliteOf(db).$client;
    const actions = (await rows(db, sql`select id, ref from actions order by id`)) as { id: number; ref: string }[];
    // What `PRAGMA optimize` records when the service opens a freshly imported plan: statistics for
    // `updates` while it holds a couple of rows. Then thousands of updates come in.
    expect(((await rows(db, sql`select count(*) as n from updates`)) as { n: number }[])[0]?.n).toBeLessThan(10);
    client.exec('analyze updates');
    const insert = client.prepare(`insert into updates (action_id, person_id, created_at, platform, kind, status, note, raw_text) values (?, null, ?, 'slack', 'update', 'amber', ?, 'x')`);
    client.transaction(() => {
      for (let i = 0; i < 3000; i += 1) insert.run((actions[i % actions.length] as { id: number }).id, '2024-11-18T10:00:00.000Z', `note ${i}`);
    })();

    // The statement the store runs (captured as it is prepared), as SQLite plans it now.
    const target = actions[5] as { id: number; ref: string };
    const prepared: string[] = [];
    const prepare = client.prepare.bind(client);
    client.prepare = ((source: string) => {
      prepared.push(source);
      return prepare(source);
    }) as typeof client.prepare;
    let view: Awaited<ReturnType<typeof getActionView>>;
    try {
      view = await getActionView(db, target.ref);
    } finally {
      client.prepare = prepare as typeof client.prepare;
    }
    const statement = prepared.find((s) => s.includes('from actions a'));
    expect(statement).toBeDefined();
    const plan = (client.prepare(`explain query plan ${statement}`).all(JSON.stringify([target.ref])) as { detail: string }[]).map((p) => p.detail);
    // Found through an index (its id, or its action's), not by reading every update for each action.
    expect(plan.filter((d) => /^SCAN u\b/.test(d))).toEqual([]);
    expect(plan.filter((d) => /^SEARCH u USING /.test(d))).toHaveLength(1);

    // And it is the newest of that action's updates.
    const newest = (await rows(db, sql`select max(id) as id from updates where action_id = ${target.id}`)) as { id: number }[];
    expect(view?.lastUpdate?.id).toBe(newest[0]?.id);
    expect(view?.lastUpdate?.note).toMatch(/^note \d+$/);
  });
});
