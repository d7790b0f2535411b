// Re-importing a plan merges it three ways (what the file said last time, what it says now, what
// sendbot holds) and matches rows by ref or words, never by position: driven through the real CLI
// and chat commands on real SQLite files.
import { describe, expect, it } from 'vitest';
import { sendbot, sendbotJson } from '../helpers/cli.js';
import { tempDbPath, writeTemp } from '../helpers/temp.js';
import { closeTestDb, rows, run, sql, type SQL, testDbAt, withTestDb } from '../helpers/test-db.js';

interface JsonAction {
  ref: string;
  action: string;
  due: string | null;
  status: string;
  change: string;
  reworded_from?: string;
  conflicts?: { field: string; file: string; sendbot: string; changed_by: string | null; resolution: string }[];
}

const HEAD = `
partnership:
  name: Testshire SEND Partnership
people:
  - { name: Ada Admin, email: ada@example.org, roles: [Programme Officer], admin: true }
  - { name: Sam Send, email: sam@example.org, roles: [Head of SEND] }
  - { name: Dee Chair, email: dee@example.org, roles: [Director of Children's Services] }
boards:
  - name: SEND Partnership Board
    chair_role: Director of Children's Services
plans:
  - code: ND
    title: Neurodiversity Improvement Plan
    board: SEND Partnership Board
    workstreams:
      - title: Needs-led system
        lead: Head of SEND
        due: July 2025
        actions:
`;

const ACTIONS = [
  'Roll out the profiling tool to all schools',
  'Evaluation report by end March 25',
  'Train SENCos in the graduated approach',
  'Publish the local offer pages for autism',
  'Agree the joint commissioning framework',
  'Recruit two educational psychologists',
];

const planWith = (actions: string[], extra = ''): string => HEAD + actions.map((a) => `          - text: ${a}\n`).join('') + extra;

async function ask(db: string, who: string, text: string, now = '2024-11-04T10:00'): Promise<string> {
  const r = await sendbot(db, '--now', now, 'ask', '--as', who, text);
  expect(r.code, r.stderr).toBe(0);
  return r.stdout;
}

function query<T>(db: string, q: SQL): Promise<T[]> {
  return withTestDb(db, (conn) => rows<T>(conn, q));
}

const notesByText = async (db: string) =>
  await query<{ text: string; ref: string; notes: string | null }>(db, sql`select a.text, a.ref, group_concat(u.note, ' | ') as notes from actions a left join updates u on u.action_id = a.id and u.platform <> 'import'
      group by a.id order by a.id`);

describe('re-importing a plan: three-way merge', () => {
  it('re-importing the identical file keeps a chair-approved date change; an edited date is a conflict, and --prefer-file takes it', async () => {
    const db = tempDbPath();
    const file = writeTemp('plan.yaml', planWith(ACTIONS));
    expect((await sendbot(db, '--now', '2024-11-01T09:00', 'import', file)).code).toBe(0);
    await ask(db, 'sam@example.org', 'update ND-1.2 amber due:"31 July 2025" the provider delayed the evaluation');
    expect(await ask(db, 'dee@example.org', 'approve ND-1.2', '2024-11-05T10:00')).toContain('Approved');

    const same = await sendbot(db, '--now', '2024-11-06T09:00', 'import', file);
    expect(same.code, same.stderr).toBe(0);
    // The report shows the date the record holds, not the file's old one.
    expect(same.stdout).toMatch(/ND-1\.2 .*2025-07-31/);
    expect(same.stdout).not.toMatch(/ND-1\.2 .*2025-03-31/);
    expect(same.stdout).not.toContain('Conflicts');
    expect(same.stdout).toMatch(/Actions: 0 new, 0 updated, 6 unchanged/);
    expect(await query(db, sql`select due, baseline_due as baseline from actions where ref = 'ND-1.2'`)).toEqual([{ due: '2025-07-31', baseline: '2025-03-31' }]);

    // The officer edits the same action's date in the file: both changed it.
    const edited = writeTemp('plan.yaml', planWith(ACTIONS.map((a) => a.replace('by end March 25', 'by end April 25'))));
    const dry = await sendbot(db, '--now', '2024-11-07T09:00', 'import', edited, '--dry-run');
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toContain('Conflicts: 1 field changed both in the file and in sendbot');
    expect(dry.stdout).toContain(
      'ND-1.2 due date: sendbot has 2025-07-31 (approved a date change by Dee Chair <dee@example.org> on 2024-11-05); the file says 2025-04-30 ("by end April 25").',
    );
    const rows = await sendbotJson<JsonAction[]>(db, '--now', '2024-11-07T09:00', 'import', edited);
    const nd12 = rows.find((r) => r.ref === 'ND-1.2');
    expect(nd12?.conflicts).toEqual([
      expect.objectContaining({ field: 'due date', changed_by: 'Dee Chair <dee@example.org>', resolution: 'kept sendbot' }),
    ]);
    expect(await query(db, sql`select due from actions where ref = 'ND-1.2'`)).toEqual([{ due: '2025-07-31' }]);

    // Importing the same edited file again: the file has not changed since, so nothing more is said.
    const quiet = await sendbot(db, '--now', '2024-11-08T09:00', 'import', edited);
    expect(quiet.stdout).not.toContain('Conflicts');

    // An officer who means the file's date says so, and the history names the decision it replaced.
    const edited2 = writeTemp('plan.yaml', planWith(ACTIONS.map((a) => a.replace('by end March 25', 'by end May 25'))));
    const taken = await sendbot(db, '--now', '2024-11-09T09:00', 'import', edited2, '--prefer-file');
    expect(taken.stdout).toContain("Took the file's (--prefer-file)");
    expect(await query(db, sql`select due, baseline_due as baseline from actions where ref = 'ND-1.2'`)).toEqual([{ due: '2025-05-31', baseline: '2025-03-31' }]);
    const trail = await query<{ reason: string; to_due: string }>(db, sql`select reason, to_due from due_date_changes where state = 'imported' order by id desc limit 1`);
    expect(trail[0]?.to_due).toBe('2025-05-31');
    expect(trail[0]?.reason).toContain("replaced Dee Chair <dee@example.org>'s decision (approved a date change, 2024-11-05) with --prefer-file");
  });

  it('a pending date-change request and a file that moves the same date is a conflict, not an overwrite', async () => {
    const db = tempDbPath();
    await sendbot(db, '--now', '2024-11-01T09:00', 'import', writeTemp('plan.yaml', planWith(ACTIONS)));
    await ask(db, 'sam@example.org', 'update ND-1.2 amber due:"31 July 2025" the provider delayed the evaluation');
    const edited = writeTemp('plan.yaml', planWith(ACTIONS.map((a) => a.replace('by end March 25', 'by end April 25'))));
    const r = await sendbot(db, '--now', '2024-11-07T09:00', 'import', edited);
    expect(r.stdout).toMatch(/ND-1\.2 due date: sendbot has 2025-03-31 .*asked for a date change \(pending\) by Sam Send/);
    expect(await query(db, sql`select due from actions where ref = 'ND-1.2'`)).toEqual([{ due: '2025-03-31' }]);
  });

  it('inserting, rewording and deleting rows in a plan without refs never moves history onto a neighbour', async () => {
    const db = tempDbPath();
    await sendbot(db, '--now', '2024-11-01T09:00', 'import', writeTemp('plan.yaml', planWith(ACTIONS)));
    for (let k = 1; k <= 6; k += 1) await ask(db, 'sam@example.org', `update ND-1.${k} green ${k * 10}% note for action ${k}`);
    const before = await notesByText(db);

    // A row inserted second: every other row keeps its ref, status and history; the new one is ND-1.7.
    const inserted = [ACTIONS[0] as string, 'Set up a parent carer advice line', ...ACTIONS.slice(1)];
    const rows = await sendbotJson<JsonAction[]>(db, '--now', '2024-11-10T09:00', 'import', writeTemp('plan.yaml', planWith(inserted)));
    expect(rows.map((r) => [r.ref, r.change])).toEqual([
      ['ND-1.1', 'unchanged'],
      ['ND-1.7', 'created'],
      ['ND-1.2', 'unchanged'],
      ['ND-1.3', 'unchanged'],
      ['ND-1.4', 'unchanged'],
      ['ND-1.5', 'unchanged'],
      ['ND-1.6', 'unchanged'],
    ]);
    expect((await notesByText(db)).filter((r) => r.ref !== 'ND-1.7')).toEqual(before);
    expect(await query(db, sql`select status, percent from actions where ref = 'ND-1.4'`)).toEqual([{ status: 'green', percent: 40 }]);

    // A row reworded: the same action, reported "was …".
    const reworded = inserted.map((a) => a.replace('Train SENCos in the graduated approach', 'Train all SENCos in the graduated approach'));
    const report = await sendbot(db, '--now', '2024-11-11T09:00', 'import', writeTemp('plan.yaml', planWith(reworded)));
    expect(report.stdout).toContain('ND-1.3: "Train all SENCos in the graduated approach", was "Train SENCos in the graduated approach"');
    expect((await notesByText(db)).find((r) => r.ref === 'ND-1.3')).toEqual({ ref: 'ND-1.3', text: 'Train all SENCos in the graduated approach', notes: 'note for action 3' });

    // A row deleted: kept and reported until the officer says --remove-missing.
    const deleted = reworded.filter((a) => !a.startsWith('Publish'));
    const kept = await sendbot(db, '--now', '2024-11-12T09:00', 'import', writeTemp('plan.yaml', planWith(deleted)));
    expect(kept.stdout).toContain('1 action not in the file was kept (ND-1.4)');
    expect(await query(db, sql`select removed_at from actions where ref = 'ND-1.4'`)).toEqual([{ removed_at: null }]);
    await sendbot(db, '--now', '2024-11-12T09:30', 'import', writeTemp('plan.yaml', planWith(deleted)), '--remove-missing');
    expect(await query<{ removed: number }>(db, sql`select removed_at is not null as removed from actions where ref = 'ND-1.4'`)).toEqual([{ removed: 1 }]);
    // Its history is still there.
    expect((await notesByText(db)).find((r) => r.ref === 'ND-1.4')?.notes).toBe('note for action 4');
  });

  it('refuses a row it cannot place, names the candidates, and writes nothing', async () => {
    const db = tempDbPath();
    const two = ['Review EHCP timeliness for children under five', 'Review EHCP timeliness for young people over sixteen'];
    await sendbot(db, '--now', '2024-11-01T09:00', 'import', writeTemp('plan.yaml', planWith(two)));
    const merged = writeTemp('plan.yaml', planWith(['Review EHCP timeliness for children and young people']));
    const before = await query(db, sql`select ref, text, removed_at from actions order by id`);
    const r = await sendbot(db, '--now', '2024-11-02T09:00', 'import', merged);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('cannot tell which action the row "Review EHCP timeliness for children and young people" is');
    expect(r.stderr).toContain('ND-1.1 "Review EHCP timeliness for children under five"');
    expect(r.stderr).toContain('ND-1.2 "Review EHCP timeliness for young people over sixteen"');
    expect(r.stderr).toContain('Add a Ref column');
    expect(await query(db, sql`select ref, text, removed_at from actions order by id`)).toEqual(before);
  });

  it('a database from before the file base was kept lists every difference as a conflict once, keeping sendbot’s value', async () => {
    const db = tempDbPath();
    const file = writeTemp('plan.yaml', planWith(ACTIONS));
    await sendbot(db, '--now', '2024-11-01T09:00', 'import', file);
    // As an upgraded database holds it: no file base, and a date that differs from the file's.
    const conn = await testDbAt(db);
    await run(conn, sql`update actions set file_base = null`);
    await run(conn, sql`update actions set due = '2025-09-30' where ref = 'ND-1.2'`);
    await closeTestDb(conn);

    const first = await sendbot(db, '--now', '2024-11-02T09:00', 'import', file);
    expect(first.stdout).toContain('ND-1.2 due date: sendbot has 2025-09-30');
    expect(first.stdout).toContain('no earlier import recorded the file’s date');
    expect(first.stdout).toMatch(/Actions: 0 new, 0 updated, 6 unchanged/);
    expect(await query(db, sql`select due from actions where ref = 'ND-1.2'`)).toEqual([{ due: '2025-09-30' }]);
    const second = await sendbot(db, '--now', '2024-11-03T09:00', 'import', file);
    expect(second.stdout).not.toContain('Conflicts');
  });

  it('a status reported in chat and a different status in the file is a conflict; the file’s progress is a first update, added once', async () => {
    const db = tempDbPath();
    const progress = (status: string, percent: number, note: string) =>
      planWith(ACTIONS.slice(0, 2)).replace(
        `          - text: ${ACTIONS[1]}\n`,
        `          - text: ${ACTIONS[1]}\n            progress: { status: ${status}, percent: ${percent}, note: "${note}", as_of: 2024-10-31 }\n`,
      );
    const file = writeTemp('plan.yaml', progress('amber', 40, 'Provider appointed'));
    await sendbot(db, '--now', '2024-11-01T09:00', 'import', file);
    const first = await query(db, sql`select u.status, u.percent, u.note, u.platform, u.created_at from updates u join actions a on a.id = u.action_id where a.ref = 'ND-1.2'`);
    expect(first).toEqual([{ status: 'amber', percent: 40, note: 'Provider appointed', platform: 'import', created_at: '2024-10-31T12:00:00.000Z' }]);
    await sendbot(db, '--now', '2024-11-02T09:00', 'import', file);
    expect(await query(db, sql`select count(*) as n from updates u join actions a on a.id = u.action_id where a.ref = 'ND-1.2'`)).toEqual([{ n: 1 }]);

    await ask(db, 'sam@example.org', 'update ND-1.2 red 45% provider withdrew');
    const green = writeTemp('plan.yaml', progress('green', 60, 'Back on track'));
    const r = await sendbot(db, '--now', '2024-11-06T09:00', 'import', green);
    expect(r.stdout).toMatch(/ND-1\.2 status: sendbot has red 45% \(update from cli by Sam Send <sam@example\.org> on 2024-11-04\); the file says green 60%/);
    expect(await query(db, sql`select status, percent from actions where ref = 'ND-1.2'`)).toEqual([{ status: 'red', percent: 45 }]);

    await sendbot(db, '--now', '2024-11-07T09:00', 'import', writeTemp('plan.yaml', progress('green', 65, 'Back on track')), '--prefer-file');
    expect(await query(db, sql`select status, percent from actions where ref = 'ND-1.2'`)).toEqual([{ status: 'green', percent: 65 }]);
    const last = await query<{ note: string }>(db, sql`select u.note from updates u join actions a on a.id = u.action_id where a.ref = 'ND-1.2' order by u.id desc limit 1`);
    expect(last[0]?.note).toBe('Back on track (replaces Sam Send <sam@example.org> of 2024-11-04: --prefer-file)');
    // Dated when the file's word was taken, after the report it replaces: the history reads in order.
    expect(await query(db, sql`select u.created_at from updates u join actions a on a.id = u.action_id where a.ref = 'ND-1.2' order by u.id desc limit 1`)).toEqual([
      { created_at: '2024-11-07T09:00:00.000Z' },
    ]);
  });

  it('a KPI figure the file changed for a period someone recorded in chat since is a conflict; the same figure again adds nothing', async () => {
    const db = tempDbPath();
    const kpiPlan = (value: string) =>
      planWith(ACTIONS.slice(0, 1)).replace(
        '    workstreams:\n',
        `    kpis:\n      - { code: WAIT, name: Waiting within 18 weeks, workstream: 1, unit: percent, readings: [{ period: Q1 24/25, value: "${value}" }] }\n    workstreams:\n`,
      );
    await sendbot(db, '--now', '2024-11-01T09:00', 'import', writeTemp('plan.yaml', kpiPlan('60%')));
    await sendbot(db, '--now', '2024-11-02T09:00', 'import', writeTemp('plan.yaml', kpiPlan('60%')));
    const readings = async () => await query<{ value: number; kind: string }>(db, sql`select value, kind from kpi_readings order by id`);
    expect(await readings()).toEqual([{ value: 60, kind: 'import' }]);

    expect(await ask(db, 'sam@example.org', 'kpi ND-WAIT 62% for Q1 24/25 validated figure')).toContain('62');
    const r = await sendbot(db, '--now', '2024-11-06T09:00', 'import', writeTemp('plan.yaml', kpiPlan('65%')));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(
      "ND-WAIT KPI reading: sendbot has 62% for Q1 2024/25 (reading recorded in chat by Sam Send <sam@example.org> on 2024-11-04); the file says 65% for Q1 2024/25. Kept sendbot's",
    );
    expect((await readings()).map((x) => x.value)).toEqual([60, 62]);
  });

  it('renaming a lead role in the file says which actions are left with nobody accountable, and what became of the old role', async () => {
    const db = tempDbPath();
    await sendbot(db, '--now', '2024-11-01T09:00', 'import', writeTemp('plan.yaml', planWith(ACTIONS.slice(0, 2))));
    const renamed = planWith(ACTIONS.slice(0, 2)).replace('        lead: Head of SEND\n', '        lead: Head of SEND and Inclusion\n');
    const r = await sendbot(db, '--now', '2024-11-02T09:00', 'import', writeTemp('plan.yaml', renamed));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(
      'Note: 2 actions now have nobody accountable: ND-1.1, ND-1.2 moved to "Head of SEND and Inclusion", which nobody holds; ' +
        'the role they moved from, "Head of SEND" (held by Sam Send) is now accountable for no action.',
    );
    expect(r.stdout).toContain('sendbot role assign "Head of SEND and Inclusion" <email>');
  });
});
