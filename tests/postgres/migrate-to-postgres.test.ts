// `sendbot migrate-to-postgres` (issue 21) on a real PostgreSQL server (`npm run test:postgres`): a
// partnership's SQLite database — the demo plan, owners' updates, a date change asked for and
// decided, outbox rows, audit entries — is copied into an empty PostgreSQL database through the
// real CLI; the PostgreSQL store opened with openStore then gives the same answers, ids are kept and
// the next row gets the next id. A target with data, a source that is not sendbot's, a source
// written to during the copy: refused, nothing changed.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseInstant } from '../../src/clock.js';
import { loadPlanFile } from '../../src/importers/load-plan-file.js';
import { demoPlanPath } from '../../src/paths.js';
import type { Reply } from '../../src/render/reply.js';
import { recordAudit } from '../../src/store/audit-repository.js';
import { closeDatabase, type Db, openDatabase } from '../../src/store/database.js';
import { openStore } from '../../src/store/open-store.js';
import { enqueueNotification } from '../../src/store/outbox-repository.js';
import { importPlanDocument } from '../../src/store/plan-import.js';
import { searchIndexFor } from '../../src/store/search-index.js';
import { MigrationRefused, migrateSqliteToPostgres } from '../../src/store/sqlite-to-postgres.js';
import { sendbot, sendbotWithEnv } from '../helpers/cli.js';
import { ask, DEMO } from '../helpers/demo-plan-db.js';
import { freshPostgresDatabase, postgresTestUrl, type PostgresTestDatabase } from '../helpers/postgres-test-db.js';
import { tempDir } from '../helpers/temp.js';
import { rows, sql, value } from '../helpers/test-db.js';

const databases: PostgresTestDatabase[] = [];
async function emptyTarget(): Promise<string> {
  const made = await freshPostgresDatabase('sendbot_migrate');
  databases.push(made);
  return made.url;
}

afterAll(async () => {
  await Promise.all(databases.splice(0).map((d) => d.drop()));
});

/** A partnership's SQLite database with a history worth keeping. */
async function partnershipSqlite(): Promise<string> {
  const path = join(tempDir('sendbot-migrate-'), 'sendbot.db');
  const db = await openDatabase(path);
  try {
    const loaded = await loadPlanFile(demoPlanPath());
    await importPlanDocument(db, loaded.document, { now: parseInstant('2024-09-02T09:00'), file: loaded.file, lineOf: loaded.lineOf });
    await ask(db, DEMO.headOfSend, '/send update ND-1.2 amber 60% NDPT pilot extended; roll-out from Jan', '2024-11-18T10:00');
    await ask(db, DEMO.headOfSend, 'update ND-1.1 done evidence:https://docs.example.org/ndpt rolled out to all schools', '2024-11-18T10:05');
    await ask(db, DEMO.headOfSend, 'update ND-3.5 amber due:"30 April 25" evaluation delayed by the provider — Café visits', '2024-11-18T10:10');
    await ask(db, DEMO.dcs, 'reject ND-3.5 the provider must keep the February date', '2024-11-19T09:00');
    await ask(db, DEMO.headOfCommissioning, 'update ND-1.3 green', '2024-11-19T09:30');
    for (const [i, key] of ['nudge:1:1:first', 'nudge:1:2:first', 'digest:weekly:2024-47'].entries()) {
      await enqueueNotification(db, {
        key,
        kind: i < 2 ? ('nudge' as const) : ('weekly_digest' as const),
        recipientPersonId: i + 1,
        recipientChannel: null,
        payload: { kind: i < 2 ? ('nudge' as const) : ('weekly_digest' as const), reply: { title: `message ${i}`, lines: ['ünïcödé', 'two'] } as unknown as Reply, refs: ['ND-1.2', 'ND-1.1'], boardId: 1, expiresAt: null },
        notBefore: '2024-11-20T09:00:00.000Z',
        createdAt: '2024-11-19T10:00:00.000Z',
      });
    }
    await recordAudit(db, { at: '2024-11-19T11:00:00.000Z', actorLabel: 'cli', event: 'role.assign', entity: 'role:1', detail: { from: null, to: 'morgan.demo@example.org' } });
    return path;
  } finally {
    db.$client.pragma('wal_checkpoint(TRUNCATE)');
    await closeDatabase(db);
  }
}

/** What a partnership would check after moving: the same actions, trail, updates and date changes. */
async function answers(db: Db) {
  return {
    actions: await rows(db, sql`select id, ref, status, percent, due, baseline_due, ongoing, flags, owner_role_id, removed_at from actions order by id`),
    updates: await rows(db, sql`select id, action_id, person_id, created_at, platform, kind, status, percent, note, evidence_url, raw_text from updates order by id`),
    dateChanges: await rows(db, sql`select id, action_id, requested_by, from_due, to_due, phrase, reason, state, decided_by, decision_note, update_id from due_date_changes order by id`),
    audit: await rows(db, sql`select id, at, actor_person_id, actor_label, event, entity, detail, platform from audit_log order by id`),
    outbox: await rows(db, sql`select id, key, kind, recipient_person_id, payload, not_before, status from outbox order by id`),
    people: await rows(db, sql`select id, email, is_admin, weekly_digest, slack_user_id from people order by id`),
    meetings: await rows(db, sql`select id, board_id, starts_at, is_sample, cancelled from meetings order by id`),
  };
}

/** JSON columns come back as text from both stores; jsonb reorders keys, so compare them parsed. */
function parsedJson<T>(value: T): T {
  return JSON.parse(JSON.stringify(value), (_key, v: unknown) => {
    if (typeof v === 'string' && /^[[{]/.test(v)) {
      try {
        return JSON.parse(v) as unknown;
      } catch {
        return v;
      }
    }
    return v;
  }) as T;
}

describe('sendbot migrate-to-postgres', () => {
  let source: string;
  let target: string;
  let cli: { code: number; stdout: string; stderr: string };
  let sqliteAnswers: Awaited<ReturnType<typeof answers>>;
  let sourceBytes: Buffer;

  beforeAll(async () => {
    source = await partnershipSqlite();
    const sqlite = await openDatabase(source);
    try {
      sqliteAnswers = await answers(sqlite);
    } finally {
      await closeDatabase(sqlite);
    }
    sourceBytes = readFileSync(source);
    target = await emptyTarget();
    cli = await sendbot(source, 'migrate-to-postgres', '--to', target);
  });

  it('copies, verifies and prints each table with its counts, exit 0', () => {
    expect(cli.stderr).toBe('');
    expect(cli.code).toBe(0);
    expect(cli.stdout).toMatch(/^actions\s+92\s+92\s+same$/m);
    expect(cli.stdout).toMatch(/^updates\s+(\d+)\s+\1\s+same$/m);
    expect(cli.stdout).toMatch(/^audit_log\s+(\d+)\s+\1\s+same$/m);
    expect(cli.stdout).toMatch(/^outbox\s+5\s+5\s+same$/m); // three queued here, two told of the date change
    expect(cli.stdout).toContain('Search index rebuilt for 92 actions.');
    expect(cli.stdout).not.toContain('DIFFERENT');
  });

  it("leaves the planner statistics of every copied table (the first commands are planned on them, not on guesses)", async () => {
    const client = new pg.Client({ connectionString: target });
    await client.connect();
    try {
      const { rows: unanalysed } = await client.query<{ name: string }>(
        "select relname as name from pg_stat_user_tables where relname in ('actions', 'workstreams', 'plans', 'updates', 'role_assignments') and last_analyze is null",
      );
      expect(unanalysed).toEqual([]);
    } finally {
      await client.end();
    }
  });

  it('reads the source without changing it', () => {
    expect(readFileSync(source).equals(sourceBytes)).toBe(true);
  });

  it('gives the same actions, updates, date changes, audit trail, outbox and people on PostgreSQL, ids kept', async () => {
    const db = await openStore(target);
    try {
      const pgAnswers = await answers(db);
      expect(parsedJson(pgAnswers)).toEqual(parsedJson(sqliteAnswers));
      expect(sqliteAnswers.updates.length).toBeGreaterThanOrEqual(4);
      expect(sqliteAnswers.dateChanges).toHaveLength(1);
      expect(sqliteAnswers.dateChanges[0]).toMatchObject({ state: 'rejected' });
    } finally {
      await closeDatabase(db);
    }
  });

  it("indexes the actions as PostgreSQL's store does: the same entries and the same hits as the plan imported there directly", async () => {
    const sqlite = await openDatabase(source);
    const db = await openStore(target);
    const direct = await openStore(await emptyTarget());
    try {
      const loaded = await loadPlanFile(demoPlanPath());
      await importPlanDocument(direct, loaded.document, { now: parseInstant('2024-09-02T09:00'), file: loaded.file, lineOf: loaded.lineOf });
      const entries = sql`select s.ref, s.text, s.workstream, s.plan from action_search s order by s.ref`;
      expect(await rows(db, entries)).toEqual(await rows(direct, entries));
      expect(Number(await value(db, sql`select count(*) from action_search`))).toBe(Number(await value(db, sql`select count(*) from actions where removed_at is null`)));
      // How many actions have each word, which the search reads first: the same as the direct import's.
      const words = sql`select lexeme, actions from action_search_lexemes where actions > 0 order by lexeme`;
      expect((await rows(db, words)).length).toBeGreaterThan(100);
      expect(await rows(db, words)).toEqual(await rows(direct, words));
      const refOf = async (on: Db, id: number | undefined) => value<string>(on, sql`select ref from actions where id = ${id ?? -1}`);
      for (const words of ['neurodiversity waiting list', 'transitions', 'healthy child programme', 'workforce training', 'cafe visits']) {
        const here = await searchIndexFor(db).search(words, 5);
        const there = await searchIndexFor(direct).search(words, 5);
        expect(here.hits.length, words).toBeGreaterThan(0);
        expect(await refOf(db, here.hits[0]?.actionId), words).toBe(await refOf(direct, there.hits[0]?.actionId));
        // The hit SQLite's own index puts first is among PostgreSQL's.
        const sqliteTop = await refOf(sqlite, (await searchIndexFor(sqlite).search(words, 5)).hits[0]?.actionId);
        const hereRefs = await Promise.all(here.hits.map((h) => refOf(db, h.actionId)));
        if (sqliteTop !== undefined && here.hits.length < 5) expect(hereRefs, words).toContain(sqliteTop);
      }
    } finally {
      await closeDatabase(sqlite);
      await closeDatabase(db);
      await closeDatabase(direct);
    }
  });

  it('gives a new row the next id after the largest copied', async () => {
    const db = await openStore(target);
    try {
      const largest = Number(await value(db, sql`select max(id) from audit_log`));
      await recordAudit(db, { at: '2024-12-01T09:00:00.000Z', actorLabel: 'test', event: 'after.migration' });
      expect(Number(await value(db, sql`select id from audit_log where event = ${'after.migration'}`))).toBe(largest + 1);
      const outboxLargest = Number(await value(db, sql`select max(id) from outbox`));
      await enqueueNotification(db, {
        key: 'after:migration',
        kind: 'nudge',
        recipientPersonId: 1,
        recipientChannel: null,
        payload: { kind: 'nudge', reply: { title: 'next' } as unknown as Reply, refs: [] },
        notBefore: '2024-12-01T09:00:00.000Z',
        createdAt: '2024-12-01T09:00:00.000Z',
      });
      expect(Number(await value(db, sql`select id from outbox where key = ${'after:migration'}`))).toBe(outboxLargest + 1);
    } finally {
      await closeDatabase(db);
    }
  });

  it('refuses a target that already holds sendbot data, and changes nothing there', async () => {
    const before = await countsOf(target);
    const again = await sendbot(source, 'migrate-to-postgres', '--to', target);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/already holds sendbot data .*empty database only.*Nothing was changed\./s);
    expect(await countsOf(target)).toEqual(before);
  });

  it('takes the target from DATABASE_URL when --to is not given', async () => {
    const other = await emptyTarget();
    const result = await sendbotWithEnv({ DATABASE_URL: other }, source, 'migrate-to-postgres');
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect((await countsOf(other)).actions).toBe(92);
  });
});

async function countsOf(url: string): Promise<Record<string, number>> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows: tables } = await client.query<{ name: string }>("select tablename as name from pg_tables where schemaname = 'public' order by tablename");
    const counts: Record<string, number> = {};
    for (const { name } of tables) counts[name] = Number((await client.query(`select count(*) as n from "${name}"`)).rows[0].n);
    return counts;
  } finally {
    await client.end();
  }
}

describe('sendbot migrate-to-postgres refuses, changing nothing', () => {
  let source: string;
  beforeAll(async () => {
    source = await partnershipSqlite();
  });

  it('a target with tables that are not sendbot’s', async () => {
    const url = await emptyTarget();
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query('create table invoices (id int primary key, total numeric)');
    await client.query('insert into invoices values (1, 10)');
    await client.end();
    const result = await sendbot(source, 'migrate-to-postgres', '--to', url);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("holds tables that are not sendbot's (invoices)");
    expect(await countsOf(url)).toEqual({ invoices: 1 });
  });

  it('a source that is not an SQLite file, or not sendbot’s, or missing', async () => {
    const url = await emptyTarget();
    const dir = tempDir('sendbot-migrate-bad-');
    const text = join(dir, 'notes.db');
    writeFileSync(text, 'these are meeting notes, not a database\n'.repeat(20));
    const other = join(dir, 'other.db');
    const sqlite = new Database(other);
    sqlite.exec('create table invoices (id integer primary key)');
    sqlite.close();
    const cases: [string, RegExp][] = [
      [text, /notes\.db is not a sendbot database \(it is not an SQLite file/],
      [other, /other\.db is an SQLite database, but not sendbot's/],
      [join(dir, 'missing.db'), /There is no SQLite database at .*missing\.db/],
      [dir, /is not a file/],
    ];
    for (const [path, message] of cases) {
      const result = await sendbot(path, 'migrate-to-postgres', '--to', url);
      expect(result.code, path).toBe(1);
      expect(result.stderr, path).toMatch(message);
      expect(result.stderr, path).toContain('Nothing was changed.');
    }
    expect(existsSync(join(dir, 'missing.db'))).toBe(false);
    expect(await countsOf(url)).toEqual({});
  });

  it('no target, or a target that is not a PostgreSQL URL', async () => {
    const none = await sendbot(source, 'migrate-to-postgres');
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/Say which PostgreSQL database to copy into, with --to or DATABASE_URL, e\.g\. sendbot migrate-to-postgres/);
    const swapped = await sendbot(postgresTestUrl(), 'migrate-to-postgres', '--to', postgresTestUrl());
    expect(swapped.code).toBe(1);
    expect(swapped.stderr).toMatch(/^--db names the SQLite database to copy from, and "postgres:\/\/[^"]*:\*\*\*@[^"]*" is a PostgreSQL URL/);
    const file = await sendbot(source, 'migrate-to-postgres', '--to', 'data/other.db');
    expect(file.code).toBe(1);
    expect(file.stderr).toContain('The target must be a postgres:// URL (it is "data/other.db")');
  });

  it('a value PostgreSQL cannot take (a flag that is not 0/1): named with its row, the copy rolled back', async () => {
    const url = await emptyTarget();
    const dir = tempDir('sendbot-migrate-odd-');
    const odd = join(dir, 'sendbot.db');
    writeFileSync(odd, readFileSync(source));
    const sqlite = new Database(odd);
    sqlite.prepare("update people set is_admin = 'yes' where id = 2").run();
    sqlite.close();
    const before = readFileSync(odd);
    const result = await sendbot(odd, 'migrate-to-postgres', '--to', url);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('people.is_admin (id 2) holds "yes", not a 0/1 flag: correct it in the SQLite database, then run again. Nothing was copied.\n');
    expect(readFileSync(odd).equals(before)).toBe(true);
    const counts = await countsOf(url);
    expect(counts.people).toBe(0);
    expect(Object.values(counts).every((n) => n === 0)).toBe(true);
  });

  it('copies only what was committed while another connection is mid-write', async () => {
    const url = await emptyTarget();
    const writer = new Database(source);
    try {
      writer.exec('begin immediate');
      writer.prepare("insert into audit_log (at, event) values ('2024-11-20T09:00:00.000Z', 'uncommitted')").run();
      const committed = writer.prepare('select count(*) as n from audit_log').pluck().get() as number;
      const result = await migrateSqliteToPostgres(source, url);
      expect(result.tables.find((t) => t.name === 'audit_log')).toMatchObject({ source: committed - 1, target: committed - 1, checksumsMatch: true });
      writer.exec('rollback');
    } finally {
      writer.close();
    }
    expect((await countsOf(url)).audit_log).toBeGreaterThan(0);
  });

  it('a source written to while it is being copied: rolled back, PostgreSQL keeps no rows', async () => {
    const url = await emptyTarget();
    const copying = migrateSqliteToPostgres(source, url, {
      afterSnapshot: () => {
        const writer = new Database(source);
        writer.prepare("insert into audit_log (at, event) values ('2024-11-20T09:00:00.000Z', 'written during the copy')").run();
        writer.close();
      },
    });
    await expect(copying).rejects.toThrow(MigrationRefused);
    await expect(copying).rejects.toThrow(/changed while it was being copied: something \(the bot\?\) is still writing to it/);
    const counts = await countsOf(url);
    expect(Object.values(counts).every((n) => n === 0)).toBe(true);
    expect(counts.actions).toBe(0);
  });
});
