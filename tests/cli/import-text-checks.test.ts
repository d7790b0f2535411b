// What a plan file may bring in, through the real CLI: the same checks as chat input. An NHS
// number anywhere in a YAML, CSV or XLSX plan (action text, titles, KPI notes, names) is refused
// with where it is, and nothing is imported; control and bidirectional-override characters are
// removed before anything is stored.
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { sendbot } from '../helpers/cli.js';
import { tempDbPath, writeTemp } from '../helpers/temp.js';
import { closeTestDb, count, one, rows, sql, testDbAt } from '../helpers/test-db.js';

const NHS = '943 476 5919'; // the NHS's own example number: passes the modulus-11 check

const plan = (overrides: { actionText?: string; title?: string; person?: string; kpiNote?: string; board?: string } = {}) => `
partnership:
  name: Testshire SEND Partnership
people:
  - { name: "${overrides.person ?? 'Sam Send'}", email: sam@example.org, roles: [Head of SEND] }
boards:
  - name: "${overrides.board ?? 'SEND Partnership Board'}"
plans:
  - code: nd
    title: "${overrides.title ?? 'Neurodiversity Improvement Plan'}"
    board: "${overrides.board ?? 'SEND Partnership Board'}"
    kpis:
      - name: Waiting list
        readings:
          - { period: Q2 24/25, value: 120, note: "${overrides.kpiNote ?? 'validated'}" }
    workstreams:
      - title: Needs-led system
        lead: Head of SEND
        actions:
          - text: Roll out the profiling tool to all schools
          - text: "${overrides.actionText ?? 'Evaluation report by end Feb 25'}"
`;

async function counts(path: string) {
  const db = await testDbAt(path);
  const n = async (t: string) => await count(db, t);
  const result = { plans: await n('plans'), actions: await n('actions'), people: await n('people'), boards: await n('boards') };
  await closeTestDb(db);
  return result;
}

describe('sendbot import refuses an NHS number anywhere in a YAML plan, naming the line, and imports nothing', () => {
  const cases: [string, Parameters<typeof plan>[0], RegExp][] = [
    ['action text', { actionText: `Review for child ${NHS} by March` }, /plan\.yaml line 21, at plan 1, workstream 1, action 2, text: looks like an NHS number/],
    ['plan title', { title: `Plan for ${NHS.replace(/ /g, '-')}` }, /plan\.yaml line 10, at plan 1, title: looks like an NHS number/],
    ['KPI reading note', { kpiNote: `child 9434765919` }, /plan\.yaml line 15, at plan 1, KPI 1, readings, item 1, note: looks like an NHS number/],
    ['person name', { person: `Sam ${NHS}` }, /plan\.yaml line 5, at person 1, name: looks like an NHS number/],
    ['board name', { board: `Board ${NHS}` }, /plan\.yaml line 7, at board 1, name: looks like an NHS number/],
  ];
  for (const [where, overrides, expected] of cases) {
    it(where, async () => {
      const db = tempDbPath();
      const result = await sendbot(db, 'import', writeTemp('plan.yaml', plan(overrides)));
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(expected);
      expect(result.stderr).toContain('Nothing was imported');
      expect(result.stderr).not.toContain('5919');
      expect(await counts(db)).toEqual({ plans: 0, actions: 0, people: 0, boards: 0 });
    });
  }
});

describe('control and bidirectional characters in imported text', () => {
  it('are removed before the plan is stored (YAML)', async () => {
    const db = tempDbPath();
    const result = await sendbot(db, 'import', writeTemp('plan.yaml', plan({ actionText: 'Evaluation \\u202Etroper\\u202C by end Feb 25\\u0007' })));
    // Nothing about the text: only that a new database was made for it.
    expect(result.stderr).toBe(`No database at ${db} yet: created a new, empty one. (Another database: --db <file or postgres:// address>, or DATABASE_URL / DATABASE_PATH.)\n`);
    expect(result.code).toBe(0);
    const check = await testDbAt(db);
    const texts = (await rows(check, sql`select text from actions order by id`) as { text: string }[]).map((r) => r.text);
    await closeTestDb(check);
    expect(texts).toContain('Evaluation troper by end Feb 25');
  });
});

const CSV_HEADER = 'plan,plan_code,workstream,lead,due,action,ref,board\n';

describe('table files', () => {
  it('a CSV cell with an NHS number is refused by row, nothing imported; bidi characters are stripped', async () => {
    const db = tempDbPath();
    const bad = `${CSV_HEADER}Neuro,ND,Pathway,Head of SEND,Sep 2024,Map the pathway,ND-1.1,SEND Board\nNeuro,ND,Pathway,Head of SEND,Sep 2024,Assess ${NHS} first,ND-1.2,SEND Board\n`;
    const refused = await sendbot(db, 'import', writeTemp('plan.csv', bad));
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/plan\.csv row 3, .*text: looks like an NHS number/);
    expect((await counts(db)).actions).toBe(0);
    const good = `${CSV_HEADER}Neuro\u202E,ND,Pathway\u200B,Head of SEND,Sep 2024,Map the\u0007 pathway,ND-1.1,SEND Board\n`;
    const imported = await sendbot(db, 'import', writeTemp('plan.csv', good));
    expect(imported.code).toBe(0);
    const check = await testDbAt(db);
    const row = await one(check, sql`select a.text, w.title from actions a join workstreams w on w.id = a.workstream_id`);
    await closeTestDb(check);
    expect(row).toEqual({ text: 'Map the pathway', title: 'Pathway' });
  });

  it('an XLSX cell holding an NHS number as a number is refused by row', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Plan');
    ws.addRow(['plan', 'plan_code', 'workstream', 'lead', 'due', 'ref', 'action']);
    ws.addRow(['Workforce', 'WD', 'Skills audit', 'Head of SEND', 'November 2024', 'WD-1.1', 'SENCo skills audit']);
    ws.addRow(['Workforce', 'WD', 'Skills audit', 'Head of SEND', 'November 2024', 'WD-1.2', 9434765919]);
    const db = tempDbPath();
    const result = await sendbot(db, 'import', writeTemp('plan.xlsx', Buffer.from(await wb.xlsx.writeBuffer())));
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/plan\.xlsx row 3, .*looks like an NHS number/);
    expect((await counts(db)).actions).toBe(0);
  });
});

describe('sendbot people import', () => {
  it('refuses a name cell with an NHS number by row and column, imports no one, and strips bidi characters', async () => {
    const db = tempDbPath();
    const bad = `name,email,role\nJo Bloggs,jo@example.org,Head of SEND\nSam ${NHS},sam@example.org,Designated Clinical Officer\n`;
    const refused = await sendbot(db, 'people', 'import', writeTemp('people.csv', bad));
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/people\.csv row 3, column "name": looks like an NHS number/);
    expect((await counts(db)).people).toBe(0);
    const good = `name,email,role\nJo\u202E Bloggs\u200B,jo@example.org,Head of SEND\n`;
    expect((await sendbot(db, 'people', 'import', writeTemp('people.csv', good))).code).toBe(0);
    const check = await testDbAt(db);
    const names = (await rows(check, sql`select name from people`) as { name: string }[]).map((r) => r.name);
    await closeTestDb(check);
    expect(names).toEqual(['Jo Bloggs']);
  });
});
