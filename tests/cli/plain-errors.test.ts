// Mistakes in plan files and on the command line are answered in the officer's words: the field as
// they wrote it, items counted from 1, what was expected with an example, and never zod's or
// node's own wording ("Invalid input", "expected boolean, received string", "ENOENT", "[0]").
import { describe, expect, it } from 'vitest';
import { sendbot } from '../helpers/cli.js';
import { tempDbPath, writeTemp } from '../helpers/temp.js';

const JARGON = /Invalid input|expected \w+, received|Too small|Too big|ENOENT|EACCES|\[\d+\]|\.ts:\d|\n\s+at /;

describe('errors in the user’s words', () => {
  it('a YAML plan with wrong values: each named by line and field, with what was expected', async () => {
    const yaml = `partnership:
  name: Testshire
  office_hours: { start: "9am", end: "17:30" }
  school_terms:
    - { name: winter, start: 2024-09-01, end: "soon" }
people:
  - { name: Ada, email: ada@example.org, admin: yes please, roles: 5 }
  - { email: b@example.org }
boards:
  - name: Board
    lead_times: { update_window: 0, papers: "five" }
    meetings:
      - { at: 42 }
plans:
  - title: Neurodiversity
    kpis:
      - { name: Coverage, trajectory: [ { target: 65% } ] }
    worksteams:
      - title: Misspelt section
    workstreams:
      - title: W
        lead: Head of SEND
        number: -1
        actions:
          - { text: x, number: 1.5 }
          - 7
`;
    const db = tempDbPath();
    const result = await sendbot(db, 'import', writeTemp('plan.yaml', yaml));
    expect(result.code).toBe(1);
    const lines = result.stderr.trim().split('\n').slice(1).map((l) => l.replace(/^ {2}- /, ''));
    expect(lines).toEqual([
      'plan.yaml line 3, at partnership, office_hours, start: must be a 24-hour time with two digits each side, e.g. 09:00',
      'plan.yaml line 5, at partnership, term 1, name: must be one of autumn, spring or summer (got "winter")',
      'plan.yaml line 5, at partnership, term 1, end: must be a date written year-month-day, e.g. 2024-12-20',
      'plan.yaml line 7, at person 1, roles: must be a role name, or a list of role names (got 5)',
      'plan.yaml line 7, at person 1, admin: must be true or false (got "yes please")',
      'plan.yaml line 8, at person 2, name: is missing',
      'plan.yaml line 11, at board 1, lead_times, update_window: must be at least 1 (got 0)',
      'plan.yaml line 11, at board 1, lead_times, papers: must be a number (got "five")',
      'plan.yaml line 13, at board 1, meeting 1, at: must be a date and time such as 2024-12-04T14:00 (got 42)',
      'plan.yaml line 17, at plan 1, KPI 1, trajectory: must be a list of targets, each like "65% by March 2025" or with target: and by: (got a list)',
      'plan.yaml line 18, at plan 1, worksteams: "worksteams" is not a field sendbot knows here (check the spelling); the fields are: code, title, board, area_for_improvement, findings, outcomes, evidence, kpis, workstreams',
      'plan.yaml line 23, at plan 1, workstream 1, number: must be more than 0 (got -1)',
      'plan.yaml line 25, at plan 1, workstream 1, action 1, number: must be a whole number (got 1.5)',
      'plan.yaml line 26, at plan 1, workstream 1, action 2: must be a set of fields such as "name: …" (got 7)',
    ]);
    expect(result.stderr).not.toMatch(JARGON);
  });

  it('a file that is not there, or a folder', async () => {
    const db = tempDbPath();
    const missing = await sendbot(db, 'import', '/nonexistent/plan.yaml');
    // A file that cannot be read at all is one plain sentence.
    expect(missing.stderr).toBe('plan.yaml: cannot read the file: there is no such file. Nothing was imported.\n');
    const people = await sendbot(db, 'people', 'import', '/nonexistent/people.csv');
    expect(people.stderr).toBe('people.csv: cannot read the file: there is no such file. Nothing was imported.\n');
    const folder = await sendbot(db, 'import', `${writeTemp('x.yaml', '').replace(/x\.yaml$/, '')}`);
    expect(folder.code).toBe(1);
    expect(`${missing.stderr}${people.stderr}${folder.stderr}`).not.toMatch(JARGON);
  });

  it('a people file with a row longer than its header: the row and the column with no heading', async () => {
    const db = tempDbPath();
    const result = await sendbot(db, 'people', 'import', writeTemp('people.csv', 'name,email,role\nAda Admin,ada@example.org,Head of SEND, Deputy\n'));
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('people.csv row 2, column D (no heading): "Deputy" is in a column with no heading (the header row has 3 columns)');
  });

  it('command-line values: an unknown plan, a --now that is not a date, a meeting time that is not one', async () => {
    const db = tempDbPath();
    await sendbot(db, 'import', writeTemp('plan.yaml', 'boards:\n  - name: SEND Partnership Board\nplans:\n  - { code: ND, title: Neurodiversity, workstreams: [ { title: W, lead: L, actions: [ { text: a } ] } ] }\n'));
    const plan = await sendbot(db, 'actions', '--plan', 'ZZ');
    expect(plan.code).toBe(1);
    expect(plan.stderr).toBe('No plan with code "ZZ". Plans: ND\n');
    expect((await sendbot(db, 'actions', '--plan', 'nd')).code).toBe(0);
    const now = await sendbot(db, '--now', 'tomorrow', 'actions');
    expect(now.stderr).toBe('--now "tomorrow" is not a date: write it as year-month-day, with a 24-hour time if you need one, e.g. 2024-11-18 or 2024-11-18T09:00\n');
    const when = await sendbot(db, 'boards', 'meeting', 'add', 'SEND Partnership Board', 'next week');
    expect(when.stderr).toBe('"next week" is not a date and time; write it as year-month-day and 24-hour time, e.g. 2025-01-29T14:00 (London time)\n');
    const board = await sendbot(db, 'boards', 'meeting', 'add', 'Scrutiny', '2025-01-29T14:00');
    expect(board.stderr).toBe('No board called "Scrutiny". Boards: SEND Partnership Board\n');
    for (const r of [plan, now, when, board]) expect(r.code).toBe(1);
  });
});
