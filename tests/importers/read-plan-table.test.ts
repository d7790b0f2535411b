import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatProblem, ImportError } from '../../src/importers/import-errors.js';
import { planDocumentSchema } from '../../src/importers/plan-document.js';
import { parseCsvRows } from '../../src/importers/read-csv.js';
import {
  cellText,
  normaliseHeader,
  parseRef,
  readPlanTable,
  splitBulletedActions,
  type TableRow,
} from '../../src/importers/read-plan-table.js';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/${name}`, import.meta.url));
const readFixture = (name: string) => readPlanTable(parseCsvRows(fixture(name)), { file: name });

/** Rows from a header list and arrays of cell values; data rows are numbered from 2. */
function table(headers: string[], ...data: unknown[][]): TableRow[] {
  return data.map((values, i) => ({
    row: i + 2,
    cells: Object.fromEntries(headers.map((h, j) => [h, values[j] ?? ''])),
  }));
}

const HEADINGS = ['Improvement Plan', 'Strategic Workstream Priority', 'Accountable Lead', 'With', 'Date of Completion', 'Key Actions'];

describe('readPlanTable', () => {
  it('reads snake_case headers, refs, status and owner', () => {
    const { document, problems } = readFixture('plan-table-snake.csv');
    expect(problems).toEqual([]);
    expect(document).toEqual({
      plans: [
        {
          title: 'Neurodiversity',
          code: 'ND',
          board: 'SEND Partnership Board',
          workstreams: [
            {
              number: 1,
              title: 'Assessment pathway',
              lead: 'Head of SEND',
              with: ['Designated Clinical Officer', 'Parent Carer Forum'],
              due: 'Sep 2024',
              actions: [
                { number: 1, text: 'Map the current pathway', due: 'Sep 2024', status: 'Green', progress: { status: 'green' }, source_line: 2 },
                {
                  number: 2,
                  text: 'Publish the new pathway',
                  due: 'Sep 2024',
                  status: 'Amber',
                  progress: { status: 'amber' },
                  owner: 'Commissioning Manager',
                  source_line: 3,
                },
              ],
            },
            {
              number: 2,
              title: 'Waiting lists',
              lead: 'Designated Clinical Officer',
              with: [],
              due: 'Mar 2025',
              actions: [{ number: 1, text: 'Validate the waiting list', due: 'Mar 2025', source_line: 4 }],
            },
          ],
        },
      ],
    });
    expect(() => planDocumentSchema.parse(document)).not.toThrow();
  });

  it("reads the plan's own headings, merged-cell blanks, bullets and multi-line cells", () => {
    const { document, problems } = readFixture('plan-table-headings.csv');
    expect(problems).toEqual([]);
    const plan = document.plans?.[0];
    expect(plan?.title).toBe('Preparing for Adulthood');
    expect(plan?.code).toBeUndefined();
    expect(plan?.workstreams).toEqual([
      {
        number: 1,
        title: '1. Transition planning',
        lead: 'Head of Service 0-25',
        with: ['Careers Lead', 'Adult Social Care'],
        due: 'Dec 2024',
        actions: [
          // Numbers only where the file states them (none here); the date cell as written on every action.
          { text: 'Review the transition protocol', due: 'Dec 2024', source_line: 2 },
          { text: 'Agree a joint transitions panel', due: 'Dec 2024', source_line: 2 },
          { text: 'Train SENCOs on Preparing for Adulthood outcomes', due: 'Dec 2024', source_line: 4 },
        ],
      },
      {
        number: 2,
        title: '2. Post-16 provision',
        lead: 'Post-16 Lead',
        with: ['FE College', 'Sixth Form Partnership'],
        due: 'Jul 2025',
        actions: [
          { text: 'Audit post-16 places', due: 'Jul 2025', source_line: 6 },
          { text: 'Publish a sufficiency\nstatement', due: 'Sep 2025', source_line: 8 },
        ],
      },
    ]);
    expect(() => planDocumentSchema.parse(document)).not.toThrow();
  });

  it('matches headers ignoring case, spaces and punctuation', () => {
    const { document, problems } = readFixture('plan-table-mixed-case.csv');
    expect(problems).toEqual([]);
    expect(document.plans).toEqual([
      {
        title: 'Inclusion',
        code: 'INC',
        workstreams: [
          {
            number: 3,
            title: 'Reducing exclusions',
            lead: 'Head of Inclusion',
            with: ['Educational Psychology'],
            due: 'Summer term 2025',
            actions: [
              { number: 1, text: 'Launch an inclusion charter', due: 'Summer term 2025', status: 'Red', progress: { status: 'red' }, source_line: 2 },
              { number: 2, text: 'Report suspensions termly', source_line: 3 },
            ],
          },
        ],
      },
    ]);
    expect(normaliseHeader(' Date of Completion: ')).toBe(normaliseHeader('date_of_completion'));
  });

  it('reports each problem in a bad file with its row and column', () => {
    const { problems, notices } = readFixture('plan-table-bad.csv');
    expect(problems.map(formatProblem)).toEqual([
      'plan-table-bad.csv row 3, column "Key Actions": Key Actions is blank on a row that has other values; every row needs an action',
      'plan-table-bad.csv row 5, column "Ref": "ND1-2x" is not a reference like ND-1.2 (plan code, then workstream number, a dot and the action number)',
    ]);
    // A new workstream's blank lead is carried down from the row above, and reported for checking.
    expect(notices.map(formatProblem)).toEqual([
      'plan-table-bad.csv row 4, column "Accountable Lead": Accountable Lead is blank for the new workstream "Waiting lists", so "Head of SEND" was carried down from row 2 above (as for a merged cell). Check it is right, or write the lead in that cell and import again',
    ]);
  });

  it('reports a missing required column and lists the columns found', () => {
    const { document, problems } = readFixture('plan-table-missing-column.csv');
    expect(document.plans).toEqual([]);
    expect(problems).toHaveLength(1);
    expect(problems[0]?.column).toBeUndefined();
    expect(formatProblem(problems[0]!)).toMatch(/^plan-table-missing-column\.csv: missing the Key Actions column/);
    expect(problems[0]?.message).toContain('"Things To Do"');
  });

  it('inherits plan, code and board across workstreams, lead with a notice, but not with or due', () => {
    const rows = table(
      ['plan', 'plan_code', 'board', 'workstream', 'lead', 'with', 'due', 'action'],
      ['SEND', 'SN', 'SEND Board', 'One', 'Lead A', 'Helper', 'Dec 2024', 'a1'],
      ['', '', '', '', '', '', '', 'a2'],
      ['', '', '', 'Two', 'Lead B', '', '', 'b1'],
      ['', '', '', 'Three', '', '', '', 'c1'],
    );
    const { document, problems, notices, rowFlags } = readPlanTable(rows, {});
    expect(problems).toEqual([]);
    expect(notices).toEqual([
      {
        line: 5,
        column: 'lead',
        message:
          'Accountable Lead is blank for the new workstream "Three", so "Lead B" was carried down from row 4 above (as for a merged cell). Check it is right, or write the lead in that cell and import again',
      },
    ]);
    expect([...rowFlags]).toEqual([[5, ['lead-inherited']]]);
    const plan = document.plans?.[0];
    expect(plan).toMatchObject({ title: 'SEND', code: 'SN', board: 'SEND Board' });
    expect(plan?.workstreams).toEqual([
      {
        title: 'One',
        lead: 'Lead A',
        with: ['Helper'],
        due: 'Dec 2024',
        actions: [
          { text: 'a1', due: 'Dec 2024', source_line: 2 },
          { text: 'a2', due: 'Dec 2024', source_line: 3 },
        ],
      },
      { title: 'Two', lead: 'Lead B', with: [], actions: [{ text: 'b1', source_line: 4 }] },
      { title: 'Three', lead: 'Lead B', with: [], actions: [{ text: 'c1', source_line: 5 }] },
    ]);
  });

  it('refuses a blank lead on the first workstream of a plan: there is nothing above to carry down', () => {
    const rows = table(['plan', 'workstream', 'lead', 'action'], ['P', 'One', 'Lead A', 'a1'], ['Q', 'Two', '', 'b1']);
    const { problems, notices } = readPlanTable(rows, { file: 'plan.csv' });
    expect(problems.map(formatProblem)).toEqual([
      'plan.csv row 3, column "lead": Accountable Lead is blank for a new workstream ("Two") and there is no lead on the rows above to carry down',
    ]);
    expect(notices).toEqual([]);
  });

  it('keeps With on its own row: carried down within a workstream, never up, never into the next workstream', () => {
    const rows = table(
      ['plan', 'workstream', 'lead', 'with', 'action'],
      ['P', 'One', 'Lead A', 'Helper', 'a1'],
      ['', '', '', '', 'a2'], // merged With cell: carried down
      ['', '', '', 'Finance; Comms', 'a3'], // its own: not given to a1 or a2
      ['', '', '', '', 'a4'], // carried down from a3
      ['', '', '', 'none', 'a5'], // says none: stops the carry
      ['', 'Two', 'Lead B', '', 'b1'], // a new workstream's blank With is none
      ['', '', '', '', 'b2'],
      ['', 'Three', 'Lead C', 'Helper', 'c1'],
      ['', '', '', '', 'c2'],
    );
    const { document, problems } = readPlanTable(rows, {});
    expect(problems).toEqual([]);
    const [one, two, three] = document.plans?.[0]?.workstreams ?? [];
    // The rows differ, so each action keeps its own supporting roles and the workstream has none.
    expect(one?.with).toEqual([]);
    expect(one?.actions?.map((a) => [a.text, a.with ?? []])).toEqual([
      ['a1', ['Helper']],
      ['a2', ['Helper']],
      ['a3', ['Finance', 'Comms']],
      ['a4', ['Finance', 'Comms']],
      ['a5', []],
    ]);
    expect(two?.with).toEqual([]);
    expect(two?.actions?.map((a) => a.with)).toEqual([undefined, undefined]);
    // Every action the same: the workstream's supporting roles.
    expect(three?.with).toEqual(['Helper']);
    expect(three?.actions?.map((a) => a.with)).toEqual([undefined, undefined]);
    expect(() => planDocumentSchema.parse(document)).not.toThrow();
  });

  it('continues a workstream whose title repeats on every row, and returns to an earlier one', () => {
    const rows = table(
      ['plan', 'workstream', 'lead', 'action'],
      ['P', 'One', 'Lead A', 'a1'],
      ['P', 'One', 'Lead A', 'a2'],
      ['P', 'Two', 'Lead B', 'b1'],
      ['P', 'one', '', 'a3'],
    );
    const { document, problems } = readPlanTable(rows, {});
    expect(problems).toEqual([]);
    expect(document.plans?.[0]?.workstreams?.map((w) => [w.title, w.lead, w.actions?.map((a) => a.text)])).toEqual([
      ['One', 'Lead A', ['a1', 'a2', 'a3']],
      ['Two', 'Lead B', ['b1']],
    ]);
  });

  it("makes a different lead within a workstream the action's owner, carried down", () => {
    const rows = table(
      ['plan', 'workstream', 'lead', 'action', 'owner'],
      ['P', 'One', 'Lead A', 'a1', ''],
      ['', '', 'Lead C', 'a2', ''],
      ['', '', '', 'a3', ''],
      ['', '', '', 'a4', 'Owner D'],
    );
    const { document } = readPlanTable(rows, {});
    const ws = document.plans?.[0]?.workstreams?.[0];
    expect(ws?.lead).toBe('Lead A');
    expect(ws?.actions?.map((a) => a.owner)).toEqual([undefined, 'Lead C', 'Lead C', 'Owner D']);
  });

  it('keeps a heading row that starts a workstream, but not a workstream with no actions', () => {
    const rows = table(
      HEADINGS,
      ['Plan', 'One', 'Lead A', '', 'Dec 2024', ''],
      ['', '', '', '', '', 'a1'],
      ['', 'Two', 'Lead B', '', '', ''],
    );
    const { document, problems } = readPlanTable(rows, { file: 'plan.csv' });
    expect(document.plans?.[0]?.workstreams?.[0]?.actions).toEqual([{ text: 'a1', due: 'Dec 2024', source_line: 3 }]);
    expect(problems.map(formatProblem)).toEqual([
      'plan.csv row 4, column "Key Actions": Key Actions is blank: workstream "Two" has no actions',
    ]);
  });

  it('splits With on ; / and new lines', () => {
    const rows = table(['plan', 'workstream', 'lead', 'with', 'action'], ['P', 'W', 'L', 'A; B / C\nD\r\nE', 'x']);
    const { document } = readPlanTable(rows, {});
    expect(document.plans?.[0]?.workstreams?.[0]?.with).toEqual(['A', 'B', 'C', 'D', 'E']);
  });

  it('takes plan code and numbers from refs, a bare number and a numbered title, and numbers nothing by position', () => {
    const rows = table(
      ['plan', 'workstream', 'lead', 'action', 'ref'],
      ['P', 'One', 'L', 'a', 'ab-2.3'],
      ['', '', '', 'b', ''],
      ['', 'Two', 'L', 'c', ''],
      ['', 'Three', 'L', 'd', '1.1'],
      ['', '4. Four', 'L', 'e', ''],
      ['', '', '', 'f', '7'],
    );
    const { document, problems } = readPlanTable(rows, {});
    expect(problems).toEqual([]);
    const plan = document.plans?.[0];
    expect(plan?.code).toBe('AB');
    expect(plan?.workstreams?.map((w) => [w.number, w.actions?.map((a) => a.number)])).toEqual([
      [2, [3, undefined]],
      [undefined, [undefined]],
      [1, [1]],
      [4, [undefined, 7]],
    ]);
    expect(plan?.workstreams?.[3]?.title).toBe('4. Four');
  });

  it('reports conflicting refs', () => {
    const rows = table(
      ['plan', 'plan_code', 'workstream', 'lead', 'action', 'ref'],
      ['P', 'ND', 'One', 'L', 'a', 'ND-1.1'],
      ['', '', '', '', 'b', 'ND-1.1'],
      ['', '', '', '', 'c', 'ND-2.2'],
      ['', '', 'Two', 'L', 'd', 'XY-3.1'],
    );
    const { problems } = readPlanTable(rows, {});
    expect(problems.map((p) => [p.line, p.column, p.message])).toEqual([
      [3, 'ref', 'ref "ND-1.1" repeats action number 1, already used on row 2'],
      [4, 'ref', 'ref "ND-2.2" says workstream 2, but row 2 numbered this workstream ("One") 1'],
      [5, 'ref', "ref \"XY-3.1\" has plan code XY, but this plan's code is ND (row 2)"],
    ]);
  });

  it('reports a blank action, a formula, #REF! and over-long text at their cells', () => {
    const rows = table(
      HEADINGS,
      ['Plan', 'One', 'Lead A', '', { formula: 'A1+1' }, 'a1'],
      ['', '', '', '', '', { formula: 'B2', result: { error: '#REF!' } }],
      ['', '', '', { error: '#N/A' }, '', 'a3'],
      ['', '', '', '', 'Jan 2025', ''],
      ['', '', '', '', '', 'x'.repeat(10_001)],
    );
    const { document, problems } = readPlanTable(rows, { file: 'plan.xlsx' });
    expect(problems.map((p) => [p.line, p.column])).toEqual([
      [2, 'Date of Completion'],
      [3, 'Key Actions'],
      [4, 'With'],
      [5, 'Key Actions'],
      [6, 'Key Actions'],
    ]);
    expect(problems[0]?.message).toMatch(/^the cell holds a formula \(=A1\+1\)/);
    expect(problems[1]?.message).toMatch(/the cell holds a formula \(=B2\)/);
    expect(problems[4]?.message).toMatch(/10,001 characters/);
    expect(formatProblem(problems[0]!)).toMatch(/^plan\.xlsx row 2, column "Date of Completion": the cell holds a formula/);
    expect(document.plans?.[0]?.workstreams?.[0]?.actions?.map((a) => a.text)).toEqual(['a1', 'a3']);
  });

  it('skips fully blank rows and reads every kind of cell value', () => {
    const rows = table(
      HEADINGS,
      ['Plan', { richText: [{ text: 'Rich ' }, { text: 'title' }] }, { text: 'Lead A', hyperlink: 'mailto:a@example.org' }, '', new Date(Date.UTC(2025, 2, 31)), "'-from an apostrophe"],
      [null, undefined, '', '  ', null, null],
      ['', '', '', '', 2025, 42],
    );
    const { document, problems } = readPlanTable(rows, {});
    expect(problems).toEqual([]);
    const ws = document.plans?.[0]?.workstreams?.[0];
    expect(ws).toMatchObject({ title: 'Rich title', lead: 'Lead A', due: '2025-03-31' });
    expect(ws?.actions).toEqual([
      { text: '-from an apostrophe', due: '2025-03-31', source_line: 2 },
      { text: '42', due: '2025', source_line: 4 },
    ]);
  });

  it('reports a table with no rows', () => {
    expect(readPlanTable([], { file: 'empty.csv' }).problems.map(formatProblem)).toEqual([
      'empty.csv: the file has no rows below the header row, so there are no actions to import',
    ]);
  });

  it('reports a blank plan or workstream with nothing to carry down', () => {
    const { problems } = readPlanTable(table(['plan', 'workstream', 'lead', 'action'], ['', 'W', 'L', 'a'], ['P', '', 'L', 'b']), {});
    expect(problems.map((p) => [p.line, p.column])).toEqual([
      [2, 'plan'],
      [3, 'workstream'],
    ]);
  });

  it('hoists a shared board to the plan, keeps differing boards on workstreams', () => {
    const rows = table(
      ['plan', 'workstream', 'lead', 'action', 'board'],
      ['P', 'One', 'L', 'a', 'Board A'],
      ['', 'Two', 'L', 'b', 'Board B'],
    );
    const plan = readPlanTable(rows, {}).document.plans?.[0];
    expect(plan?.board).toBeUndefined();
    expect(plan?.workstreams?.map((w) => w.board)).toEqual(['Board A', 'Board B']);
  });
});

describe('helpers', () => {
  it('splits bulleted action cells', () => {
    expect(splitBulletedActions('• a\n• b')).toEqual(['a', 'b']);
    expect(splitBulletedActions('- a\n* b\n▪c\n1. d\n2) e')).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(splitBulletedActions('• a long\n  wrapped line\n• b')).toEqual(['a long wrapped line', 'b']);
    expect(splitBulletedActions('Agree the plan:\n• a\n• b')).toEqual(['Agree the plan:\n• a\n• b']);
    expect(splitBulletedActions('-5% waiting times')).toEqual(['-5% waiting times']);
    expect(splitBulletedActions('1.2 Review the pathway')).toEqual(['1.2 Review the pathway']);
  });

  it('parses refs', () => {
    expect(parseRef('ND-1.2')).toEqual({ code: 'ND', workstream: 1, action: 2 });
    expect(parseRef('nd 10.12')).toEqual({ code: 'ND', workstream: 10, action: 12 });
    expect(parseRef('P2-1.1')).toEqual({ code: 'P2', workstream: 1, action: 1 });
    expect(parseRef('3.4')).toEqual({ workstream: 3, action: 4 });
    expect(parseRef('ND1-2x')).toBeUndefined();
    expect(parseRef('ND-1')).toBeUndefined();
  });

  it('normalises cell values', () => {
    expect(cellText('  a\r\nb  ')).toEqual({ ok: true, text: 'a\nb' });
    expect(cellText({ text: { richText: [{ text: 'link' }] }, hyperlink: 'https://x' })).toEqual({ ok: true, text: 'link' });
    expect(cellText({ sharedFormula: 'A1', result: new Date(Date.UTC(2024, 8, 1)) })).toEqual({
      ok: false,
      message: expect.stringMatching(/^the cell holds a formula \(a formula shared with cell A1\)/),
    });
    expect(cellText({ error: '#REF!' }).ok).toBe(false);
  });

  it('formats problems and errors', () => {
    expect(formatProblem({ file: 'plan.yaml', line: 12, path: 'plans[0].title', message: 'must not be empty' })).toBe(
      'plan.yaml line 12, at plans[0].title: must not be empty',
    );
    expect(formatProblem({ file: 'plan.csv', line: 7, message: 'x' })).toBe('plan.csv row 7: x');
    expect(formatProblem({ message: 'x' })).toBe('x');
    const err = new ImportError([{ message: 'a' }, { file: 'f.csv', line: 2, column: 'c', message: 'b' }]);
    expect(err).toBeInstanceOf(Error);
    expect(err.name).toBe('ImportError');
    expect(err.problems).toHaveLength(2);
    expect(err.message).toBe('2 problems:\n  - a\n  - f.csv row 2, column "c": b');
  });
});
