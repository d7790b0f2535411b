import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatProblem } from '../../src/importers/import-errors.js';
import { parseCsvRows } from '../../src/importers/read-csv.js';
import { parseYesNo, readPeopleCsv, readPeopleTable } from '../../src/importers/read-people-csv.js';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/${name}`, import.meta.url));

describe('readPeopleTable', () => {
  it('reads people, splitting roles on ; and parsing admin', () => {
    const { people, problems } = readPeopleCsv(fixture('people.csv'), { file: 'people.csv' });
    expect(problems).toEqual([]);
    expect(people).toEqual([
      {
        name: 'Jo Bloggs',
        email: 'jo.bloggs@example.org',
        roles: ['Head of SEND', 'Chair of SEND Board'],
        slack_user_id: 'U0123ABC',
        admin: true,
        weekly_digest: false,
      },
      {
        name: 'Sam Patel',
        email: 'sam.patel@example.org',
        roles: ['Designated Clinical Officer'],
        teams_user_id: '29:1abc',
        admin: false,
        weekly_digest: false,
      },
      { name: 'Alex Smith', email: 'alex.smith@example.org', roles: [], admin: false, weekly_digest: false },
    ]);
  });

  it('reports bad rows with row and column, keeping the good ones', () => {
    const { people, problems } = readPeopleTable(parseCsvRows(fixture('people-bad.csv')), { file: 'people-bad.csv' });
    expect(people.map((p) => p.name)).toEqual(['Jo Bloggs']);
    expect(problems.map(formatProblem)).toEqual([
      'people-bad.csv row 3, column "Email": must be an email address, e.g. jo.bloggs@example.org',
      'people-bad.csv row 4, column "Name": must not be empty',
      'people-bad.csv row 5, column "Email": jo.bloggs@example.org is already listed on row 2; each person needs their own email',
      'people-bad.csv row 6, column "Admin": "maybe" is not yes or no (use yes/no, y/n, true/false or 1/0; blank means no)',
    ]);
  });

  it('requires name and email columns', () => {
    const { problems } = readPeopleTable(parseCsvRows('name,role\nJo,Head of SEND\n'), { file: 'people.csv' });
    expect(problems.map(formatProblem)).toEqual([
      'people.csv: missing the "email" column; the columns found were "name", "role"',
    ]);
  });

  it('reads yes/no values', () => {
    expect(['yes', 'Y', 'TRUE', '1'].map(parseYesNo)).toEqual([true, true, true, true]);
    expect(['no', 'n', 'False', '0', ''].map(parseYesNo)).toEqual([false, false, false, false, false]);
    expect(parseYesNo('maybe')).toBeUndefined();
  });
});
