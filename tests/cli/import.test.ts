import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { sendbot, sendbotJson } from '../helpers/cli.js';
import { tempDbPath, writeTemp } from '../helpers/temp.js';
import { closeTestDb, count, one, rows, run, sql, testDbAt } from '../helpers/test-db.js';

interface JsonAction {
  ref: string;
  plan: string;
  workstream: string;
  action: string;
  lead: string | null;
  with: string[];
  due: string | null;
  start: string | null;
  ongoing: boolean;
  completed: boolean;
  flags: string[];
  change: string;
  status: string;
}

const SMALL_PLAN = `
partnership:
  name: Testshire SEND Partnership
roles:
  - name: Head of SEND
    aliases: [SCC Head of SEND]
people:
  - { name: Ada Admin, email: ada@example.org, roles: [Programme Officer], admin: true, slack_user_id: UADA }
  - { name: Sam Send, email: sam@example.org, roles: [Head of SEND], slack_user_id: USAM }
boards:
  - name: SEND Partnership Board
    chair_role: Director of Children's Services
    meetings:
      - { at: "2024-12-04T14:00", sample: true }
plans:
  - code: nd
    title: Neurodiversity Improvement Plan
    board: SEND Partnership Board
    workstreams:
      - title: Needs-led system
        lead: SCC Head of SEND
        with: [Head of Commissioning, Parent Carer Forum]
        due: |
          Communication campaign commencing Sept 24

          Roll out Oct 24 – July 25
        actions:
          - text: Roll out the profiling tool to all schools
          - text: Evaluation report by end Feb 25
          - text: Launch the guide COMPLETED
`;

async function tableCounts(path: string) {
  const db = await testDbAt(path);
  const n = async (t: string) => await count(db, t);
  const counts = {
    plans: await n('plans'),
    workstreams: await n('workstreams'),
    actions: await n('actions'),
    people: await n('people'),
    updates: await n('updates'),
    due_date_changes: await n('due_date_changes'),
    role_assignments: await n('role_assignments'),
  };
  await closeTestDb(db);
  return counts;
}

async function snapshotActions(path: string) {
  const db = await testDbAt(path);
  const found = await rows(db, sql`select ref, text, owner_role_id, date_text, start, due, baseline_due, ongoing, flags, status, removed_at from actions order by ref`);
  await closeTestDb(db);
  return found;
}

describe('sendbot import (YAML)', () => {
  it('imports plans, roles, people, boards and reads each action’s dates', async () => {
    const db = tempDbPath();
    const file = writeTemp('plan.yaml', SMALL_PLAN);
    const rows = await sendbotJson<JsonAction[]>(db, 'import', file);
    expect(rows.map((r) => r.ref)).toEqual(['ND-1.1', 'ND-1.2', 'ND-1.3']);
    const [first, second, third] = rows as [JsonAction, JsonAction, JsonAction];
    // The alias resolves to the role's canonical name.
    expect(first.lead).toBe('Head of SEND');
    expect(first.with).toEqual(['Head of Commissioning', 'Parent Carer Forum']);
    // No date in the text: the workstream's window applies.
    expect(first.start).toBe('2024-09-01');
    expect(first.due).toBe('2025-07-31');
    // Its own "by end Feb 25".
    expect(second.due).toBe('2025-02-28');
    expect(third.completed).toBe(true);
    expect(third.status).toBe('blue');
    expect(await tableCounts(db)).toMatchObject({ plans: 1, workstreams: 1, actions: 3, people: 2 });
  });

  it('is idempotent: importing the same file again changes nothing', async () => {
    const db = tempDbPath();
    const file = writeTemp('plan.yaml', SMALL_PLAN);
    await sendbot(db, 'import', file);
    const before = { counts: await tableCounts(db), actions: await snapshotActions(db) };
    const again = await sendbotJson<JsonAction[]>(db, 'import', file);
    expect(again.every((r) => r.change === 'unchanged')).toBe(true);
    expect({ counts: await tableCounts(db), actions: await snapshotActions(db) }).toEqual(before);
  });

  it('updates an edited file in place, keeping updates, baselines and removed actions', async () => {
    const db = tempDbPath();
    await sendbot(db, 'import', writeTemp('plan.yaml', SMALL_PLAN));
    // An owner's update recorded between imports must survive.
    const conn = await testDbAt(db);
    const actionId = (await one(conn, sql`select id from actions where ref = 'ND-1.2'`) as { id: number }).id;
    await run(conn, sql`insert into updates (action_id, created_at, platform, kind, status, note, raw_text) values (${actionId}, '2024-11-01T10:00:00.000Z', 'slack', 'update', 'amber', 'slipping', 'update ND-1.2 amber slipping')`);
    await closeTestDb(conn);

    const edited = SMALL_PLAN.replace('Evaluation report by end Feb 25', 'Evaluation report by end Apr 25').replace(
      '          - text: Launch the guide COMPLETED\n',
      '          - text: Launch the guide COMPLETED\n          - text: Brand new action by Dec 25\n',
    );
    const imported = await sendbotJson<JsonAction[]>(db, 'import', writeTemp('plan.yaml', edited));
    expect(imported.find((r) => r.ref === 'ND-1.2')).toMatchObject({ due: '2025-04-30', change: 'updated' });
    expect(imported.find((r) => r.ref === 'ND-1.4')).toMatchObject({ due: '2025-12-31', change: 'created' });
    expect(imported.find((r) => r.ref === 'ND-1.1')?.change).toBe('unchanged');

    const check = await testDbAt(db);
    const action = await one(check, sql`select due, baseline_due from actions where ref = 'ND-1.2'`);
    expect(action).toEqual({ due: '2025-04-30', baseline_due: '2025-02-28' });
    const change = await one(check, sql`select from_due, to_due, state from due_date_changes where action_id = ${actionId}`);
    expect(change).toEqual({ from_due: '2025-02-28', to_due: '2025-04-30', state: 'imported' });
    const kept = await rows(check, sql`select note from updates where action_id = ${actionId}`);
    expect(kept).toEqual([{ note: 'slipping' }]);
    await closeTestDb(check);

    // Dropping an action keeps it and says so; --remove-missing marks it removed, never deletes it.
    const shorter = SMALL_PLAN.replace('          - text: Launch the guide COMPLETED\n', '');
    const keptReport = await sendbot(db, 'import', writeTemp('plan.yaml', shorter));
    // (ND-1.4, added by the edited file, is not in this one either.)
    expect(keptReport.stdout).toContain('2 actions not in the file were kept (ND-1.3, ND-1.4)');
    expect(keptReport.stdout).toContain('--remove-missing');
    const after = await sendbotJson<JsonAction[]>(db, 'import', writeTemp('plan.yaml', shorter), '--remove-missing');
    expect(after.find((r) => r.ref === 'ND-1.3')?.change).toBe('removed');
    const final = await testDbAt(db);
    expect(await one(final, sql`select removed_at is not null as removed from actions where ref = 'ND-1.3'`)).toEqual({ removed: 1 });
    await closeTestDb(final);
  });

  it('rejects a YAML file with its line number and writes nothing', async () => {
    const db = tempDbPath();
    const bad = SMALL_PLAN.replace('      - title: Needs-led system', '      - title: ""');
    const result = await sendbot(db, 'import', writeTemp('plan.yaml', bad));
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/plan\.yaml line 2\d, at plan 1, workstream 1, title: must not be empty/);
    expect(await tableCounts(db)).toMatchObject({ plans: 0, actions: 0, people: 0 });
  });

  it('rolls back everything when a problem is found after writing has started', async () => {
    const db = tempDbPath();
    // People and boards are written before plans are checked: a duplicate code must undo them too.
    const dup = SMALL_PLAN + SMALL_PLAN.split('plans:\n')[1]!.replace(/^/, '');
    const result = await sendbot(db, 'import', writeTemp('plan.yaml', dup.replace('plans:\n', 'plans:\n')));
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('plan code ND is used twice');
    expect(await tableCounts(db)).toMatchObject({ plans: 0, actions: 0, people: 0, role_assignments: 0 });
  });

  it('--dry-run reports without writing', async () => {
    const db = tempDbPath();
    const rows = await sendbotJson<JsonAction[]>(db, 'import', writeTemp('plan.yaml', SMALL_PLAN), '--dry-run');
    expect(rows).toHaveLength(3);
    expect(await tableCounts(db)).toMatchObject({ plans: 0, actions: 0, people: 0 });
  });
});

const CSV_PLAN = [
  'Improvement Plan,Strategic Workstream Priority,Accountable Lead,With,Date of Completion,Key Actions,Status',
  'Transitions Improvement Plan,Governance,Deputy Director Integrated Commissioning,,31 July 24,Relaunch the PFA Improvement Plan COMPLETED,complete',
  ',Information and Guidance,Local Offer Development Officer,"SEND Strategic Lead; Designated Clinical Officer for SEND",31 Dec 24,Finalise and launch Health PFA guide by Dec 24,',
  ',,,,,Co-design and launch Independent Living PFA guide,amber',
  ',,,,,Co-design and launch Community guide by Nov 24,',
].join('\n');

describe('sendbot import (CSV and XLSX)', () => {
  it('reads the plan’s own headings and fills merged (blank) cells from the row above', async () => {
    const db = tempDbPath();
    const rows = await sendbotJson<JsonAction[]>(db, 'import', writeTemp('plan.csv', CSV_PLAN));
    expect(rows.map((r) => [r.ref, r.lead, r.due, r.status])).toEqual([
      ['TRA-1.1', 'Deputy Director Integrated Commissioning', '2024-07-31', 'blue'],
      ['TRA-2.1', 'Local Offer Development Officer', '2024-12-31', 'not_started'],
      ['TRA-2.2', 'Local Offer Development Officer', '2024-12-31', 'amber'],
      // The date cell is blank under the workstream's block: the block's date, with the text's date flagged.
      ['TRA-2.3', 'Local Offer Development Officer', '2024-12-31', 'not_started'],
    ]);
    expect(rows[3]?.flags).toContain('date-in-text');
    expect(rows[1]?.with).toEqual(['SEND Strategic Lead', 'Designated Clinical Officer for SEND']);
    expect(rows.every((r) => r.plan === 'Transitions Improvement Plan')).toBe(true);
  });

  it('rejects a CSV with a blank action, naming row and column, and writes nothing', async () => {
    const db = tempDbPath();
    const bad = `${CSV_PLAN}\n,,,,,,green\n`;
    const result = await sendbot(db, 'import', writeTemp('plan.csv', bad));
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/plan\.csv row 6, column "Key Actions"/);
    expect(await tableCounts(db)).toMatchObject({ plans: 0, actions: 0 });
  });

  it('imports the first sheet of an XLSX workbook with snake_case headers and a refs column', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Plan');
    ws.addRow(['plan', 'plan_code', 'workstream', 'lead', 'with', 'due', 'ref', 'action']);
    ws.addRow(['Workforce Development', 'WD', 'Skills audit', 'Inclusion Audit Manager', 'Head of SEND', 'November 2024', 'WD-1.1', 'SENCo skills audit']);
    ws.addRow([null, null, null, null, null, null, 'WD-1.2', 'Online skills audit in all settings']);
    ws.addRow([null, null, 'Gap analysis', 'Head of SEND', null, 'January-March 2025', 'WD-2.1', 'Identify workforce needs']);
    ws.mergeCells('A2:A4');
    const path = writeTemp('plan.xlsx', Buffer.from(await wb.xlsx.writeBuffer()));
    const db = tempDbPath();
    const rows = await sendbotJson<JsonAction[]>(db, 'import', path);
    expect(rows.map((r) => [r.ref, r.lead, r.start, r.due])).toEqual([
      ['WD-1.1', 'Inclusion Audit Manager', null, '2024-11-30'],
      // Its date cell is blank and not merged: a workbook says which blanks lie under a merged date, so this one is no date.
      ['WD-1.2', 'Inclusion Audit Manager', null, null],
      ['WD-2.1', 'Head of SEND', '2025-01-01', '2025-03-31'],
    ]);
  });
});

describe('sendbot people and role assign', () => {
  it('hands a role over, ending the previous assignment and keeping history', async () => {
    const db = tempDbPath();
    await sendbot(db, 'import', writeTemp('plan.yaml', SMALL_PLAN));
    const csv = 'name,email,role,slack_user_id,teams_user_id,admin\nRiley New,riley@example.org,,URILEY,,no\n';
    expect((await sendbot(db, 'people', 'import', writeTemp('people.csv', csv))).code).toBe(0);

    const result = await sendbot(db, '--now', '2025-01-06T10:00', 'role', 'assign', 'head of send', 'riley@example.org');
    expect(result.stdout).toContain('Head of SEND is now held by Riley New <riley@example.org> (was Sam Send <sam@example.org>)');

    const people = await sendbotJson<{ email: string; roles: string[] }[]>(db, 'people');
    expect(people.find((p) => p.email === 'riley@example.org')?.roles).toEqual(['Head of SEND']);
    expect(people.find((p) => p.email === 'sam@example.org')?.roles).toEqual([]);

    const conn = await testDbAt(db);
    const history = await rows(conn, sql`select p.email, ra.ended_at from role_assignments ra join people p on p.id = ra.person_id join roles r on r.id = ra.role_id where r.name = 'Head of SEND' order by ra.id`);
    expect(history).toEqual([
      { email: 'sam@example.org', ended_at: '2025-01-06T10:00:00.000Z' },
      { email: 'riley@example.org', ended_at: null },
    ]);
    await closeTestDb(conn);
  });

  it('role assign with an unknown role suggests the nearest existing one and changes nothing; --new creates it', async () => {
    const db = tempDbPath();
    await sendbot(db, 'import', writeTemp('plan.yaml', SMALL_PLAN));
    const before = await tableCounts(db);
    const typo = await sendbot(db, 'role', 'assign', 'Head of Send Services', 'ada@example.org');
    expect(typo.code).toBe(1);
    expect(typo.stderr).toContain('No role called "Head of Send Services". Did you mean "Head of SEND"? Try: sendbot role assign "Head of SEND" ada@example.org. To create "Head of Send Services" as a new role: add --new. Nothing was changed.');
    const misspelt = await sendbot(db, 'role', 'assign', 'head of comissioning', 'ada@example.org');
    expect(misspelt.stderr).toContain('Did you mean "Head of Commissioning"?');
    expect(await tableCounts(db)).toEqual(before);

    const created = await sendbot(db, '--now', '2025-01-06T10:00', 'role', 'assign', 'Head of Send Services', 'ada@example.org', '--new');
    expect(created.code).toBe(0);
    expect(created.stdout).toContain('Head of Send Services is now held by Ada Admin <ada@example.org>. (new role)');
  });

  it('a people file that moves someone to another role says what became of the old role and which actions nobody is accountable for', async () => {
    const db = tempDbPath();
    await sendbot(db, 'import', writeTemp('plan.yaml', SMALL_PLAN));
    const csv = 'name,email,role,slack_user_id,teams_user_id,admin\nSam Send,sam@example.org,Head of Inclusion,USAM,,no\n';
    const result = await sendbot(db, '--now', '2025-01-06T10:00', 'people', 'import', writeTemp('people.csv', csv));
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      'Head of SEND: the file no longer lists Sam Send (now Head of Inclusion) for it; nobody holds it now; 2 open actions are left with nobody accountable: ND-1.1, ND-1.2. Give it to someone: sendbot role assign "Head of SEND" <email>',
    );
    const people = await sendbotJson<{ email: string; roles: string[] }[]>(db, 'people');
    expect(people.find((p) => p.email === 'sam@example.org')?.roles).toEqual(['Head of Inclusion']);
    // The same file again: nothing more to say.
    const again = await sendbot(db, 'people', 'import', writeTemp('people.csv', csv));
    expect(again.stdout).not.toContain('Head of SEND');
  });

  it('refuses a people file with a bad email, naming the row, and writes nothing', async () => {
    const db = tempDbPath();
    const csv = 'name,email,role,slack_user_id,teams_user_id,admin\nGood Person,good@example.org,Head of SEND,,,no\nBad Person,not-an-email,,,,no\n';
    const result = await sendbot(db, 'people', 'import', writeTemp('people.csv', csv));
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/people\.csv row 3, column "email"/);
    expect((await tableCounts(db)).people).toBe(0);
  });
});
